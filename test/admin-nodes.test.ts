/**
 * Cluster settings and node lifecycle through the admin API (issue 3, "Tested by"): the routing
 * strategy and auto-restart as snapshots show them and as the cluster behaves; adding, removing
 * (with a drain) and restarting nodes with real centrifuge clients on them; minting a token.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Centrifuge } from 'centrifuge';
import { AdminErrors } from '../shared/admin/admin-api.js';
import type { NodeSnapshot } from '../shared/admin/admin-model.js';
import type { AdminClient } from './support/admin-client.js';
import { adminError, eventAfter, eventMark, nameOf, openAdmin, registryHolds, snapshotAfter } from './support/admin-helpers.js';
import type { Close } from './support/admin-helpers.js';
import { connectClient } from './support/real-clients.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const FAST = { minReconnectDelay: 50, maxReconnectDelay: 300 };

/** A node in a snapshot, or undefined when the snapshot has none by that id. */
const nodeIn = (nodes: readonly NodeSnapshot[], id: string): NodeSnapshot | undefined => nodes.find((n) => n.id === id);

/** The distinct nodes the registry has a user's connections on. */
async function nodesOfUser(admin: AdminClient, user: string): Promise<Set<string>> {
  return new Set((await admin.request('connections.query', { filter: { user } })).items.map((r) => r.node));
}

describe('admin cluster settings', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  before(async () => {
    cluster = await startTestCluster();
    admin = await openAdmin(cluster);
  });
  after(() => cluster?.stop());

  it('shows a new routing strategy in the next snapshot and routes by it', async () => {
    const mark = eventMark(admin);
    assert.deepEqual(await admin.request('cluster.set-strategy', { strategy: 'sticky' }), {});
    await snapshotAfter(admin, admin.snapshots.length, (s) => s.strategy === 'sticky', 'a snapshot with the sticky strategy');
    const action = await eventAfter(admin, mark, 'admin.action', (e) => e.action === 'cluster.set-strategy');
    assert.deepEqual([action.by, action.detail], [nameOf(admin), 'sticky']);
    for (let i = 0; i < 3; i++) await connectClient(cluster, 'stella', { query: 'user=stella' });
    await registryHolds(admin, { user: 'stella' }, 3);
    assert.equal((await nodesOfUser(admin, 'stella')).size, 1, 'sticky keeps a user on one node');

    await admin.request('cluster.set-strategy', { strategy: 'round-robin' });
    await snapshotAfter(admin, admin.snapshots.length, (s) => s.strategy === 'round-robin', 'a snapshot with the round-robin strategy');
    for (let i = 0; i < 3; i++) await connectClient(cluster, 'robin', { query: 'user=robin' });
    await registryHolds(admin, { user: 'robin' }, 3);
    assert.equal((await nodesOfUser(admin, 'robin')).size, 3, 'round-robin spreads consecutive connections');
  });

  it('leaves a killed node down while auto-restart is off, and restarts a later kill once it is on again', async () => {
    assert.deepEqual(await admin.request('cluster.set-auto-restart', { enabled: false }), {});
    await snapshotAfter(admin, admin.snapshots.length, (s) => !s.autoRestart, 'a snapshot with auto-restart off');
    const mark = eventMark(admin);
    assert.deepEqual(await admin.request('node.kill', { node: 'node-3' }), {});
    const fault = await eventAfter(admin, mark, 'fault.injected', (e) => e.node === 'node-3');
    assert.deepEqual([fault.fault, fault.by], ['kill', nameOf(admin)]);
    await eventAfter(admin, mark, 'node.down', (e) => e.node === 'node-3');
    const down = await snapshotAfter(admin, admin.snapshots.length, (s) => nodeIn(s.nodes, 'node-3')?.state === 'down', 'node-3 down');
    // A restart comes after a backoff of 100 ms in tests: two more snapshots would have caught one.
    const from = admin.snapshots.indexOf(down);
    await waitFor(() => admin.snapshots.length >= from + 3, { what: 'two more snapshots' });
    for (const s of admin.snapshots.slice(from)) {
      assert.deepEqual([nodeIn(s.nodes, 'node-3')?.state, nodeIn(s.nodes, 'node-3')?.restarts], ['down', 0]);
      assert.equal(s.totals.nodesUp, 2);
    }
    assert.equal(nodeIn(down.nodes, 'node-3')?.uptimeMs, 0);
    assert.equal((await adminError(admin, 'node.kill', { node: 'node-3' })).code, AdminErrors.conflict);

    await admin.request('cluster.set-auto-restart', { enabled: true });
    await snapshotAfter(admin, admin.snapshots.length, (s) => s.autoRestart, 'a snapshot with auto-restart on');
    const old = nodeIn(admin.snapshot.nodes, 'node-2')!;
    await admin.request('node.kill', { node: 'node-2' });
    const back = await admin.snapshotWhere((s) => {
      const n = nodeIn(s.nodes, 'node-2');
      return n?.state === 'healthy' && n.pid !== old.pid;
    }, 10_000, 'node-2 healthy again with a new pid');
    assert.equal(nodeIn(back.nodes, 'node-2')?.restarts, old.restarts + 1);
  });
});

describe('admin node lifecycle', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  /** Real clients with the closes that made them reconnect. */
  const clients: { user: string; client: Centrifuge; closes: Close[] }[] = [];
  before(async () => {
    cluster = await startTestCluster();
    admin = await openAdmin(cluster);
    for (let i = 1; i <= 6; i++) {
      const { client } = await connectClient(cluster, `life-${i}`, FAST);
      const c = { user: `life-${i}`, client, closes: [] as Close[] };
      client.on('connecting', (ctx) => c.closes.push({ code: ctx.code, reason: ctx.reason }));
      clients.push(c);
    }
    await registryHolds(admin, {}, 6);
  });
  after(() => cluster?.stop());

  /** Waits until every lifecycle client is connected and the registry holds `total` connections, none on `gone`. */
  async function allBack(total: number, gone?: string): Promise<void> {
    await waitFor(() => clients.every((c) => c.client.state === 'connected'), { what: 'every client connected again' });
    await registryHolds(admin, {}, total);
    if (gone !== undefined) await registryHolds(admin, { node: gone }, 0);
  }

  it('adds a fourth node that shows healthy in the snapshots and takes the next connection', async () => {
    const mark = eventMark(admin);
    assert.deepEqual(await admin.request('node.add', {}), { node: 'node-4' });
    const started = await eventAfter(admin, mark, 'node.started', (e) => e.node === 'node-4');
    const snap = await admin.snapshotWhere((s) => nodeIn(s.nodes, 'node-4')?.state === 'healthy', 5000, 'node-4 healthy');
    assert.equal(nodeIn(snap.nodes, 'node-4')?.pid, started.pid);
    assert.deepEqual([snap.totals.nodesTotal, snap.totals.nodesUp], [4, 4]);
    await connectClient(cluster, 'newcomer', FAST);
    await registryHolds(admin, { user: 'newcomer' }, 1);
    assert.deepEqual([...(await nodesOfUser(admin, 'newcomer'))], ['node-4'], 'least-connections sends it to the empty node');
  });

  it('removes a node by draining it: its clients reconnect elsewhere, it leaves the snapshots, and node.removed follows', async () => {
    const total = 7;
    const { items } = await admin.request('connections.query', { filter: { node: 'node-1' } });
    assert.ok(items.length > 0, 'node-1 has clients to drain');
    const drainedUsers = items.map((r) => r.user).sort();
    const mark = eventMark(admin);
    assert.deepEqual(await admin.request('node.remove', { node: 'node-1' }), { drained: items.length });
    await eventAfter(admin, mark, 'node.removed', (e) => e.node === 'node-1');
    await admin.snapshotWhere((s) => !nodeIn(s.nodes, 'node-1') && s.totals.nodesTotal === 3, 5000, 'a snapshot without node-1');
    await allBack(total, 'node-1');
    for (const user of drainedUsers) {
      const c = clients.find((x) => x.user === user);
      assert.deepEqual(c?.closes.at(-1), { code: 3001, reason: 'shutdown' }, `${user} was told to reconnect`);
      assert.equal((await nodesOfUser(admin, user)).has('node-1'), false);
    }
    await admin.snapshotWhere((s) => s.totals.connections === total, 5000, `a snapshot with ${total} connections`);
    assert.equal((await adminError(admin, 'node.remove', { node: 'node-1' })).code, AdminErrors.notFound);
  });

  it('restarts a node: down, then healthy with a new pid and one more restart, and its clients come back', async () => {
    const total = 7;
    const old = nodeIn(admin.snapshot.nodes, 'node-2')!;
    assert.equal(old.state, 'healthy');
    const mark = eventMark(admin);
    assert.deepEqual(await admin.request('node.restart', { node: 'node-2' }), {});
    const down = await eventAfter(admin, mark, 'node.down', (e) => e.node === 'node-2');
    const restarted = await eventAfter(admin, mark, 'node.restarted', (e) => e.node === 'node-2');
    assert.ok(down.seq < restarted.seq, 'down before restarted');
    assert.notEqual(restarted.pid, old.pid);
    const snap = await admin.snapshotWhere((s) => {
      const n = nodeIn(s.nodes, 'node-2');
      return n?.pid === restarted.pid && n.state === 'healthy';
    }, 5000, 'node-2 healthy with its new pid');
    assert.equal(nodeIn(snap.nodes, 'node-2')?.restarts, old.restarts + 1);
    await allBack(total);
    await admin.snapshotWhere((s) => s.totals.connections === total, 5000, `a snapshot with ${total} connections`);
  });

  it('mints a connection token that a real client connects with', async () => {
    const minted = await admin.request('token.mint', { user: 'minted', ttlSeconds: 60 });
    assert.equal(minted.user, 'minted');
    assert.ok(minted.expiresAt !== null && minted.expiresAt > Date.now());
    const client = await cluster.client('not-this-user', { token: minted.token });
    const connected = new Promise<{ client: string }>((resolve) => client.once('connected', resolve));
    client.connect();
    const { client: id } = await connected;
    await registryHolds(admin, { user: 'minted' }, 1);
    const { items } = await admin.request('connections.query', { filter: { user: 'minted' } });
    assert.deepEqual(items.map((r) => r.client), [id]);
    assert.equal((await admin.request('token.mint', { user: 'forever', ttlSeconds: 0 })).expiresAt, null);
  });
});

describe('admin node lifecycle limits', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  before(async () => {
    cluster = await startTestCluster({ nodes: 1 });
    admin = await openAdmin(cluster);
  });
  after(() => cluster?.stop());

  it('refuses to remove the last node with 409, and an unknown node with 404', async () => {
    const last = await adminError(admin, 'node.remove', { node: 'node-1' });
    assert.equal(last.code, AdminErrors.conflict);
    assert.equal((await adminError(admin, 'node.remove', { node: 'node-9' })).code, AdminErrors.notFound);
    assert.equal((await adminError(admin, 'node.restart', { node: 'node-9' })).code, AdminErrors.notFound);
    const snap = await admin.snapshotWhere((s) => s.nodes.length === 1, 3000, 'a snapshot of the one node');
    assert.equal(snap.nodes[0]?.state, 'healthy');
  });
});
