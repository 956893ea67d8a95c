/**
 * Server HTTP API methods that act on live connections (issue 2 item 8, PROTOCOL.md §10.2):
 * subscribe, unsubscribe, disconnect and refresh, observed through real centrifuge clients.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Centrifuge, ServerPublicationContext, ServerSubscribedContext } from 'centrifuge';
import { apiError, apiResult } from './support/api-calls.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

type Close = { code: number; reason: string };

const nextDisconnect = (c: Centrifuge): Promise<Close> => new Promise((resolve) => c.once('disconnected', resolve));

describe('server API methods on live connections', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster();
  });
  after(() => cluster.stop());

  it('subscribes every connection of a user server-side: subscribed, then its publications', async () => {
    const a = await connectClient(cluster, 'sam');
    const b = await connectClient(cluster, 'sam');
    const subscribed: ServerSubscribedContext[] = [];
    const got: ServerPublicationContext[] = [];
    for (const { client } of [a, b]) {
      client.on('subscribed', (ctx) => subscribed.push(ctx));
      client.on('publication', (ctx) => got.push(ctx));
    }
    assert.deepEqual(await apiResult(cluster, 'subscribe', { user: 'sam', channel: 'chat:server-side' }), {});
    await waitFor(() => subscribed.length === 2, { what: 'both connections subscribed' });
    assert.deepEqual(subscribed.map((s) => s.channel), ['chat:server-side', 'chat:server-side']);
    await apiResult(cluster, 'publish', { channel: 'chat:server-side', data: { hello: 'sam' } });
    await waitFor(() => got.length === 2, { what: 'the publication on both connections' });
    for (const p of got) assert.deepEqual([p.channel, p.data], ['chat:server-side', { hello: 'sam' }]);
  });

  it('subscribes only the named client when one is given, and answers 102 for an unknown namespace', async () => {
    const chosen = await connectClient(cluster, 'sue');
    const other = await connectClient(cluster, 'sue');
    const seen: string[] = [];
    chosen.client.on('subscribed', (ctx) => seen.push(`chosen ${ctx.channel}`));
    other.client.on('subscribed', (ctx) => seen.push(`other ${ctx.channel}`));
    await apiResult(cluster, 'subscribe', { user: 'sue', client: chosen.id, channel: 'chat:just-one' });
    await waitFor(() => seen.length > 0, { what: 'the server-side subscription' });
    const error = await apiError(cluster, 'subscribe', { user: 'sue', channel: 'nope:x' });
    assert.deepEqual(error, { code: 102, message: 'unknown channel' });
    const channels = await apiResult<{ channels: Record<string, { num_clients: number }> }>(cluster, 'channels', { pattern: 'chat:just-one' });
    assert.deepEqual(channels.channels, { 'chat:just-one': { num_clients: 1 } });
    assert.deepEqual(seen, ['chosen chat:just-one']);
  });

  it('unsubscribes a client-side subscription with code 2000 "server unsubscribe", for good', async () => {
    const { client } = await connectClient(cluster, 'uma');
    const { sub } = await subscribeTo(client, 'chat:unsub');
    const unsubscribed = new Promise<Close>((resolve) => sub.once('unsubscribed', resolve));
    assert.deepEqual(await apiResult(cluster, 'unsubscribe', { user: 'uma', channel: 'chat:unsub' }), {});
    assert.deepEqual(await unsubscribed, { channel: 'chat:unsub', code: 2000, reason: 'server unsubscribe' });
    assert.equal(sub.state, 'unsubscribed');
    assert.equal(client.state, 'connected');
    await waitFor(async () => {
      const stats = await apiResult<{ num_clients: number }>(cluster, 'presence_stats', { channel: 'chat:unsub' });
      return stats.num_clients === 0;
    }, { intervalMs: 50, what: 'the presence entry to go' });
  });

  it('ends a server-side subscription with the client\'s unsubscribed event', async () => {
    const { client } = await connectClient(cluster, 'ursula');
    const subscribed = new Promise<string>((resolve) => client.once('subscribed', (ctx) => resolve(ctx.channel)));
    await apiResult(cluster, 'subscribe', { user: 'ursula', channel: 'chat:server-unsub' });
    assert.equal(await subscribed, 'chat:server-unsub');
    const unsubscribed = new Promise<string>((resolve) => client.once('unsubscribed', (ctx) => resolve(ctx.channel)));
    await apiResult(cluster, 'unsubscribe', { user: 'ursula', channel: 'chat:server-unsub' });
    assert.equal(await unsubscribed, 'chat:server-unsub');
    assert.equal(client.state, 'connected');
  });

  it('disconnects a user with 3503 "force disconnect", and the client does not reconnect', async () => {
    const { client } = await connectClient(cluster, 'dan');
    let reconnecting = 0;
    client.on('connecting', () => reconnecting++);
    const disconnected = nextDisconnect(client);
    assert.deepEqual(await apiResult(cluster, 'disconnect', { user: 'dan' }), {});
    assert.deepEqual(await disconnected, { code: 3503, reason: 'force disconnect' });
    assert.equal(client.state, 'disconnected');
    assert.equal(reconnecting, 0);
  });

  it('disconnects with a custom code and reason when asked to', async () => {
    const { client } = await connectClient(cluster, 'cody');
    const disconnected = nextDisconnect(client);
    await apiResult(cluster, 'disconnect', { user: 'cody', disconnect: { code: 4501, reason: 'go away' } });
    assert.deepEqual(await disconnected, { code: 4501, reason: 'go away' });
    assert.equal(client.state, 'disconnected');
  });

  it('spares the whitelisted connection of a user it disconnects', async () => {
    const spared = await connectClient(cluster, 'wes');
    const kicked = await connectClient(cluster, 'wes');
    const { got } = await subscribeTo(spared.client, 'chat:whitelist');
    const disconnected = nextDisconnect(kicked.client);
    await apiResult(cluster, 'disconnect', { user: 'wes', whitelist: [spared.id] });
    assert.deepEqual(await disconnected, { code: 3503, reason: 'force disconnect' });
    await apiResult(cluster, 'publish', { channel: 'chat:whitelist', data: { still: 'here' } });
    await waitFor(() => got.length === 1, { what: 'a publication to the spared connection' });
    assert.equal(spared.client.state, 'connected');
  });

  it('closes a connection refreshed as expired with 3005, and the client reconnects', async () => {
    const first = await connectClient(cluster, 'rex');
    assert.deepEqual(await apiResult(cluster, 'refresh', { user: 'rex', expire_at: Math.floor(Date.now() / 1000) + 3600 }), {});
    const closes: Close[] = [];
    first.client.on('connecting', (ctx) => closes.push({ code: ctx.code, reason: ctx.reason }));
    const reconnected = new Promise<string>((resolve) => first.client.once('connected', (ctx) => resolve(ctx.client)));
    assert.deepEqual(await apiResult(cluster, 'refresh', { user: 'rex', expired: true }), {});
    const newId = await reconnected;
    assert.deepEqual(closes[0], { code: 3005, reason: 'connection expired' });
    assert.notEqual(newId, first.id);
    assert.equal(first.client.state, 'connected');
  });

  it('with a session, addresses only that session: a WebSocket connection has none (as in Centrifugo), so it is left alone and the call answers {}', async () => {
    const { client, id } = await connectClient(cluster, 'sid');
    const { got } = await subscribeTo(client, 'chat:session');
    const events: string[] = [];
    client.on('disconnected', () => events.push('disconnected'));
    client.on('connecting', () => events.push('connecting'));
    client.on('subscribed', (ctx) => events.push(`subscribed ${ctx.channel}`));
    const session = 'a-session-no-websocket-has';
    assert.deepEqual(await apiResult(cluster, 'subscribe', { user: 'sid', channel: 'chat:session-other', session }), {});
    assert.deepEqual(await apiResult(cluster, 'unsubscribe', { user: 'sid', channel: 'chat:session', session }), {});
    assert.deepEqual(await apiResult(cluster, 'refresh', { user: 'sid', expired: true, session }), {});
    assert.deepEqual(await apiResult(cluster, 'disconnect', { user: 'sid', session }), {});
    // Still connected and subscribed: a publication sent after the four calls arrives.
    await apiResult(cluster, 'publish', { channel: 'chat:session', data: { after: 'session calls' } });
    await waitFor(() => got.length === 1, { what: 'the publication after the session-addressed calls' });
    assert.deepEqual(events, []);
    // The same disconnect without a session reaches it: the session narrowed the call.
    const disconnected = nextDisconnect(client);
    await apiResult(cluster, 'disconnect', { user: 'sid', client: id });
    assert.deepEqual(await disconnected, { code: 3503, reason: 'force disconnect' });
  });
});
