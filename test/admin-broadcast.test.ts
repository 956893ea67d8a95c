/**
 * Admin broadcasts (issue 3, "Tested by": a broadcast reaches exactly the dry-run count): to
 * everyone, to channels and to users' personal channels, each first as a dry run, then sent and
 * counted on real centrifuge clients. Every connection of this cluster is one of `clients`, so the
 * counts are known exactly.
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

/** Who connects, and what each subscribes to. Personal channels: `personal:#<user>`. */
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
  const sent: { id: number; kind: string; connections: number; nodes: number }[] = [];

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
    assert.deepEqual({ ...reply, id: undefined }, { connections: dry.connections, nodes: dry.nodes, sent: true, id: undefined });
    assert.equal(typeof reply.id, 'number');
    sent.push({ id: reply.id!, kind: 'all', connections: reply.connections, nodes: reply.nodes });
    const reached = await reachedBy(data, (c) => c.messages, dry.connections);
    assert.equal(reached.length, dry.connections);
    for (const c of reached) assert.equal(c.messages.length, 1, `${c.user} got the message once`);
    const event = await eventAfter(admin, mark, 'broadcast.sent');
    assert.deepEqual(
      { by: event.by, audience: event.audience, connections: event.connections, nodes: event.nodes },
      { by: nameOf(admin), audience: { kind: 'all' }, connections: dry.connections, nodes: dry.nodes },
    );
  });

  it('counts each subscriber once in a broadcast to channels, and the send reaches exactly those clients', async () => {
    const data = { notice: 'to two rooms' };
    const audience = { kind: 'channels' as const, channels: ['chat:bc-1', 'chat:bc-2'] };
    const subscribers = clients.filter((c) => c.channels.some((ch) => audience.channels.includes(ch)));
    const dry = await admin.request('broadcast.send', { audience, data, dryRun: true });
    assert.deepEqual(dry, { connections: 4, nodes: nodeCount(subscribers), sent: false });
    const reply = await admin.request('broadcast.send', { audience, data });
    assert.deepEqual([reply.connections, reply.nodes, reply.sent], [dry.connections, dry.nodes, true]);
    sent.push({ id: reply.id!, kind: 'channels', connections: reply.connections, nodes: reply.nodes });
    const reached = await reachedBy(data, (c) => c.publications.map((p) => p.data), dry.connections);
    assert.deepEqual(reached.map((c) => c.id), subscribers.map((c) => c.id));
    const carl = clients.find((c) => c.user === 'carl')!;
    assert.deepEqual(carl.publications.filter((p) => JSON.stringify(p.data) === JSON.stringify(data)).map((p) => p.channel), ['chat:bc-1', 'chat:bc-2']);
  });

  it('reaches the connections subscribed to the users\' personal channels, exactly as the dry run said', async () => {
    const data = { notice: 'to some users' };
    const audience = { kind: 'users' as const, users: ['alma', 'bert', 'carl'] };
    const personal = clients.filter((c) => c.channels.includes(`personal:#${c.user}`));
    const dry = await admin.request('broadcast.send', { audience, data, dryRun: true });
    assert.deepEqual(dry, { connections: 3, nodes: nodeCount(personal), sent: false });
    const reply = await admin.request('broadcast.send', { audience, data });
    assert.deepEqual([reply.connections, reply.nodes, reply.sent], [dry.connections, dry.nodes, true]);
    sent.push({ id: reply.id!, kind: 'users', connections: reply.connections, nodes: reply.nodes });
    const reached = await reachedBy(data, (c) => c.publications.map((p) => p.data), dry.connections);
    assert.deepEqual(reached.map((c) => c.id), personal.map((c) => c.id));
    for (const c of reached) assert.deepEqual(c.publications.filter((p) => JSON.stringify(p.data) === JSON.stringify(data)).map((p) => p.channel), [`personal:#${c.user}`]);
  });

  it('lists the broadcasts sent, newest first, with their reach and who sent them (dry runs are not listed)', async () => {
    const { broadcasts } = await admin.request('broadcast.list', {});
    const listed = broadcasts.map((b) => ({ id: b.id, kind: b.audience.kind, connections: b.connections, nodes: b.nodes }));
    assert.deepEqual(listed, [...sent].reverse());
    for (const b of broadcasts) assert.equal(b.by, nameOf(admin));
    assert.equal(broadcasts[2]?.preview, JSON.stringify({ notice: 'to everyone' }));
  });

  it('refuses channels in an unknown namespace with 400 naming the channel, and sends nothing', async () => {
    const before = (await admin.request('broadcast.list', {})).broadcasts.length;
    const error = await adminError(admin, 'broadcast.send', { audience: { kind: 'channels', channels: ['chat:bc-1', 'nope:x'] }, data: { n: 1 } });
    assert.equal(error.code, AdminErrors.badRequest);
    assert.match(error.message, /nope:x/);
    assert.equal((await admin.request('broadcast.list', {})).broadcasts.length, before);
  });

  it('refuses users whose personal channel is not a valid channel name with 400 naming it, instead of skipping them and answering sent', async () => {
    const before = (await admin.request('broadcast.list', {})).broadcasts.length;
    const error = await adminError(admin, 'broadcast.send', { audience: { kind: 'users', users: ['alma', 'zoë'] }, data: { n: 2 } });
    assert.deepEqual(error, { code: AdminErrors.badRequest, message: 'personal:#zoë: bad request' });
    assert.equal((await admin.request('broadcast.list', {})).broadcasts.length, before);
  });
});
