/**
 * The cluster's nodes as tests see them from outside: connections per node (HTTP API `info`),
 * killing a node's process, and the HTTP status of a WebSocket upgrade the gateway refuses.
 */
import assert from 'node:assert/strict';
import { upgradeStatusAt } from './admin-helpers.js';
import type { TestCluster } from './test-cluster.js';
import { waitFor } from './test-cluster.js';

interface InfoNode {
  /** The node id (`node-1`); `uid` is its incarnation. */
  name: string;
  num_clients: number;
}

/** Open connections per live node id, as the nodes last reported them (`info` → `num_clients`). */
export async function clientsPerNode(cluster: TestCluster): Promise<Map<string, number>> {
  const res = await cluster.api('info', {});
  assert.equal(res.status, 200, res.text);
  const nodes = (res.body as { result: { nodes: InfoNode[] } }).result.nodes;
  return new Map(nodes.map((n) => [n.name, n.num_clients]));
}

/** Waits until the nodes' reports add up to `total` connections; answers the counts then. */
export async function settledCounts(cluster: TestCluster, total: number, timeoutMs = 5000): Promise<Map<string, number>> {
  let counts = new Map<string, number>();
  await waitFor(async () => {
    counts = await clientsPerNode(cluster);
    return [...counts.values()].reduce((a, b) => a + b, 0) === total;
  }, { timeoutMs, intervalMs: 50, what: `the nodes to report ${total} connections in all` });
  return counts;
}

/** SIGKILLs a node's current process; answers the pid it had. */
export function killNode(cluster: TestCluster, id: string): number {
  const node = cluster.handle.nodes().find((n) => n.id === id);
  assert.ok(node, `no node ${id}`);
  process.kill(node.pid, 'SIGKILL');
  return node.pid;
}

/** Waits until a node is in `state` (e.g. 'down', or 'healthy' with a pid other than `notPid`). */
export async function nodeInState(
  cluster: TestCluster, id: string, state: string, opts: { notPid?: number; timeoutMs?: number } = {},
): Promise<{ id: string; pid: number; state: string }> {
  let found: { id: string; pid: number; state: string } | undefined;
  await waitFor(() => {
    found = cluster.handle.nodes().find((n) => n.id === id);
    return found?.state === state && found.pid !== opts.notPid;
  }, { timeoutMs: opts.timeoutMs ?? 10_000, what: `${id} to be ${state}` });
  return found!;
}

/**
 * Tries a WebSocket upgrade and answers the HTTP status: that of the refusal
 * ('unexpected-response'), or 101 when the socket opened (it is closed again at once).
 */
export function upgradeStatus(cluster: TestCluster, path = '/connection/websocket', timeoutMs = 5000): Promise<number> {
  return upgradeStatusAt(`ws://127.0.0.1:${cluster.handle.port}${path}`, {}, timeoutMs);
}
