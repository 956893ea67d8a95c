/**
 * Admin broadcasts (issue 3, "Tested by": a broadcast reaches exactly the dry-run count; issue 14:
 * users are reached by their connections, unknown ids are explained, delivered counts are kept): to
 * everyone, to channels and to users, each first as a dry run, then sent and counted on real
 * centrifuge clients. Every connection of this cluster is one of `clients`, so the counts are known
 * exactly.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Centrifuge } from 'centrifuge';
import { AdminErrors } from '../shared/admin/admin-api.js';
import type { AdminClient } from './support/admin-client.js';
import { adminError, eventAfter, eventMark, nameOf, nodesOf, openAdmin, registryHolds } from './support/admin-helpers.js';
import { connectClient } from './support/real-clients.js';
import { sleep, startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

/** A real client and every `message` push and publication (by channel) it received. */
interface Listener {
  user: string;
  id: string;
  client: Centrifuge;
  channels: string[];
  messages: unknown[];
  publications: { channel: string; data: unknown }[];
}

/** Who connects, and what each subscribes to. Personal channels: `personal:#<user>` (carl and emil subscribe to none). */
const PLAN: { user: string; channels: string[] }[] = [
  { user: 'alma', channels: ['chat:bc-1', 'personal:#alma'] },
  { user: 'alma', channels: ['personal:#alma'] },
  { user: 'bert', channels: ['chat:bc-1', 'personal:#bert'] },
  { user: 'carl', channels: ['chat:bc-1', 'chat:bc-2'] },
  { user: 'dora', channels: ['chat:bc-2'] },
  { user: 'emil', channels: [] },
];

describe('admin broadcasts', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  const clients: Listener[] = [];
  /** client id → node, as the registry placed them. */
  let nodeOf: Map<string, string>;
  /** What each broadcast sent so far reported, in order. */
  const sent: { id: number; kind: string; connections: number; nodes: number; delivered: number | undefined }[] = [];

  before(async () => {
    cluster = await startTestCluster();
    admin = await openAdmin(cluster);
    for (const { user, channels } of PLAN) {
      const { client, id } = await connectClient(cluster, user);
      const l: Listener = { user, id, client, channels, messages: [], publications: [] };
      client.on('message', (ctx) => l.messages.push(ctx.data));
      for (const channel of channels) {
        const sub = client.newSubscription(channel);
        sub.on('publication', (ctx) => l.publications.push({ channel, data: ctx.data }));
        sub.subscribe();
        await sub.ready(5000);
      }
      clients.push(l);
    }
    await registryHolds(admin, {}, PLAN.length);
    nodeOf = await nodesOf(admin, clients.map((c) => c.id));
  });
  after(() => cluster?.stop());

  /** The nodes a set of clients is on. */
  const nodeCount = (reached: readonly Listener[]): number => new Set(reached.map((c) => nodeOf.get(c.id))).size;

  /** Waits until `expected` clients received `data` (as judged by `got`), then answers who did. */
  async function reachedBy(data: unknown, got: (l: Listener) => unknown[], expected: number): Promise<Listener[]> {
    const reached = (): Listener[] => clients.filter((c) => got(c).some((d) => JSON.stringify(d) === JSON.stringify(data)));
    await waitFor(() => reached().length >= expected, { what: `${expected} clients to receive ${JSON.stringify(data)}` });
    await sleep(200); // room for a delivery too many to show up
    return reached();
  }

  it('answers a dry run to all with every connection and node, and the send reaches exactly that many clients', async () => {
    const data = { notice: 'to everyone' };
    const dry = await admin.request('broadcast.send', { audience: { kind: 'all' }, data, dryRun: true });
    assert.deepEqual(dry, { connections: PLAN.length, nodes: nodeCount(clients), sent: false });
    assert.equal(dry.nodes, 3, 'least-connections spreads six clients over three nodes');
    const mark = eventMark(admin);
    const reply = await admin.request('broadcast.send', { audience: { kind: 'all' }, data });
    assert.deepEqual({ ...reply, id: undefined }, { connections: dry.connections, nodes: dry.nodes, sent: true, id: undefined, delivered: dry.connections });
    assert.equal(typeof reply.id, 'number');
    sent.push({ id: reply.id!, kind: 'all', connections: reply.connections, nodes: reply.nodes, delivered: reply.delivered });
    const reached = await reachedBy(data, (c) => c.messages, dry.connections);
    assert.equal(reached.length, dry.connections);
    for (const c of reached) assert.equal(c.messages.length, 1, `${c.user} got the message once`);
    const event = await eventAfter(admin, mark, 'broadcast.sent');
    assert.deepEqual(
      { by: event.by, audience: event.audience, connections: event.connections, nodes: event.nodes, delivered: event.delivered },
      { by: nameOf(admin), audience: { kind: 'all' }, connections: dry.connections, nodes: dry.nodes, delivered: dry.connections },
    );
  });

  it('counts each subscriber once in a broadcast to channels, and the send reaches exactly those clients', async () => {
    const data = { notice: 'to two rooms' };
    const audience = { kind: 'channels' as const, channels: ['chat:bc-1', 'chat:bc-2'] };
    const subscribers = clients.filter((c) => c.channels.some((ch) => audience.channels.includes(ch)));
    const dry = await admin.request('broadcast.send', { audience, data, dryRun: true });
    assert.deepEqual(dry, { connections: 4, nodes: nodeCount(subscribers), sent: false });
    const reply = await admin.request('broadcast.send', { audience, data });
    assert.deepEqual([reply.connections, reply.nodes, reply.sent, reply.delivered], [dry.connections, dry.nodes, true, undefined],
      'publications fan out without a per-connection answer: no delivered count is claimed');
    sent.push({ id: reply.id!, kind: 'channels', connections: reply.connections, nodes: reply.nodes, delivered: undefined });
    const reached = await reachedBy(data, (c) => c.publications.map((p) => p.data), dry.connections);
    assert.deepEqual(reached.map((c) => c.id), subscribers.map((c) => c.id));
    const carl = clients.find((c) => c.user === 'carl')!;
    assert.deepEqual(carl.publications.filter((p) => JSON.stringify(p.data) === JSON.stringify(data)).map((p) => p.channel), ['chat:bc-1', 'chat:bc-2']);
  });

  it('reaches every connection of the users, subscribed to a personal channel or not, as a message push, and delivers to exactly the dry-run count', async () => {
    const data = { notice: 'to some users' };
    const audience = { kind: 'users' as const, users: ['alma', 'carl', 'emil'] };
    const theirs = clients.filter((c) => audience.users.includes(c.user));
    const dry = await admin.request('broadcast.send', { audience, data, dryRun: true });
    assert.deepEqual(dry, {
      connections: 4, nodes: nodeCount(theirs), sent: false,
      perUser: [{ user: 'alma', connections: 2 }, { user: 'carl', connections: 1 }, { user: 'emil', connections: 1 }],
      notConnected: [],
    });
    const reply = await admin.request('broadcast.send', { audience, data });
    assert.deepEqual([reply.connections, reply.nodes, reply.sent, reply.delivered], [dry.connections, dry.nodes, true, dry.connections]);
    sent.push({ id: reply.id!, kind: 'users', connections: reply.connections, nodes: reply.nodes, delivered: reply.delivered });
    const reached = await reachedBy(data, (c) => c.messages, dry.connections);
    assert.deepEqual(reached.map((c) => c.id), theirs.map((c) => c.id));
    for (const c of reached) assert.equal(c.messages.filter((m) => JSON.stringify(m) === JSON.stringify(data)).length, 1, `${c.user} got it once`);
    assert.ok(clients.every((c) => !c.publications.some((p) => JSON.stringify(p.data) === JSON.stringify(data))), 'nothing is published to personal channels');
  });

  it('says which user ids have no connection on any node, in the dry run and the send, and reaches the others', async () => {
    const data = { notice: 'to bert and two strangers' };
    const audience = { kind: 'users' as const, users: ['nobody', 'bert', 'zoë'] };
    const dry = await admin.request('broadcast.send', { audience, data, dryRun: true });
    assert.deepEqual(dry.notConnected, ['nobody', 'zoë']);
    assert.deepEqual(dry.perUser, [{ user: 'nobody', connections: 0 }, { user: 'bert', connections: 1 }, { user: 'zoë', connections: 0 }]);
    assert.equal(dry.connections, 1);
    const reply = await admin.request('broadcast.send', { audience, data });
    assert.deepEqual([reply.delivered, reply.notConnected], [1, ['nobody', 'zoë']]);
    sent.push({ id: reply.id!, kind: 'users', connections: reply.connections, nodes: reply.nodes, delivered: reply.delivered });
    const reached = await reachedBy(data, (c) => c.messages, 1);
    assert.deepEqual(reached.map((c) => c.user), ['bert']);
  });

  it('lists the broadcasts sent, newest first, with their reach and who sent them (dry runs are not listed)', async () => {
    const { broadcasts } = await admin.request('broadcast.list', {});
    const listed = broadcasts.map((b) => ({ id: b.id, kind: b.audience.kind, connections: b.connections, nodes: b.nodes, delivered: b.delivered }));
    assert.deepEqual(listed, [...sent].reverse());
    assert.deepEqual(broadcasts.map((b) => b.delivered), [1, 4, undefined, PLAN.length], 'the delivered counts the nodes reported');
    for (const b of broadcasts) assert.equal(b.by, nameOf(admin));
    assert.deepEqual(broadcasts[0]?.notConnected, ['nobody', 'zoë']);
    assert.equal(broadcasts[3]?.preview, JSON.stringify({ notice: 'to everyone' }));
  });

  it('refuses channels in an unknown namespace with 400 naming the channel, and sends nothing', async () => {
    const before = (await admin.request('broadcast.list', {})).broadcasts.length;
    const error = await adminError(admin, 'broadcast.send', { audience: { kind: 'channels', channels: ['chat:bc-1', 'nope:x'] }, data: { n: 1 } });
    assert.equal(error.code, AdminErrors.badRequest);
    assert.match(error.message, /nope:x/);
    assert.equal((await admin.request('broadcast.list', {})).broadcasts.length, before);
  });

  it('refuses data a message push may not carry, for a users audience too, and sends nothing', async () => {
    const before = (await admin.request('broadcast.list', {})).broadcasts.length;
    let deep: unknown = 'x';
    for (let i = 0; i < 70; i++) deep = [deep];
    const error = await adminError(admin, 'broadcast.send', { audience: { kind: 'users', users: ['alma'] }, data: deep });
    assert.equal(error.code, AdminErrors.badRequest);
    assert.match(error.message, /deeper than 64 levels/);
    assert.equal((await admin.request('broadcast.list', {})).broadcasts.length, before);
  });
});
