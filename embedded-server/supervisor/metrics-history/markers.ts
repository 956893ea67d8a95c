/**
 * Which events become markers on the charts' time axis, and their one-line text (pure): node
 * lifecycle, faults, supervisors joining and leaving, and admin actions that change how the cluster
 * runs (strategy, auto-restart, settings, config, the simulator), and alerts firing and resolving.
 * Client traffic never does.
 */
import type { AdminEvent } from '../../../shared/admin/admin-model.js';
import type { HistoryMarker } from '../../../shared/admin/metrics-history-model.js';

/** Admin actions (by their `action` prefix) that are worth a marker. */
const MARKED_ACTIONS = ['cluster.', 'settings', 'config', 'simulator.', 'node.'];

export function markerOf(e: AdminEvent): HistoryMarker | null {
  const text = markerText(e);
  if (text === null) return null;
  const node = 'node' in e && typeof e.node === 'string' ? e.node : undefined;
  return { at: e.at, type: e.type, ...(node ? { node } : {}), text };
}

function markerText(e: AdminEvent): string | null {
  switch (e.type) {
    // A node's first start is the cluster's start (marked as such) or a `node.add` action.
    case 'node.started': return null;
    case 'node.restarted': return `${e.node} restarted`;
    case 'node.down': return `${e.node} down${e.signal ? ` (${e.signal})` : e.code !== null ? ` (exit ${e.code})` : ''}`;
    case 'node.unhealthy': return `${e.node} unhealthy`;
    case 'node.recovered': return `${e.node} recovered`;
    case 'node.unresponsive': return `${e.node} unresponsive, replaced`;
    case 'node.removed': return `${e.node} removed`;
    case 'node.draining': return `${e.node} draining (${e.purpose})`;
    case 'node.drained': return null;
    case 'fault.injected': return `${e.fault} ${e.node}${e.seconds ? ` for ${e.seconds} s` : ''} (by ${e.by})`;
    case 'fault.healed': return `${e.node} healed (${e.fault})`;
    case 'supervisor.joined': return `supervisor ${e.supervisor} joined`;
    case 'supervisor.left': return `supervisor ${e.supervisor} left`;
    case 'engine.resubscribed': return `engine resubscribed (${e.cause})`;
    case 'alert.firing': return `alert: ${e.text}`;
    case 'alert.resolved': return `resolved: ${e.text}`;
    case 'admin.action':
      return MARKED_ACTIONS.some((p) => e.action.startsWith(p)) ? `${e.action}: ${e.detail}` : null;
    default:
      return null;
  }
}
