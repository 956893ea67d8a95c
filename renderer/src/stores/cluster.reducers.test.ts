import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterSnapshot, NodeSnapshot } from '../../../shared/admin/admin-model.js';
import { applySeries, applySnapshot, emptySeries, SERIES_WINDOW } from './cluster.reducers.js';
import type { ClusterState } from './cluster.reducers.js';

function node(id: string, connections: number, out = 0): NodeSnapshot {
  return {
    id, pid: 1, state: 'healthy', uptimeMs: 1000, restarts: 0, connections, users: connections, subscriptions: 0,
    messagesInPerSec: 0, messagesOutPerSec: out, bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 1, rss: 0, heapUsed: 0,
    loopDelayP50Ms: 0, loopDelayP99Ms: 0,
  };
}

function snap(at: number, nodes: NodeSnapshot[]): ClusterSnapshot {
  const connections = nodes.reduce((a, n) => a + n.connections, 0);
  return {
    at, nodes, strategy: 'least-connections', autoRestart: true, proxies: [],
    totals: {
      nodesUp: nodes.length, nodesTotal: nodes.length, connections, users: connections, channels: 0, subscriptions: 0,
      messagesInPerSec: 0, messagesOutPerSec: nodes.reduce((a, n) => a + n.messagesOutPerSec, 0), bytesInPerSec: 0, bytesOutPerSec: 0, publicationsPerSec: 0,
    },
  };
}

const empty = (): ClusterState => ({ snapshot: null, series: emptySeries() });

describe('cluster reducers', () => {
  it('makes each snapshot the newest point of the total and of every node series', () => {
    const s = applySnapshot(applySnapshot(empty(), snap(1000, [node('a', 2, 5), node('b', 3)])), snap(2000, [node('a', 4), node('b', 1, 7)]));
    assert.deepEqual(s.series.total.map((p) => p.connections), [5, 5]);
    assert.deepEqual(s.series.nodes.a!.map((p) => p.connections), [2, 4]);
    assert.deepEqual(s.series.nodes.b!.map((p) => p.messagesOutPerSec), [0, 7]);
    assert.equal(s.snapshot?.at, 2000);
  });

  it('keeps at most the 5-minute window', () => {
    let s = empty();
    for (let i = 1; i <= SERIES_WINDOW + 25; i++) s = applySnapshot(s, snap(i * 1000, [node('a', i)]));
    assert.equal(s.series.total.length, SERIES_WINDOW);
    assert.equal(s.series.total[0]!.at, 26_000);
    assert.equal(s.series.nodes.a!.length, SERIES_WINDOW);
  });

  it('drops the series of a node that left the snapshot', () => {
    const s = applySnapshot(applySnapshot(empty(), snap(1000, [node('a', 1), node('b', 1)])), snap(2000, [node('a', 1)]));
    assert.deepEqual(Object.keys(s.series.nodes), ['a']);
  });

  it('does not append a second point for a snapshot it already has', () => {
    const first = applySnapshot(empty(), snap(1000, [node('a', 1)]));
    const again = applySnapshot(first, snap(1000, [node('a', 9)]));
    assert.equal(again.series.total.length, 1);
    assert.equal(again.snapshot?.nodes[0]!.connections, 9);
  });

  it('replaces the series with the one sent on connect', () => {
    const s = applySeries(applySnapshot(empty(), snap(1000, [node('a', 1)])), {
      intervalMs: 1000, total: [{ at: 5, connections: 3, messagesInPerSec: 0, messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 0 }], nodes: {},
    });
    assert.deepEqual(s.series.total.map((p) => p.at), [5]);
  });
});
