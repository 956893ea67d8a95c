/**
 * Admin queries at 2,000 connections (issue 3, "Tested by": the connections query filters and
 * pages correctly). Light raw sockets connect as user-0..user-199 (ten each) in batches of 200,
 * and 550 of them subscribe to ten rooms of 10, 20, … 100 subscribers, so every answer is known in
 * advance. Detail views and the event replay use a few more clients, after the census checks.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { AdminParamsInput } from '../shared/admin/admin-api.js';
import type { AdminClient } from './support/admin-client.js';
import { adminError, connectionCount, openAdmin, registryHolds } from './support/admin-helpers.js';
import type { ConnectionFilter } from './support/admin-helpers.js';
import { RawPeer } from './support/raw-peer.js';
import { connectClient } from './support/real-clients.js';
import { sleep, startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const USERS = 200;
const TOTAL = 2000;
const BATCH = 200;
const ROOMS = 10;

/** Room k (`chat:q-k`) has (k + 1) × 10 subscribers: connections [5k(k+1), 5(k+1)(k+2)). */
function roomOf(i: number): string | undefined {
  for (let k = 0; k < ROOMS; k++) if (i < 5 * (k + 1) * (k + 2)) return `chat:q-${k}`;
  return undefined;
}

/** One connection this file opened, as the test knows it. */
interface Known {
  client: string;
  user: string;
  room: string | undefined;
  batch: number;
  peer: RawPeer;
}

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

describe('admin queries at 2,000 connections', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  const known: Known[] = [];
  /** When each batch started opening (every connection of batch b connected at or after it). */
  const batchStart: number[] = [];

  async function open(i: number, batch: number): Promise<Known> {
    const user = `user-${i % USERS}`;
    const peer = new RawPeer(await cluster.raw());
    peer.send({ id: 1, connect: { token: await cluster.token(user) } });
    const reply = await peer.reply(1, 10_000);
    const client = (reply.connect as { client?: string } | undefined)?.client;
    assert.ok(client, `connect failed: ${JSON.stringify(reply)}`);
    const room = roomOf(i);
    if (room !== undefined) {
      peer.send({ id: 2, subscribe: { channel: room } });
      assert.ok('subscribe' in (await peer.reply(2, 10_000)), `subscribe to ${room} failed`);
    }
    return { client, user, room, batch, peer };
  }

  before(async () => {
    // Raw sockets do not answer pings: keep the server from pinging during the file.
    cluster = await startTestCluster({ client: { pingIntervalMs: 600_000 } });
    admin = await openAdmin(cluster);
    const t0 = performance.now();
    for (let b = 0; b < TOTAL / BATCH; b++) {
      await sleep(2); // the previous batch connected strictly before this one starts
      batchStart.push(Date.now());
      known.push(...await Promise.all(Array.from({ length: BATCH }, (_, j) => open(b * BATCH + j, b))));
    }
    console.log(`admin queries: opened ${TOTAL} raw connections in ${Math.round(performance.now() - t0)} ms`);
    await registryHolds(admin, {}, TOTAL, 10_000);
  });
  after(async () => {
    for (const k of known) k.peer.ws.terminate();
    await cluster?.stop();
  });

  /** Every matching row, in the server's order, through pages of 1000. */
  async function all(filter: ConnectionFilter, sort?: AdminParamsInput<'connections.query'>['sort']): Promise<{ total: number; clients: string[] }> {
    const clients: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await admin.request('connections.query', { filter, ...(sort ? { sort } : {}), offset, limit: 1000 });
      clients.push(...page.items.map((r) => r.client));
      if (page.items.length < 1000) {
        assert.equal(clients.length, page.total, 'the pages hold every match');
        return { total: page.total, clients };
      }
    }
  }

  const ids = (ks: readonly Known[]): string[] => ks.map((k) => k.client).sort(byCode);

  it('filters by user, client prefix, channel, remote, text and connection time', async () => {
    for (const user of ['user-0', 'user-7', 'user-199']) {
      const { total, clients } = await all({ user });
      assert.equal(total, 10);
      assert.deepEqual(clients.sort(byCode), ids(known.filter((k) => k.user === user)));
    }
    const one = known[1234]!.client;
    assert.deepEqual((await all({ client: one })).clients, [one]);
    const prefix = one.slice(0, 1);
    assert.deepEqual((await all({ client: prefix })).clients.sort(byCode), ids(known.filter((k) => k.client.startsWith(prefix))));
    assert.deepEqual((await all({ channel: 'chat:q-3' })).clients.sort(byCode), ids(known.filter((k) => k.room === 'chat:q-3')));
    assert.equal((await all({ channel: 'chat:q-none' })).total, 0);
    assert.equal((await all({ remote: '127.0.0.1' })).total, TOTAL);
    assert.equal((await all({ remote: '10.9.8.7' })).total, 0);
    const text = await all({ text: 'USER-19' });
    assert.deepEqual(text.clients.sort(byCode), ids(known.filter((k) => k.user === 'user-19' || k.user.startsWith('user-19'))));
    assert.equal(text.total, 110);
    const later = await all({ connectedAfter: batchStart[5] });
    assert.deepEqual(later.clients.sort(byCode), ids(known.filter((k) => k.batch >= 5)));
    const window = await all({ connectedAfter: batchStart[3], connectedBefore: batchStart[5] });
    assert.deepEqual(window.clients.sort(byCode), ids(known.filter((k) => k.batch === 3 || k.batch === 4)));
    const both = await all({ user: 'user-5', channel: 'chat:q-0' });
    assert.deepEqual(both.clients.sort(byCode), ids(known.filter((k) => k.user === 'user-5' && k.room === 'chat:q-0')));
  });

  it('filters by node: the nodes\' shares add up to every connection and match their reports', async () => {
    const snapshot = await admin.snapshotWhere((s) => s.totals.connections === TOTAL, 5000, `a snapshot with ${TOTAL} connections`);
    const seen = new Set<string>();
    for (const node of snapshot.nodes) {
      const { items, total } = await admin.request('connections.query', { filter: { node: node.id }, limit: 1000 });
      assert.equal(total, node.connections, `${node.id} in the registry and in its own report`);
      assert.ok(items.every((r) => r.node === node.id));
      for (const r of (await all({ node: node.id })).clients) seen.add(r);
    }
    assert.equal(seen.size, TOTAL);
    assert.equal(snapshot.nodes.length, 3);
  });

  it('sorts by user, client, subscriptions and connection time in both directions, ties by client id', async () => {
    const byUser = [...known].sort((a, b) => byCode(a.user, b.user) || byCode(a.client, b.client)).map((k) => k.client);
    assert.deepEqual((await all({}, { by: 'user', dir: 'asc' })).clients, byUser);
    const byUserDesc = [...known].sort((a, b) => byCode(b.user, a.user) || byCode(a.client, b.client)).map((k) => k.client);
    assert.deepEqual((await all({}, { by: 'user', dir: 'desc' })).clients, byUserDesc);
    assert.deepEqual((await all({}, { by: 'client', dir: 'asc' })).clients, ids(known));
    assert.deepEqual((await all({}, { by: 'client', dir: 'desc' })).clients, ids(known).reverse());
    const subscribedFirst = [...ids(known.filter((k) => k.room)), ...ids(known.filter((k) => !k.room))];
    assert.deepEqual((await all({}, { by: 'subscriptions', dir: 'desc' })).clients, subscribedFirst);
    const batchOf = new Map(known.map((k) => [k.client, k.batch]));
    for (const dir of ['asc', 'desc'] as const) {
      const batches = (await all({}, { by: 'connectedAt', dir })).clients.map((c) => batchOf.get(c)!);
      const inOrder = batches.every((b, i) => i === 0 || (dir === 'asc' ? b >= batches[i - 1]! : b <= batches[i - 1]!));
      assert.ok(inOrder, `connectedAt ${dir} keeps the batches in order`);
    }
  });

  it('pages through 2,000 connections without repeating or skipping one, with the total on every page', async () => {
    const expected = [...known].sort((a, b) => byCode(a.user, b.user) || byCode(a.client, b.client)).map((k) => k.client);
    const t0 = performance.now();
    const rows2000 = await all({}, { by: 'user', dir: 'asc' });
    const allMs = performance.now() - t0;
    assert.deepEqual(rows2000.clients, expected);
    const t1 = performance.now();
    const firstPage = await admin.request('connections.query', { sort: { by: 'user', dir: 'asc' }, limit: 1000 });
    const pageMs = performance.now() - t1;
    assert.deepEqual([firstPage.total, firstPage.items.length], [TOTAL, 1000]);
    const t2 = performance.now();
    const filtered = await admin.request('connections.query', { filter: { text: 'user-1' }, sort: { by: 'client', dir: 'desc' }, limit: 1000 });
    const textMs = performance.now() - t2;
    console.log(`admin queries (round trips, ${TOTAL} connections): all ${TOTAL} rows in two pages of 1000, ${allMs.toFixed(1)} ms; `
      + `one page of 1000, ${pageMs.toFixed(1)} ms; a text filter with ${filtered.total} matches, ${textMs.toFixed(1)} ms`);
    const paged: string[] = [];
    for (let offset = 0; offset < TOTAL; offset += 300) {
      const page = await admin.request('connections.query', { sort: { by: 'user', dir: 'asc' }, offset, limit: 300 });
      assert.deepEqual([page.total, page.offset, page.items.length], [TOTAL, offset, Math.min(300, TOTAL - offset)]);
      paged.push(...page.items.map((r) => r.client));
    }
    assert.deepEqual(paged, expected);
    assert.deepEqual(await admin.request('connections.query', { offset: TOTAL, limit: 10 }), { total: TOTAL, offset: TOTAL, items: [] });
    assert.equal((await adminError(admin, 'connections.query', { limit: 1001 })).code, 400);
  });

  it('queries channels by prefix, namespace and text, sorted by subscribers both ways, in pages', async () => {
    const rooms = Array.from({ length: ROOMS }, (_, k) => `chat:q-${k}`);
    const desc = await admin.request('channels.query', { filter: { prefix: 'chat:q-' } });
    assert.equal(desc.total, ROOMS);
    assert.deepEqual(desc.items.map((r) => [r.channel, r.subscribers]), rooms.map((c, k) => [c, (k + 1) * 10]).reverse());
    for (const row of desc.items) {
      assert.deepEqual([row.namespace, row.offset, typeof row.epoch], ['chat', 0, 'string']);
      assert.ok(row.nodes >= 1 && row.nodes <= 3);
    }
    const asc = await admin.request('channels.query', { filter: { namespace: 'chat' }, sort: { by: 'subscribers', dir: 'asc' } });
    assert.deepEqual(asc.items.map((r) => r.channel), rooms);
    const page = await admin.request('channels.query', { filter: { prefix: 'chat:q-' }, offset: 3, limit: 4 });
    assert.deepEqual([page.total, page.offset, page.items.map((r) => r.subscribers)], [ROOMS, 3, [70, 60, 50, 40]]);
    const byName = await admin.request('channels.query', { sort: { by: 'name', dir: 'desc' }, limit: 2 });
    assert.deepEqual(byName.items.map((r) => r.channel), ['chat:q-9', 'chat:q-8']);
    assert.deepEqual((await admin.request('channels.query', { filter: { text: 'Q-1' } })).items.map((r) => r.channel), ['chat:q-1']);
    assert.equal((await admin.request('channels.query', { filter: { namespace: 'feed' } })).total, 0);
  });

  it('details a channel: presence members with their nodes, the stream position and a history page', async () => {
    const channel = 'chat:q-2';
    for (let n = 1; n <= 10; n++) await admin.request('channel.publish', { channel, data: { n } });
    const subscribers = await admin.request('connections.query', { filter: { channel }, limit: 100 });
    const nodeOf = new Map(subscribers.items.map((r) => [r.client, r.node]));
    const detail = await admin.request('channel.get', { channel, historyLimit: 3 });
    assert.deepEqual(
      [detail.subscribers, detail.offset, detail.presenceEnabled, detail.historyEnabled, detail.typing],
      [30, 10, true, true, false],
    );
    assert.equal(detail.presence.length, 30);
    for (const m of detail.presence) {
      assert.equal(m.node, nodeOf.get(m.client), `the node of presence member ${m.client}`);
      assert.equal(m.user, known.find((k) => k.client === m.client)?.user);
    }
    assert.deepEqual(detail.history?.publications.map((p) => p.offset), [10, 9, 8]);
    assert.equal(detail.history?.epoch, detail.epoch);
    const older = await admin.request('channel.get', { channel, historyLimit: 3, historyBefore: 8 });
    assert.deepEqual(older.history?.publications.map((p) => [p.offset, p.data]), [[7, { n: 7 }], [6, { n: 6 }], [5, { n: 5 }]]);
  });

  it('details a connection: subscriptions with stream positions, byte and message counters', async () => {
    const k = known.find((x) => x.room === 'chat:q-2')!;
    await waitFor(() => k.peer.received.filter((m) => 'push' in m).length >= 10, { what: 'the ten publications on the raw peer' });
    let detail = await admin.request('connection.get', { client: k.client });
    await waitFor(async () => {
      detail = await admin.request('connection.get', { client: k.client });
      return detail.subscriptionList[0]?.offset === 10;
    }, { intervalMs: 50, what: 'the node to report offset 10' });
    assert.deepEqual([detail.client, detail.user, detail.subscriptions], [k.client, k.user, 1]);
    const { epoch, ...sub } = detail.subscriptionList[0]!;
    assert.deepEqual(sub, { channel: 'chat:q-2', positioned: true, recoverable: true, serverSide: false, offset: 10 });
    assert.equal(typeof epoch, 'string');
    assert.ok(detail.bytesIn > 0 && detail.bytesOut > 0, `bytes in ${detail.bytesIn}, out ${detail.bytesOut}`);
    assert.ok(detail.messagesIn >= 2 && detail.messagesOut >= 12, `messages in ${detail.messagesIn}, out ${detail.messagesOut}`);
    assert.equal((await adminError(admin, 'connection.get', { client: 'no-such-client' })).code, 404);
  });

  it('shows a recovery in the connection\'s timeline after a reconnect: recovered, with the publications replayed', async () => {
    const channel = 'chat:recovery';
    const rhea = await connectClient(cluster, 'rhea');
    const sub = rhea.client.newSubscription(channel);
    const got: number[] = [];
    sub.on('publication', (ctx) => got.push((ctx.data as { n: number }).n));
    const recovered = new Promise<{ recovered: boolean; wasRecovering: boolean }>((resolve) => sub.on('subscribed', (ctx) => {
      if (ctx.wasRecovering) resolve({ recovered: ctx.recovered, wasRecovering: ctx.wasRecovering });
    }));
    sub.subscribe();
    await sub.ready(5000);
    for (let n = 1; n <= 2; n++) await admin.request('channel.publish', { channel, data: { n } });
    await waitFor(() => got.length === 2, { what: 'two live publications' });
    rhea.client.disconnect();
    await registryHolds(admin, { user: 'rhea' }, 0);
    for (let n = 3; n <= 5; n++) await admin.request('channel.publish', { channel, data: { n } });
    const reconnected = new Promise<string>((resolve) => rhea.client.once('connected', (ctx) => resolve(ctx.client)));
    rhea.client.connect();
    const newId = await reconnected;
    assert.deepEqual(await recovered, { recovered: true, wasRecovering: true });
    await waitFor(() => got.length === 5, { what: 'the three missed publications' });
    assert.deepEqual(got, [1, 2, 3, 4, 5]);
    const detail = await admin.request('connection.get', { client: newId });
    const { at, ...record } = detail.recoveries[0]!;
    assert.deepEqual(record, { client: newId, channel, recovered: true, replayed: 3, fromOffset: 2, toOffset: 5 });
    assert.equal(typeof at, 'number');
  });

  it('replays events from a sequence number, in order, as far as the limit allows', async () => {
    const { lastSeq: from } = await admin.request('events.since', { seq: 0, limit: 1 });
    const late = await connectClient(cluster, 'late-joiner');
    late.client.disconnect();
    await waitFor(async () => (await connectionCount(admin, { user: 'late-joiner' })) === 0, { what: 'late-joiner gone' });
    const { events, lastSeq } = await admin.request('events.since', { seq: from });
    assert.deepEqual(events.map((e) => e.seq), Array.from({ length: events.length }, (_, i) => from + 1 + i));
    assert.equal(lastSeq, events.at(-1)?.seq);
    const mine = events.filter((e) => 'client' in e && e.client === late.id).map((e) => e.type);
    assert.deepEqual(mine, ['client.connected', 'client.disconnected']);
    const first = await admin.request('events.since', { seq: from, limit: 1 });
    assert.deepEqual(first.events, events.slice(0, 1));
    const oldest = await admin.request('events.since', { seq: 0, limit: 3 });
    assert.deepEqual(oldest.events.map((e) => e.seq), [1, 2, 3]);
    assert.ok(lastSeq > TOTAL, `the ring still holds every event since the start (${lastSeq})`);
  });
});
