/** Pure shaping of cluster data for the Overview (tested without React). */
import type { AdminEvent, Audience, KickTarget, NodeSnapshot, NodeState } from '../../../shared/admin/admin-model.js';
import { assertNever } from '../../../shared/result.js';
import { sortedNodeIds } from '../components/series.rows.js';
import { fmtInt } from '../format.js';

/** One bar of "connections per node". */
export interface ConnectionBar {
  id: string;
  state: NodeState;
  connections: number;
  users: number;
  subscriptions: number;
  /** Of all connections, 0…1. */
  share: number;
  /** Bar length relative to the busiest node, 0…1. */
  width: number;
}

export function connectionBars(nodes: readonly NodeSnapshot[]): ConnectionBar[] {
  const total = nodes.reduce((a, n) => a + n.connections, 0);
  const max = Math.max(0, ...nodes.map((n) => n.connections));
  return sortedNodeIds(nodes.map((n) => n.id)).map((id) => {
    const n = nodes.find((x) => x.id === id)!;
    return {
      id,
      state: n.state,
      connections: n.connections,
      users: n.users,
      subscriptions: n.subscriptions,
      share: total > 0 ? n.connections / total : 0,
      width: max > 0 ? n.connections / max : 0,
    };
  });
}

export type EventTone = 'ok' | 'warn' | 'bad' | 'info' | 'plain';

/** One event as a short line: its node (when it has one), what happened, and how alarming it is. */
export interface EventLine {
  node?: string;
  text: string;
  tone: EventTone;
}

export function describeEvent(e: AdminEvent): EventLine {
  switch (e.type) {
    case 'client.connected': return { node: e.node, text: `${who(e.user)} connected from ${e.remote}`, tone: 'ok' };
    case 'client.disconnected': return { node: e.node, text: `${who(e.user)} disconnected (${e.reason ? `${e.code} ${e.reason}` : e.code})`, tone: 'plain' };
    case 'client.subscribed': return { node: e.node, text: `${who(e.user)} subscribed to ${e.channel}`, tone: 'plain' };
    case 'client.unsubscribed': return { node: e.node, text: `${who(e.user)} left ${e.channel}`, tone: 'plain' };
    case 'subscription.recovered':
      return e.recovered
        ? { node: e.node, text: `${who(e.user)} recovered ${e.channel} (${fmtInt(e.replayed)} replayed)`, tone: 'ok' }
        : { node: e.node, text: `${who(e.user)} could not recover ${e.channel}: ${e.miss ?? 'unknown'}`, tone: 'warn' };
    case 'client.kicked': return { text: `${kickTarget(e.target)}${e.user !== undefined ? ` of ${who(e.user)}` : ''} kicked (${fmtInt(e.count)}): ${e.reason || e.code}`, tone: 'warn' };
    case 'broadcast.sent': return { text: `Broadcast to ${audience(e.audience)}: ${fmtInt(e.connections)} connections on ${e.nodes} nodes`, tone: 'info' };
    case 'node.started': return { node: e.node, text: `started (pid ${e.pid})`, tone: 'ok' };
    case 'node.restarted': return { node: e.node, text: `restarted (pid ${e.pid})`, tone: 'ok' };
    case 'node.unhealthy': return { node: e.node, text: 'stopped reporting: unhealthy', tone: 'warn' };
    case 'node.recovered': return { node: e.node, text: 'reporting again: healthy', tone: 'ok' };
    case 'node.unresponsive': return { node: e.node, text: `no report for ${(e.silentMs / 1000).toFixed(1)} s: killed to be replaced`, tone: 'bad' };
    case 'node.down': return { node: e.node, text: `went down (${e.signal ?? `exit ${e.code ?? '?'}`})`, tone: 'bad' };
    case 'node.removed': return { node: e.node, text: 'removed from the cluster', tone: 'info' };
    case 'node.draining':
      return { node: e.node, text: `${e.purpose === 'remove' ? 'draining' : 'rebalancing'}: moving ${fmtInt(e.total)} connections at ${fmtInt(e.rate)}/s`, tone: 'info' };
    case 'node.drained': return { node: e.node, text: `${fmtInt(e.moved)} connections moved in ${(e.ms / 1000).toFixed(1)} s`, tone: 'info' };
    case 'fault.injected':
      return { node: e.node, text: `fault injected: ${e.fault}${e.seconds ? ` for ${e.seconds} s` : ''}`, tone: 'bad' };
    case 'fault.healed': return { node: e.node, text: `${e.fault} healed`, tone: 'ok' };
    case 'admin.action': return { text: `${e.action} ${e.detail}`, tone: 'info' };
    case 'engine.resubscribed': return { text: `${e.supervisor}: engine subscription ${e.cause === 'silent' ? 'was silent' : 'dropped'}, resubscribed`, tone: 'warn' };
    case 'supervisor.joined': return { text: `supervisor ${e.supervisor} joined (${fmtInt(e.nodes)} nodes)`, tone: 'info' };
    case 'supervisor.left': return { text: `supervisor ${e.supervisor} left: ${fmtInt(e.nodes)} nodes gone, ${fmtInt(e.reaped)} presence entries removed`, tone: 'bad' };
    case 'alert.firing': return { ...(e.node ? { node: e.node } : {}), text: `alert ${e.severity}: ${e.text}`, tone: e.severity === 'critical' ? 'bad' : 'warn' };
    case 'alert.resolved': return { ...(e.node ? { node: e.node } : {}), text: `alert resolved: ${e.text}`, tone: 'ok' };
    default: return assertNever(e);
  }
}

const who = (user: string): string => (user === '' ? 'anonymous' : user);

function kickTarget(t: KickTarget): string {
  if ('client' in t) return `client ${t.client}`;
  if ('user' in t) return `user ${who(t.user)}`;
  return `channel ${t.channel}`;
}

function audience(a: Audience): string {
  switch (a.kind) {
    case 'all': return 'everyone';
    case 'channels': return a.channels.length === 1 ? a.channels[0]! : `${a.channels.length} channels`;
    case 'users': return a.users.length === 1 ? `user ${a.users[0]!}` : `${a.users.length} users`;
    default: return assertNever(a);
  }
}
