/**
 * Admin commands on live connections and channels (issue 3, "Tested by"): kicks of a client, of
 * every connection of a user, of every subscriber of a channel; a server-side unsubscribe; publish,
 * watch (joins, leaves, publications, typing) and history removal. Observed through real
 * centrifuge clients and the supervisor's registry. Round-robin routing puts consecutive
 * connections on different nodes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminErrors } from '../shared/admin/admin-api.js';
import type { AdminClient } from './support/admin-client.js';
import {
  activitiesAfter, activityAfter, adminError, connectionCount, eventAfter, eventMark, nameOf, nextConnected, nextConnecting,
  nextDisconnect, openAdmin, registryHolds,
} from './support/admin-helpers.js';
import type { Close } from './support/admin-helpers.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import type { ConnectedClient } from './support/real-clients.js';
import { sleep, startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

/** Quick reconnects, so a client that wrongly reconnects does so well within the tests' pauses. */
const FAST = { minReconnectDelay: 50, maxReconnectDelay: 200 };
const FORCE_DISCONNECT: Close = { code: 3503, reason: 'force disconnect' };

describe('admin commands', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  before(async () => {
    cluster = await startTestCluster({ strategy: 'round-robin' });
    admin = await openAdmin(cluster);
  });
  after(() => cluster?.stop());

  /** Connects `user` and counts its reconnect attempts from then on. */
  async function connectCounting(user: string): Promise<ConnectedClient & { reconnects: () => number }> {
    const c = await connectClient(cluster, user, FAST);
    let reconnects = 0;
    c.client.on('connecting', () => reconnects++);
    return { ...c, reconnects: () => reconnects };
  }

  describe('kicks', () => {
    it('disconnects a client kicked without reconnect with 3503 "force disconnect", and it stays away', async () => {
      const kim = await connectCounting('kim');
      await registryHolds(admin, { user: 'kim' }, 1);
      const disconnected = nextDisconnect(kim.client);
      assert.deepEqual(await admin.request('session.kick', { target: { client: kim.id }, reconnect: false }), { kicked: 1 });
      assert.deepEqual(await disconnected, FORCE_DISCONNECT);
      await registryHolds(admin, { user: 'kim' }, 0);
      await sleep(400); // several of its reconnect delays
      assert.equal(kim.client.state, 'disconnected');
      assert.equal(kim.reconnects(), 0);
      assert.equal(await connectionCount(admin, { user: 'kim' }), 0);
    });

    it('uses the custom code and reason given, and pushes a client.kicked event naming the admin connection', async () => {
      const cody = await connectCounting('cody');
      const mark = eventMark(admin);
      const disconnected = nextDisconnect(cody.client);
      const kick = { target: { client: cody.id }, reconnect: false, code: 4501, reason: 'go away' };
      assert.deepEqual(await admin.request('session.kick', kick), { kicked: 1 });
      assert.deepEqual(await disconnected, { code: 4501, reason: 'go away' });
      const event = await eventAfter(admin, mark, 'client.kicked');
      assert.deepEqual(
        { by: event.by, target: event.target, user: event.user, count: event.count, code: event.code, reason: event.reason },
        { by: nameOf(admin), target: { client: cody.id }, user: 'cody', count: 1, code: 4501, reason: 'go away' },
      );
      assert.equal(cody.client.state, 'disconnected');
      assert.equal(cody.reconnects(), 0);
    });

    it('reconnects a client kicked with reconnect: connecting with 3011 "force reconnect", then connected under a new id', async () => {
      const rey = await connectClient(cluster, 'rey', FAST);
      const connecting = nextConnecting(rey.client);
      const reconnected = nextConnected(rey.client);
      assert.deepEqual(await admin.request('session.kick', { target: { client: rey.id }, reconnect: true }), { kicked: 1 });
      assert.deepEqual(await connecting, { code: 3011, reason: 'force reconnect' });
      const newId = await reconnected;
      assert.notEqual(newId, rey.id);
      assert.equal(rey.client.state, 'connected');
      await registryHolds(admin, { user: 'rey' }, 1);
      const { items } = await admin.request('connections.query', { filter: { user: 'rey' } });
      assert.deepEqual(items.map((r) => r.client), [newId]);
    });

    it('kicks every connection of a user, on three nodes, and leaves other users connected', async () => {
      const ulla = [await connectCounting('ulla'), await connectCounting('ulla'), await connectCounting('ulla')];
      const olga = await connectCounting('olga');
      await registryHolds(admin, { user: 'ulla' }, 3);
      const { items } = await admin.request('connections.query', { filter: { user: 'ulla' } });
      assert.equal(new Set(items.map((r) => r.node)).size, 3, `ulla's connections should be on three nodes: ${JSON.stringify(items)}`);
      const closes = ulla.map((c) => nextDisconnect(c.client));
      assert.deepEqual(await admin.request('session.kick', { target: { user: 'ulla' }, reconnect: false }), { kicked: 3 });
      assert.deepEqual(await Promise.all(closes), [FORCE_DISCONNECT, FORCE_DISCONNECT, FORCE_DISCONNECT]);
      await registryHolds(admin, { user: 'ulla' }, 0);
      assert.equal(olga.client.state, 'connected');
      assert.equal(olga.reconnects(), 0);
      assert.equal(await connectionCount(admin, { user: 'olga' }), 1);
    });

    it('kicks exactly the subscribers of a channel', async () => {
      const room = 'chat:kick-room';
      const subscribers = [await connectCounting('sia'), await connectCounting('sol'), await connectCounting('sam')];
      for (const s of subscribers) await subscribeTo(s.client, room);
      const elsewhere = await connectCounting('eli');
      await subscribeTo(elsewhere.client, 'chat:kick-elsewhere');
      const idle = await connectCounting('ida');
      await registryHolds(admin, { channel: room }, 3);
      const closes = subscribers.map((s) => nextDisconnect(s.client));
      assert.deepEqual(await admin.request('session.kick', { target: { channel: room }, reconnect: false }), { kicked: 3 });
      assert.deepEqual(await Promise.all(closes), [FORCE_DISCONNECT, FORCE_DISCONNECT, FORCE_DISCONNECT]);
      await registryHolds(admin, { channel: room }, 0);
      for (const spared of [elsewhere, idle]) {
        assert.equal(spared.client.state, 'connected');
        assert.equal(spared.reconnects(), 0);
        assert.equal(await connectionCount(admin, { client: spared.id }), 1);
      }
    });

    it('answers 404 for a client that is not connected, and kicked: 0 for a user or channel with no connection', async () => {
      assert.equal((await adminError(admin, 'session.kick', { target: { client: 'no-such-client' }, reconnect: false })).code, AdminErrors.notFound);
      assert.deepEqual(await admin.request('session.kick', { target: { user: 'nobody-at-all' }, reconnect: true }), { kicked: 0 });
      assert.deepEqual(await admin.request('session.kick', { target: { channel: 'chat:empty-room' }, reconnect: false }), { kicked: 0 });
    });

    it('refuses with 400 a code that contradicts reconnect, and kicks nobody', async () => {
      const cora = await connectCounting('cora');
      const terminal = await adminError(admin, 'session.kick', { target: { client: cora.id }, reconnect: true, code: 3503 });
      assert.equal(terminal.code, AdminErrors.badRequest);
      assert.match(terminal.message, /3503/);
      const reconnecting = await adminError(admin, 'session.kick', { target: { user: 'cora' }, reconnect: false, code: 3011 });
      assert.equal(reconnecting.code, AdminErrors.badRequest);
      assert.match(reconnecting.message, /3011/);
      await sleep(100);
      assert.equal(cora.client.state, 'connected');
      assert.equal(cora.reconnects(), 0);
      assert.equal(await connectionCount(admin, { user: 'cora' }), 1);
    });
  });

  describe('unsubscribe', () => {
    it('unsubscribes a client from a channel with 2000 "server unsubscribe", and the client stays connected', async () => {
      const uma = await connectClient(cluster, 'uma');
      const { sub } = await subscribeTo(uma.client, 'chat:unsub');
      const kept = await subscribeTo(uma.client, 'chat:kept');
      const mark = eventMark(admin);
      const unsubscribed = new Promise<unknown>((resolve) => sub.once('unsubscribed', resolve));
      const reply = await admin.request('session.unsubscribe', { client: uma.id, channel: 'chat:unsub' });
      assert.deepEqual(reply, { unsubscribed: 1 });
      assert.deepEqual(await unsubscribed, { channel: 'chat:unsub', code: 2000, reason: 'server unsubscribe' });
      const event = await eventAfter(admin, mark, 'client.unsubscribed', (e) => e.client === uma.id);
      assert.deepEqual([event.user, event.channel], ['uma', 'chat:unsub']);
      assert.equal(sub.state, 'unsubscribed');
      assert.equal(uma.client.state, 'connected');
      const { items } = await admin.request('connections.query', { filter: { client: uma.id } });
      assert.equal(items[0]?.subscriptions, 1);
      await admin.request('channel.publish', { channel: 'chat:kept', data: { still: 'subscribed' } });
      await waitFor(() => kept.got.length === 1, { what: 'a publication on the subscription it kept' });
    });

    it('answers unsubscribed: 0 for a channel the client is not in, and 404 for an unknown client', async () => {
      const una = await connectClient(cluster, 'una');
      assert.deepEqual(await admin.request('session.unsubscribe', { client: una.id, channel: 'chat:never' }), { unsubscribed: 0 });
      const missing = await adminError(admin, 'session.unsubscribe', { client: 'no-such-client', channel: 'chat:never' });
      assert.equal(missing.code, AdminErrors.notFound);
      assert.equal(una.client.state, 'connected');
    });
  });

  describe('channels', () => {
    it('publishes to every subscriber of a channel, answering the offset and epoch', async () => {
      const readers = [await connectClient(cluster, 'pia'), await connectClient(cluster, 'pete')];
      const subs = await Promise.all(readers.map((r) => subscribeTo(r.client, 'chat:admin-news')));
      const reply = await admin.request('channel.publish', { channel: 'chat:admin-news', data: { headline: 'hello' } });
      assert.equal(reply.offset, 1);
      assert.equal(typeof reply.epoch, 'string');
      await waitFor(() => subs.every((s) => s.got.length === 1), { what: 'the publication on both subscriptions' });
      for (const { got } of subs) assert.deepEqual([got[0]?.data, got[0]?.offset], [{ headline: 'hello' }, 1]);
    });

    it('pushes channel.activity for joins, publications and leaves of a watched chat channel', async () => {
      const channel = 'chat:watched';
      assert.deepEqual(await admin.request('channel.watch', { channel }), {});
      const mark = admin.activity.length;
      const wanda = await connectClient(cluster, 'wanda');
      const sub = wanda.client.newSubscription(channel, { joinLeave: true });
      sub.subscribe();
      await sub.ready(5000);
      const join = await activityAfter(admin, mark, channel, (a) => a.kind === 'join');
      assert.ok(join.kind === 'join');
      assert.deepEqual([join.info.user, join.info.client], ['wanda', wanda.id]);
      const published = await admin.request('channel.publish', { channel, data: { from: 'admin' } });
      const fromAdmin = await activityAfter(admin, mark, channel, (a) => a.kind === 'pub' && a.offset === published.offset);
      assert.ok(fromAdmin.kind === 'pub');
      assert.deepEqual(fromAdmin.data, { from: 'admin' });
      await sub.publish({ from: 'wanda' });
      const fromClient = await activityAfter(admin, mark, channel, (a) => a.kind === 'pub' && a.info?.user === 'wanda');
      assert.ok(fromClient.kind === 'pub');
      assert.deepEqual([fromClient.data, fromClient.offset], [{ from: 'wanda' }, published.offset! + 1]);
      sub.unsubscribe();
      const leave = await activityAfter(admin, mark, channel, (a) => a.kind === 'leave');
      assert.ok(leave.kind === 'leave');
      assert.deepEqual([leave.info.user, leave.info.client], ['wanda', wanda.id]);
      await admin.request('channel.unwatch', { channel });
    });

    it('pushes typing publications of a watched typing channel, and nothing more once unwatched', async () => {
      const typing = 'typing:room';
      const control = 'chat:typing-control';
      await admin.request('channel.watch', { channel: typing });
      await admin.request('channel.watch', { channel: control });
      const mark = admin.activity.length;
      const tess = await connectClient(cluster, 'tess');
      const { sub } = await subscribeTo(tess.client, typing);
      await sub.publish(true);
      const item = await activityAfter(admin, mark, typing, (a) => a.kind === 'pub');
      assert.ok(item.kind === 'pub');
      assert.deepEqual([item.data, item.info?.user, item.offset], [true, 'tess', undefined]);
      assert.deepEqual(await admin.request('channel.unwatch', { channel: typing }), {});
      const afterUnwatch = admin.activity.length;
      await sub.publish(false);
      // Activity is pushed in broker order: once the later control publication arrived, the typing one would have too.
      await admin.request('channel.publish', { channel: control, data: { after: 'unwatch' } });
      await activityAfter(admin, afterUnwatch, control, (a) => a.kind === 'pub');
      assert.deepEqual(activitiesAfter(admin, afterUnwatch, typing), []);
      await admin.request('channel.unwatch', { channel: control });
    });

    it('removes a channel\'s history but keeps its offset and epoch', async () => {
      const channel = 'chat:history-removed';
      for (let n = 1; n <= 3; n++) await admin.request('channel.publish', { channel, data: { n } });
      const before = await admin.request('channel.get', { channel });
      assert.deepEqual(before.history?.publications.map((p) => p.data), [{ n: 3 }, { n: 2 }, { n: 1 }]);
      assert.deepEqual(await admin.request('history.remove', { channel }), {});
      const after = await admin.request('channel.get', { channel });
      assert.deepEqual(after.history, { publications: [], offset: 3, epoch: before.history?.epoch });
      assert.deepEqual(await admin.request('channel.publish', { channel, data: { n: 4 } }), { offset: 4, epoch: before.history?.epoch });
    });

    it('refuses with 400 to remove the history of a channel that keeps none', async () => {
      const none = await adminError(admin, 'history.remove', { channel: 'typing:room' });
      assert.equal(none.code, AdminErrors.badRequest);
      assert.match(none.message, /typing:room/);
      const unknown = await adminError(admin, 'history.remove', { channel: 'nope:room' });
      assert.equal(unknown.code, AdminErrors.badRequest);
      assert.match(unknown.message, /nope:room/);
    });
  });
});
