/** Pure state changes of the cluster store (tested without React). */
import type { ClusterSnapshot, SeriesPoint, TimeSeries } from '../../../shared/admin/admin-model.js';

export const SERIES_WINDOW = 300;

export interface ClusterState {
  snapshot: ClusterSnapshot | null;
  series: TimeSeries;
}

export const emptySeries = (): TimeSeries => ({ intervalMs: 1000, total: [], nodes: {} });

/** The series sent on connect replaces what the console had (it may have missed seconds). */
export function applySeries(state: ClusterState, series: TimeSeries): ClusterState {
  return { ...state, series: { intervalMs: series.intervalMs, total: series.total.slice(-SERIES_WINDOW), nodes: trimAll(series.nodes) } };
}

/** Each snapshot becomes the newest point of every series (skipped when its second is already there). */
export function applySnapshot(state: ClusterState, s: ClusterSnapshot): ClusterState {
  const last = state.series.total[state.series.total.length - 1];
  if (last && last.at >= s.at) return { ...state, snapshot: s };
  const total = append(state.series.total, {
    at: s.at,
    connections: s.totals.connections,
    messagesInPerSec: s.totals.messagesInPerSec,
    messagesOutPerSec: s.totals.messagesOutPerSec,
    bytesInPerSec: s.totals.bytesInPerSec,
    bytesOutPerSec: s.totals.bytesOutPerSec,
    cpuPercent: s.nodes.reduce((a, n) => a + n.cpuPercent, 0),
  });
  const nodes: Record<string, SeriesPoint[]> = {};
  for (const n of s.nodes) {
    nodes[n.id] = append(state.series.nodes[n.id] ?? [], {
      at: s.at,
      connections: n.connections,
      messagesInPerSec: n.messagesInPerSec,
      messagesOutPerSec: n.messagesOutPerSec,
      bytesInPerSec: n.bytesInPerSec,
      bytesOutPerSec: n.bytesOutPerSec,
      cpuPercent: n.cpuPercent,
    });
  }
  return { snapshot: s, series: { intervalMs: state.series.intervalMs, total, nodes } };
}

function append(points: SeriesPoint[], p: SeriesPoint): SeriesPoint[] {
  const next = points.length >= SERIES_WINDOW ? points.slice(points.length - SERIES_WINDOW + 1) : points.slice();
  next.push(p);
  return next;
}

function trimAll(nodes: Record<string, SeriesPoint[]>): Record<string, SeriesPoint[]> {
  return Object.fromEntries(Object.entries(nodes).map(([id, pts]) => [id, pts.slice(-SERIES_WINDOW)]));
}
