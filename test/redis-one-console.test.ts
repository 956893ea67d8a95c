/**
 * One console for every supervisor on one Redis (issue 10 §3): supervisor B's admin API and HTTP API
 * see, query and act on what lives on supervisor A — its nodes, its connections, its channels — through
 * the control bus; a supervisor that does not answer is named, never silently left out; one that
 * stops beating leaves B's view with its nodes.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { SupervisorHeartbeat } from '../shared/engine/control-messages.js';
import { encodeControlMessage } from '../shared/engine/control.codec.js';
import type { AdminClient } from './support/admin-client.js';
import { adminError, nextDisconnect, openAdmin } from './support/admin-helpers.js';
import { apiError, apiResult } from './support/api-calls.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import { startRedis } from './support/redis-server.js';
import type { RunningRedis } from './support/redis-server.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

describe('one console across two supervisors on one Redis', () => {
  let redis: RunningRedis;
  let prefix: string;
  let a: TestCluster | undefined;
  let b: TestCluster | undefined;
  let adminB: AdminClient;

  before(async () => {
    redis = await startRedis();
    prefix = `t${process.pid}-${randomUUID().slice(0, 8)}`;
    const engine = { type: 'redis' as const, redis: { address: redis.url, prefix } };
    a = await startTestCluster({ name: 'sb-a', nodes: 1, engine });
    b = await startTestCluster({ name: 'sb-b', nodes: 1, engine });
    adminB = await openAdmin(b);
    await adminB.snapshotWhere((s) => (s.supervisors ?? []).some((v) => v.id === 'sb-a'), 10_000, 'sb-a in B\'s view');
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await redis.stop();
  });

  it('lists every supervisor and every node in B\'s snapshot, with A\'s nodes named after A', async () => {
    const s = await adminB.snapshotWhere((x) => x.nodes.some((n) => n.id === 'sb-a/node-1' && n.state === 'healthy'));
    assert.deepEqual(s.supervisors?.map((v) => ({ id: v.id, self: v.self, kind: v.engine.kind, link: v.engine.link })), [
      { id: 'sb-b', self: true, kind: 'redis', link: 'connected' },
      { id: 'sb-a', self: false, kind: 'redis', link: 'connected' },
    ]);
    assert.deepEqual(s.nodes.map((n) => [n.id, n.supervisor]).sort(), [['node-1', 'sb-b'], ['sb-a/node-1', 'sb-a']]);
    assert.equal(s.totals.nodesTotal, 2);
  });

  it('finds, details and kicks from B a client that lives on A', async () => {
    const ann = await connectClient(a!, 'ann-kick');
    await subscribeTo(ann.client, 'chat:span-kick');
    const page = await adminB.request('connections.query', { filter: { user: 'ann-kick' } });
    assert.deepEqual(page.items.map((r) => ({ client: r.client, node: r.node, supervisor: r.supervisor })), [
      { client: ann.id, node: 'sb-a/node-1', supervisor: 'sb-a' },
    ]);
    assert.equal(page.total, 1);
    assert.equal(page.unanswered, undefined);
    const detail = await adminB.request('connection.get', { client: ann.id });
    assert.equal(detail.node, 'sb-a/node-1');
    assert.deepEqual(detail.subscriptionList.map((x) => x.channel), ['chat:span-kick']);
    const channels = await adminB.request('channels.query', { filter: { prefix: 'chat:span-kick' } });
    assert.deepEqual(channels.items.map((r) => ({ channel: r.channel, subscribers: r.subscribers })), [{ channel: 'chat:span-kick', subscribers: 1 }]);
    const closed = nextDisconnect(ann.client);
    assert.deepEqual(await adminB.request('session.kick', { target: { client: ann.id }, reconnect: false }), { kicked: 1 });
    assert.equal((await closed).code, 3503);
  });

  it('sorts and pages connections of both supervisors as one list', async () => {
    const users = ['pg-1', 'pg-2', 'pg-3', 'pg-4'];
    const clients = await Promise.all(users.map((u, i) => connectClient(i % 2 === 0 ? a! : b!, u)));
    try {
      const first = await adminB.request('connections.query', { filter: { text: 'pg-' }, sort: { by: 'user', dir: 'desc' }, limit: 3 });
      const rest = await adminB.request('connections.query', { filter: { text: 'pg-' }, sort: { by: 'user', dir: 'desc' }, offset: 3, limit: 3 });
      assert.equal(first.total, 4);
      assert.deepEqual([...first.items, ...rest.items].map((r) => [r.user, r.supervisor]), [
        ['pg-4', 'sb-b'], ['pg-3', 'sb-a'], ['pg-2', 'sb-b'], ['pg-1', 'sb-a'],
      ]);
      const onA = await adminB.request('connections.query', { filter: { node: 'sb-a/node-1', text: 'pg-' } });
      assert.deepEqual(onA.items.map((r) => r.user).sort(), ['pg-1', 'pg-3']);
    } finally {
      for (const c of clients) c.client.disconnect();
    }
  });

  it('broadcasts from B to a user\'s connections on both supervisors, delivering to exactly the dry-run reach', async () => {
    const clients = [await connectClient(a!, 'bc-span'), await connectClient(b!, 'bc-span')];
    const messages: unknown[] = [];
    for (const c of clients) c.client.on('message', (ctx) => messages.push(ctx.data));
    try {
      const audience = { kind: 'users' as const, users: ['bc-span', 'bc-absent'] };
      const dry = await adminB.request('broadcast.send', { audience, data: 'hi', dryRun: true });
      assert.deepEqual(dry, {
        connections: 2, nodes: 2, sent: false,
        perUser: [{ user: 'bc-span', connections: 2 }, { user: 'bc-absent', connections: 0 }], notConnected: ['bc-absent'],
      });
      const reply = await adminB.request('broadcast.send', { audience, data: 'hi' });
      assert.equal(reply.delivered, dry.connections);
      await waitFor(() => messages.length >= 2, { what: 'both connections to get the message' });
      assert.deepEqual(messages, ['hi', 'hi']);
    } finally {
      for (const c of clients) c.client.disconnect();
    }
  });

  it('acts on A\'s node from B: restart sb-a/node-1 gives it a new pid', async () => {
    const before = a!.handle.nodes()[0]!.pid;
    assert.deepEqual(await adminB.request('node.restart', { node: 'sb-a/node-1' }), {});
    await waitFor(() => a!.handle.nodes()[0]!.pid !== before && a!.handle.nodes()[0]!.state === 'healthy', { timeoutMs: 15_000, what: 'A\'s node-1 restarted' });
    const e = await adminError(adminB, 'node.kill', { node: 'sb-nobody/node-1' });
    assert.deepEqual(e, { code: 404, message: 'no supervisor sb-nobody in view (it may have left)' });
  });

  it('answers B\'s HTTP API info, channels and disconnect across both supervisors', async () => {
    await waitFor(() => adminB.snapshot.nodes.some((n) => n.id === 'sb-a/node-1' && n.state === 'healthy'), { timeoutMs: 15_000, what: 'A healthy in B\'s view' });
    const bo = await connectClient(a!, 'bo-http');
    await subscribeTo(bo.client, 'chat:span-http');
    const info = await apiResult<{ nodes: { name: string; uid: string }[] }>(b!, 'info', {});
    assert.deepEqual(info.nodes.map((n) => n.name).sort(), ['node-1', 'sb-a/node-1']);
    assert.equal(new Set(info.nodes.map((n) => n.uid)).size, 2);
    const { channels } = await apiResult<{ channels: Record<string, { num_clients: number }> }>(b!, 'channels', { pattern: 'chat:span-http' });
    assert.deepEqual(channels, { 'chat:span-http': { num_clients: 1 } });
    const closed = nextDisconnect(bo.client);
    await apiResult(b!, 'disconnect', { user: 'bo-http' });
    assert.equal((await closed).code, 3503);
  });

  it('names a supervisor that beats but does not answer, in admin results and HTTP API errors alike', async () => {
    // A supervisor that is alive on the bus (it beats) but answers nothing: a hung process looks like this.
    const ghost = new Redis(redis.url);
    const beat = (): SupervisorHeartbeat => ({
      type: 'supervisor.heartbeat', supervisor: 'sb-ghost', at: Date.now(), nodes: [],
      totals: { connections: 0, subscriptions: 0, publications: 0 },
    });
    const beating = setInterval(() => void ghost.publish(`${prefix}.control`, encodeControlMessage(beat())), 500);
    try {
      await ghost.publish(`${prefix}.control`, encodeControlMessage(beat()));
      await adminB.snapshotWhere((s) => (s.supervisors ?? []).some((v) => v.id === 'sb-ghost'), 10_000, 'sb-ghost in view');
      const page = await adminB.request('connections.query', {});
      assert.deepEqual(page.unanswered, ['sb-ghost']);
      const kick = await adminB.request('session.kick', { target: { user: 'nobody-here' }, reconnect: false });
      assert.deepEqual(kick, { kicked: 0, unanswered: ['sb-ghost'] });
      const e = await apiError(b!, 'channels', {});
      assert.equal(e.code, 100);
      assert.match(e.message, /supervisor sb-ghost did not answer within 2 s/);
    } finally {
      clearInterval(beating);
      ghost.disconnect();
    }
    // Silent for 3 s: it leaves the view, and the queries answer whole again.
    const left = await adminB.eventWhere((e) => e.type === 'supervisor.left' && e.supervisor === 'sb-ghost', 10_000, 'sb-ghost left');
    assert.deepEqual(left.type === 'supervisor.left' && { nodes: left.nodes, reaped: left.reaped }, { nodes: 0, reaped: 0 });
    assert.equal((await adminB.request('connections.query', {})).unanswered, undefined);
  });

  it('drops A and its nodes from B\'s view once A stops beating, and A\'s presence with them', async () => {
    const who = async (): Promise<string[]> =>
      Object.values((await apiResult<{ presence: Record<string, { user: string }> }>(b!, 'presence', { channel: 'chat:span-left' })).presence).map((i) => i.user);
    const dee = await connectClient(a!, 'dee-left');
    await subscribeTo(dee.client, 'chat:span-left');
    assert.deepEqual(await who(), ['dee-left']);
    const stoppedAt = Date.now();
    await a!.stop();
    a = undefined;
    await adminB.snapshotWhere((s) => !s.nodes.some((n) => n.supervisor === 'sb-a') && !(s.supervisors ?? []).some((v) => v.id === 'sb-a'), 10_000, 'A gone from B\'s view');
    process.stdout.write(`# A left B's view ${Date.now() - stoppedAt} ms after A stopped\n`);
    assert.deepEqual(await who(), []);
    dee.client.disconnect();
  });
});
