import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdminEvent, ClusterSnapshot, NodeSnapshot } from '../../../shared/admin/admin-model.js';
import type { PeerCounts } from './alert-readings.js';
import { MinuteCounts, countEvents, heartbeatCounts, newEventCounts, readingsOf } from './alert-readings.js';

const T0 = 1_800_000_000_000;
const node = (id: string, patch: Partial<NodeSnapshot> = {}): NodeSnapshot => ({
  id, pid: 1, state: 'healthy', uptimeMs: 1000, restarts: 0, connections: 0, users: 0, subscriptions: 0, messagesInPerSec: 0, messagesOutPerSec: 0,
  bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 0, rss: 0, heapUsed: 0, loopDelayP50Ms: 0, loopDelayP99Ms: 0, ...patch,
});
const snapshot = (nodes: NodeSnapshot[]): ClusterSnapshot => ({
  at: T0, nodes, strategy: 'least-connections', autoRestart: true, proxies: [],
  totals: { nodesUp: 0, nodesTotal: 0, connections: 0, users: 0, channels: 0, subscriptions: 0, messagesInPerSec: 0, messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, publicationsPerSec: 0 },
});
const value = (rs: ReturnType<typeof readingsOf>, kind: string, n?: string): number | undefined => rs.find((r) => r.kind === kind && r.node === n)?.value;

describe('what the alert rules read', () => {
  it('reads state, loop delay, RSS in MB and connections as a share of maxConnections from each node', () => {
    const rs = readingsOf(snapshot([
      node('node-1', { loopDelayP99Ms: 42, rss: 512 * 1024 * 1024, connections: 450, maxConnections: 500 }),
      node('node-2', { state: 'hung' }),
    ]), newEventCounts(), T0);
    assert.equal(value(rs, 'node-unhealthy', 'node-1'), 0);
    assert.equal(value(rs, 'loop-delay', 'node-1'), 42);
    assert.equal(value(rs, 'rss', 'node-1'), 512);
    assert.equal(value(rs, 'connections-capacity', 'node-1'), 90);
    assert.equal(value(rs, 'node-unhealthy', 'node-2'), 1);
    assert.equal(rs.find((r) => r.node === 'node-2' && r.kind === 'node-unhealthy')?.detail, 'hung');
    assert.equal(value(rs, 'loop-delay', 'node-2'), undefined, 'a hung node has no figures worth judging');
  });

  it('skips connections-capacity for a node whose limit is unknown', () => {
    const rs = readingsOf(snapshot([node('node-1', { connections: 10 })]), newEventCounts(), T0);
    assert.equal(value(rs, 'connections-capacity', 'node-1'), undefined);
  });

  it('counts slow-consumer disconnects (code 3008) and not-recovered resubscribes per node over the last minute', () => {
    const counts = newEventCounts();
    const ev = (e: Record<string, unknown>, s: number): AdminEvent => ({ seq: 1, at: T0 + s * 1000, ...e }) as AdminEvent;
    countEvents(counts, [
      ev({ type: 'client.disconnected', node: 'node-1', client: 'a', user: '', code: 3008, reason: 'slow' }, 0),
      ev({ type: 'client.disconnected', node: 'node-1', client: 'b', user: '', code: 3008, reason: 'slow' }, 30),
      ev({ type: 'client.disconnected', node: 'node-1', client: 'c', user: '', code: 3000, reason: 'normal' }, 30),
      ev({ type: 'subscription.recovered', node: 'node-2', client: 'd', user: '', channel: 'x', recovered: false, replayed: 0 }, 30),
      ev({ type: 'subscription.recovered', node: 'node-2', client: 'e', user: '', channel: 'x', recovered: true, replayed: 3 }, 30),
    ]);
    const at40 = readingsOf(snapshot([node('node-1'), node('node-2')]), counts, T0 + 40_000);
    assert.equal(value(at40, 'slow-consumers', 'node-1'), 2);
    assert.equal(value(at40, 'not-recovered', 'node-2'), 1);
    assert.equal(value(at40, 'not-recovered', 'node-1'), 0);
    const at70 = readingsOf(snapshot([node('node-1'), node('node-2')]), counts, T0 + 70_000);
    assert.equal(value(at70, 'slow-consumers', 'node-1'), 1, 'the disconnect of a minute and more ago has left the window');
  });

  it('counts publish errors for the cluster as a whole', () => {
    const counts = newEventCounts();
    counts.publishErrors.add('cluster', T0);
    counts.publishErrors.add('cluster', T0 + 500);
    assert.equal(value(readingsOf(snapshot([]), counts, T0 + 1000), 'publish-errors'), 2);
  });

  it('hands its own counts of the last minute to its heartbeat, leaving out nodes at 0, and nothing while all are 0', () => {
    const counts = newEventCounts();
    assert.equal(heartbeatCounts(counts, T0), null);
    counts.slow.add('node-1', T0);
    counts.slow.add('node-1', T0 + 10);
    counts.notRecovered.add('node-2', T0 - 70_000);
    counts.publishErrors.add('cluster', T0);
    assert.deepEqual(heartbeatCounts(counts, T0 + 1000), { slow: { 'node-1': 2 }, notRecovered: {}, publishErrors: 1 });
    assert.equal(heartbeatCounts(counts, T0 + 61_000), null, 'all have left the minute');
  });

  it('judges another supervisor\'s nodes on what it counted, named as the snapshot names them, and adds its publish errors to the cluster\'s', () => {
    const counts = newEventCounts();
    counts.slow.add('node-1', T0);
    counts.publishErrors.add('cluster', T0);
    const peers: PeerCounts[] = [
      { supervisor: 'sb-a', counts: { slow: { 'node-1': 4 }, notRecovered: { 'node-2': 1 }, publishErrors: 2 } },
      { supervisor: 'sb-c', counts: { slow: {}, notRecovered: {}, publishErrors: 3 } },
    ];
    const rs = readingsOf(snapshot([node('node-1'), node('sb-a/node-1'), node('sb-a/node-2')]), counts, T0 + 1000, peers);
    assert.equal(value(rs, 'slow-consumers', 'node-1'), 1, 'its own node-1 is not the peer\'s');
    assert.equal(value(rs, 'slow-consumers', 'sb-a/node-1'), 4);
    assert.equal(value(rs, 'not-recovered', 'sb-a/node-2'), 1);
    assert.equal(value(rs, 'not-recovered', 'sb-a/node-1'), 0);
    assert.equal(value(rs, 'publish-errors'), 6);
  });

  it('forgets a key once its last count has left the minute', () => {
    const c = new MinuteCounts();
    c.add('node-9', T0);
    assert.deepEqual(c.keys(), ['node-9']);
    assert.equal(c.count('node-9', T0 + 61_000), 0);
    assert.deepEqual(c.keys(), []);
  });
});
