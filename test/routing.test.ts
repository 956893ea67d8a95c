/**
 * Routing (issue 2, "Tested by"): which node the gateway hands a new connection to, per strategy,
 * and what a client gets when no node can take it. A client's node is read from outside: the
 * nodes' `num_clients` (HTTP API `info`) before and after it connects.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Centrifuge } from 'centrifuge';
import type { RoutingStrategy } from '../embedded-server/index.js';
import { startTestCluster } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';
import { killNode, nodeInState, settledCounts, upgradeStatus } from './support/cluster-nodes.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

async function connected(cluster: TestCluster, user: string, query?: string): Promise<Centrifuge> {
  const c = await cluster.client(user, query === undefined ? {} : { query });
  c.connect();
  await c.ready(5000);
  return c;
}

/** Connects one client while `open` others stay connected; answers the node it landed on. */
async function landing(cluster: TestCluster, open: number, user: string, query?: string): Promise<{ node: string; client: Centrifuge }> {
  const before = await settledCounts(cluster, open);
  const client = await connected(cluster, user, query);
  const after = await settledCounts(cluster, open + 1);
  const grown = [...after].filter(([id, n]) => n > (before.get(id) ?? 0)).map(([id]) => id);
  assert.equal(grown.length, 1, `one node should have one more client: ${JSON.stringify([...before])} → ${JSON.stringify([...after])}`);
  return { node: grown[0]!, client };
}

/** Where `user` lands on `times` consecutive connections, each closed before the next. */
async function landings(cluster: TestCluster, times: number, user: string, query?: string): Promise<string[]> {
  const nodes: string[] = [];
  for (let i = 0; i < times; i++) {
    const { node, client } = await landing(cluster, 0, user, query);
    nodes.push(node);
    client.disconnect();
  }
  await settledCounts(cluster, 0);
  return nodes;
}

function assertEach(counts: Map<string, number>, expected: number, tolerance: number): void {
  assert.equal(counts.size, 3, 'three nodes report');
  for (const [id, n] of counts) {
    assert.ok(Math.abs(n - expected) <= tolerance, `${id} has ${n} clients, expected ${expected} ± ${tolerance}: ${JSON.stringify([...counts])}`);
  }
}

for (const strategy of ['least-connections', 'round-robin'] as const satisfies readonly RoutingStrategy[]) {
  describe(`${strategy} routing`, () => {
    let cluster: TestCluster;
    before(async () => {
      cluster = await startTestCluster({ strategy });
    });
    after(() => cluster?.stop());

    it('spreads 30 connections made at once evenly over 3 nodes', async () => {
      await Promise.all(range(30).map((i) => connected(cluster, `user-${i}`)));
      const counts = await settledCounts(cluster, 30);
      console.log(`routing: ${strategy} spread 30 connections as ${[...counts.values()].join(' / ')}`);
      assertEach(counts, 10, 2);
    });
  });
}

describe('sticky routing', () => {
  let cluster: TestCluster;
  /** The node alice lands on while every node is healthy, and the one she moves to without it. */
  let home: string;
  let second: string;
  before(async () => {
    cluster = await startTestCluster({ strategy: 'sticky', autoRestart: false });
  });
  after(() => cluster?.stop());

  it('lands a user on the same node on each of five reconnects while that node is healthy', async () => {
    const nodes = await landings(cluster, 5, 'alice', 'user=alice');
    assert.deepEqual(nodes, Array(5).fill(nodes[0]));
    home = nodes[0]!;
  });

  it('routes connections without a user key by least connections', async () => {
    const keyed = await Promise.all(range(4).map(() => connected(cluster, 'alice', 'user=alice')));
    const loaded = await settledCounts(cluster, 4);
    assert.equal(loaded.get(home), 4, 'every keyed connection of alice is on her node');
    const keyless: Centrifuge[] = [];
    // One at a time, so each sees the load the previous ones left.
    for (const i of range(8)) keyless.push(await connected(cluster, `anon-${i}`));
    const counts = await settledCounts(cluster, 12);
    assertEach(counts, 4, 1);
    for (const c of [...keyed, ...keyless]) c.disconnect();
    await settledCounts(cluster, 0);
  });

  it('moves the user off a hung node, and back once it reports again', async () => {
    const pid = cluster.handle.nodes().find((n) => n.id === home)!.pid;
    process.kill(pid, 'SIGSTOP');
    try {
      await nodeInState(cluster, home, 'unhealthy');
      const away = await landings(cluster, 3, 'alice', 'user=alice');
      assert.deepEqual(away, Array(3).fill(away[0]));
      assert.notEqual(away[0], home);
      second = away[0]!;
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await nodeInState(cluster, home, 'healthy');
    assert.deepEqual(await landings(cluster, 2, 'alice', 'user=alice'), [home, home]);
  });

  it('moves the user to another healthy node once its node is killed, consistently', async () => {
    const pid = killNode(cluster, home);
    await nodeInState(cluster, home, 'down');
    const nodes = await landings(cluster, 5, 'alice', 'user=alice');
    assert.deepEqual(nodes, Array(5).fill(second), 'the same node the user went to while hers was hung');
    assert.equal(cluster.handle.nodes().find((n) => n.id === home)?.pid, pid, 'no restart with autoRestart off');
  });
});

describe('with every node down', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ autoRestart: false });
  });
  after(() => cluster?.stop());

  it('answers a WebSocket upgrade with 503 while the HTTP API and /healthz still answer', async () => {
    const healthz = (): Promise<Response> => fetch(`http://127.0.0.1:${cluster.handle.port}/healthz`);
    assert.equal(await upgradeStatus(cluster), 101);
    assert.equal((await healthz()).status, 200);

    for (const n of cluster.handle.nodes()) killNode(cluster, n.id);
    for (const n of cluster.handle.nodes()) await nodeInState(cluster, n.id, 'down');

    assert.equal(await upgradeStatus(cluster), 503);
    const health = await healthz();
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { status: 'unavailable', reason: 'no healthy node' });
    const info = await cluster.api('info', {});
    assert.equal(info.status, 200, info.text);
    assert.deepEqual(info.body, { result: { nodes: [] } });
  });
});
