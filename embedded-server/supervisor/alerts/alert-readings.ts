/**
 * What the alert rules watch, read from one 1 Hz snapshot and the last minute's counts (pure):
 * node state, event-loop p99, RSS and connections vs `maxConnections` straight from each
 * NodeSnapshot; slow-consumer disconnects and not-recovered resubscribes counted from the event
 * log (client.disconnected with code 3008, subscription.recovered with recovered: false); publish
 * errors counted where the server API answers (publish and broadcast requests that did not succeed).
 * On an engine shared with other supervisors, their nodes come in the snapshot and what only they
 * count comes in their heartbeats (`alertCounts`), so every node is judged on every kind here too.
 */
import type { AdminEvent, ClusterSnapshot, NodeState } from '../../../shared/admin/admin-model.js';
import type { HeartbeatAlertCounts } from '../../../shared/engine/control-messages.js';
import { MAX_COUNTED_NODES } from '../../../shared/engine/control-messages.js';
import { Disconnects } from '../../../shared/protocol/codes.js';
import { remoteNodeId } from '../cluster-wide.js';
import type { AlertReading } from './alert-evaluator.js';

const WINDOW_MS = 60_000;
const HEALTHY: ReadonlySet<NodeState> = new Set<NodeState>(['healthy', 'starting']);

/** Counts of things that happened, per key, over the last minute (in 1 s buckets). */
export class MinuteCounts {
  private readonly buckets = new Map<string, [second: number, count: number][]>();

  add(key: string, at: number, n = 1): void {
    const second = Math.floor(at / 1000);
    const list = this.buckets.get(key) ?? [];
    const last = list.at(-1);
    if (last && last[0] === second) last[1] += n;
    else list.push([second, n]);
    this.buckets.set(key, list);
  }

  /** What was added in the minute up to `now`; drops older buckets as it goes. */
  count(key: string, now: number): number {
    const list = this.buckets.get(key);
    if (!list) return 0;
    const oldest = Math.floor((now - WINDOW_MS) / 1000);
    while (list.length > 0 && list[0]![0] <= oldest) list.shift();
    if (list.length === 0) {
      this.buckets.delete(key);
      return 0;
    }
    return list.reduce((n, b) => n + b[1], 0);
  }

  keys(): string[] {
    return [...this.buckets.keys()];
  }
}

/** The per-minute counts the event log feeds. */
export interface EventCounts {
  slow: MinuteCounts;
  notRecovered: MinuteCounts;
  publishErrors: MinuteCounts;
}

export const newEventCounts = (): EventCounts => ({ slow: new MinuteCounts(), notRecovered: new MinuteCounts(), publishErrors: new MinuteCounts() });

/** Counts the events that per-minute rules watch. */
export function countEvents(counts: EventCounts, events: readonly AdminEvent[]): void {
  for (const e of events) {
    if (e.type === 'client.disconnected' && e.code === Disconnects.slow.code) counts.slow.add(e.node, e.at);
    else if (e.type === 'subscription.recovered' && !e.recovered) counts.notRecovered.add(e.node, e.at);
  }
}

/** Another supervisor's counts, from its latest heartbeat. */
export interface PeerCounts {
  supervisor: string;
  counts: HeartbeatAlertCounts;
}

/** This supervisor's counts over the minute up to `now`, for its heartbeat (nodes at 0 left out); null while all are 0. */
export function heartbeatCounts(counts: EventCounts, now: number): HeartbeatAlertCounts | null {
  const perNode = (m: MinuteCounts): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const node of m.keys().slice(0, MAX_COUNTED_NODES)) {
      const n = m.count(node, now);
      if (n > 0) out[node] = n;
    }
    return out;
  };
  const c = { slow: perNode(counts.slow), notRecovered: perNode(counts.notRecovered), publishErrors: counts.publishErrors.count('cluster', now) };
  return c.publishErrors === 0 && Object.keys(c.slow).length === 0 && Object.keys(c.notRecovered).length === 0 ? null : c;
}

/**
 * Every reading for this second: per node from the snapshot, per-minute counts per node, publish
 * errors for the cluster — each count this supervisor's plus what its peers reported for theirs
 * (their nodes named `<supervisor>/node-N`, as the snapshot names them).
 */
export function readingsOf(snapshot: ClusterSnapshot, counts: EventCounts, now: number, peers: readonly PeerCounts[] = []): AlertReading[] {
  const out: AlertReading[] = [];
  const peerSlow = new Map<string, number>();
  const peerNotRecovered = new Map<string, number>();
  let peerPublishErrors = 0;
  for (const { supervisor, counts: c } of peers) {
    for (const [node, n] of Object.entries(c.slow)) peerSlow.set(remoteNodeId(supervisor, node), n);
    for (const [node, n] of Object.entries(c.notRecovered)) peerNotRecovered.set(remoteNodeId(supervisor, node), n);
    peerPublishErrors += c.publishErrors;
  }
  const nodes = new Set<string>();
  for (const n of snapshot.nodes) {
    nodes.add(n.id);
    out.push({ kind: 'node-unhealthy', node: n.id, value: HEALTHY.has(n.state) ? 0 : 1, detail: n.state });
    // A node without a live process has no figures worth judging (its unhealthiness is the alert).
    if (!HEALTHY.has(n.state)) continue;
    out.push({ kind: 'loop-delay', node: n.id, value: n.loopDelayP99Ms });
    out.push({ kind: 'rss', node: n.id, value: n.rss / (1024 * 1024) });
    if (n.maxConnections !== undefined && n.maxConnections > 0) {
      out.push({ kind: 'connections-capacity', node: n.id, value: (100 * n.connections) / n.maxConnections });
    }
  }
  for (const node of new Set([...nodes, ...counts.slow.keys(), ...peerSlow.keys()])) {
    out.push({ kind: 'slow-consumers', node, value: counts.slow.count(node, now) + (peerSlow.get(node) ?? 0) });
  }
  for (const node of new Set([...nodes, ...counts.notRecovered.keys(), ...peerNotRecovered.keys()])) {
    out.push({ kind: 'not-recovered', node, value: counts.notRecovered.count(node, now) + (peerNotRecovered.get(node) ?? 0) });
  }
  out.push({ kind: 'publish-errors', value: counts.publishErrors.count('cluster', now) + peerPublishErrors });
  return out;
}
