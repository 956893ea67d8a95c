/**
 * Admin commands on live connections (issue 3, "Tested by"): kicks of a client, of every
 * connection of a user, of every subscriber of a channel, and a server-side unsubscribe, observed
 * through real centrifuge clients and through the supervisor's registry. Round-robin routing puts
 * consecutive connections on different nodes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminErrors } from '../shared/admin/admin-api.js';
import type { AdminClient } from './support/admin-client.js';
import {
  adminError, connectionCount, eventAfter, eventMark, nameOf, nextConnected, nextConnecting, nextDisconnect, openAdmin, registryHolds,
} from './support/admin-helpers.js';
import type { Close } from './support/admin-helpers.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import type { ConnectedClient } from './support/real-clients.js';
import { sleep, startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

/** Quick reconnects, so a client that wrongly reconnects does so well within the tests' pauses. */
const FAST = { minReconnectDelay: 50, maxReconnectDelay: 200 };
const FORCE_DISCONNECT: Close = { code: 3503, reason: 'force disconnect' };

describe('admin kicks', () => {
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
      { by: event.by, target: event.target, count: event.count, code: event.code, reason: event.reason },
      { by: nameOf(admin), target: { client: cody.id }, count: 1, code: 4501, reason: 'go away' },
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

  it('answers kicked: 0 for a client that is not connected', async () => {
    assert.deepEqual(await admin.request('session.kick', { target: { client: 'no-such-client' }, reconnect: false }), { kicked: 0 });
    assert.deepEqual(await admin.request('session.kick', { target: { user: 'nobody-at-all' }, reconnect: true }), { kicked: 0 });
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

describe('admin unsubscribe', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  before(async () => {
    cluster = await startTestCluster();
    admin = await openAdmin(cluster);
  });
  after(() => cluster?.stop());

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
