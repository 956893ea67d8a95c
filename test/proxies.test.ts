/**
 * Issue 13, backend proxies: a real backend (test/support/proxy-backend.ts) behind connect,
 * refresh, subscribe, publish, sub_refresh, rpc and send proxies, configured through the config
 * file's Centrifugo v6 sections, judged by the real centrifuge client. The backend accepts,
 * rejects, disconnects, hangs, crashes and answers garbage; each case has the client-visible
 * result asserted, and no node process dies.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Centrifuge } from 'centrifuge';
import type { Options as CentrifugeOptions, Subscription } from 'centrifuge';
import WebSocket from 'ws';
import { generateSecret, resolveConfig } from '../embedded-server/index.js';
import { ProxyBackend } from './support/proxy-backend.js';
import { alive, startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

/** A WebSocket that sends a session cookie on its upgrade, as a browser on the app's domain would. */
class CookieWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { headers: { cookie: 'sid=ann-session' } });
  }
}

const future = (seconds: number): number => Math.floor(Date.now() / 1000) + seconds;

describe('backend proxies', { timeout: 120_000 }, () => {
  let backend: ProxyBackend;
  let cluster: TestCluster;
  const clients: Centrifuge[] = [];

  before(async () => {
    backend = await ProxyBackend.start();
    const b = backend.url;
    const file = {
      client: {
        proxy: {
          connect: { enabled: true, endpoint: `${b}/connect`, timeout: '500ms', http_headers: ['Cookie'], emulated_headers: ['Authorization'] },
          refresh: { enabled: true, endpoint: `${b}/refresh`, timeout: '500ms', include_connection_meta: true },
          send: { enabled: true, endpoint: `${b}/send` },
        },
      },
      channel: {
        proxy: {
          subscribe: { endpoint: `${b}/subscribe`, timeout: '500ms' },
          publish: {
            endpoint: `${b}/publish`,
            timeout: '500ms',
            http: { status_to_code_transforms: [{ status_code: 403, to_error: { code: 403, message: 'forbidden by the backend' } }] },
          },
          sub_refresh: { endpoint: `${b}/sub_refresh`, timeout: '500ms' },
        },
        namespaces: [
          { name: 'chat', presence: true, allow_presence_for_subscriber: true, history_size: 10, history_ttl: '60s', subscribe_proxy_enabled: true, publish_proxy_enabled: true, sub_refresh_proxy_enabled: true },
          { name: 'feed', history_size: 10, history_ttl: '60s' },
        ],
      },
      rpc: {
        proxy: { endpoint: `${b}/rpc`, timeout: '500ms' },
        without_namespace: { proxy_enabled: true },
        namespaces: [{ name: 'billing', proxy_enabled: true, proxy_name: 'billing-rpc' }, { name: 'quiet' }],
        ping: { enabled: true },
      },
      proxies: [{ name: 'billing-rpc', endpoint: `${b}/billing`, timeout: '500ms' }],
    };
    const resolved = resolveConfig(file, { port: 0, adminPort: 0 }, { tokenSecret: generateSecret(), apiKey: generateSecret() });
    if (!resolved.ok) throw new Error(resolved.error.join('\n'));
    const c = resolved.value.config;
    cluster = await startTestCluster({ nodes: 2, client: c.client, channels: c.channels, proxies: c.proxies });
    backend.answer('/connect', (call) => ({ body: { result: { user: call.headers.cookie === 'sid=ann-session' ? 'ann' : 'guest', info: { name: 'Ann' }, data: { greeting: 'hello' } } } }));
  });

  after(async () => {
    for (const c of clients) c.disconnect();
    await cluster?.stop();
    await backend?.stop();
  });

  /** A centrifuge client without a token (the connect proxy authenticates it). */
  function client(opts: Partial<CentrifugeOptions> = {}): Centrifuge {
    const c = new Centrifuge(cluster.url, { websocket: CookieWebSocket, minReconnectDelay: 100, maxReconnectDelay: 300, ...opts });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  }

  function connected(c: Centrifuge): Promise<{ client: string; data?: unknown }> {
    return new Promise((resolve) => {
      c.once('connected', (ctx) => resolve(ctx));
      c.connect();
    });
  }

  function disconnected(c: Centrifuge): Promise<{ code: number; reason: string }> {
    return new Promise((resolve) => c.once('disconnected', (ctx) => resolve(ctx)));
  }

  function subscribed(sub: Subscription): Promise<{ data?: unknown }> {
    return new Promise((resolve, reject) => {
      sub.once('subscribed', (ctx) => resolve(ctx));
      sub.once('unsubscribed', (ctx) => reject(new Error(`unsubscribed ${ctx.code} ${ctx.reason}`)));
      sub.subscribe();
    });
  }

  function nodesAlive(): void {
    for (const n of cluster.handle.nodes()) assert.ok(alive(n.pid), `node ${n.id} (pid ${n.pid}) is alive`);
  }

  it('authenticates a connection through the connect proxy by its cookie, with its data, name and emulated headers passed on', async () => {
    const before = backend.callsTo('/connect').length;
    const c = client({ data: { theme: 'dark' }, name: 'proxy-test', headers: { Authorization: 'Bearer abc' } });
    const ctx = await connected(c);
    assert.deepEqual(ctx.data, { greeting: 'hello' });
    const call = backend.callsTo('/connect')[before]!;
    assert.equal(call.headers.cookie, 'sid=ann-session');
    assert.equal(call.headers.authorization, 'Bearer abc');
    assert.equal(call.headers['content-type'], 'application/json');
    assert.equal(call.body.transport, 'websocket');
    assert.equal(call.body.protocol, 'json');
    assert.equal(call.body.encoding, 'json');
    assert.equal(call.body.name, 'proxy-test');
    assert.deepEqual(call.body.data, { theme: 'dark' });
    assert.equal(call.body.client, ctx.client);
    const presenceSub = c.newSubscription('chat:lobby');
    backend.answer('/subscribe', { body: { result: {} } });
    await subscribed(presenceSub);
    const presence = await c.presence('chat:lobby');
    const me = presence.clients[ctx.client]!;
    assert.equal(me.user, 'ann');
    assert.deepEqual(me.connInfo, { name: 'Ann' });
  });

  it('subscribes the connection to the channels the connect proxy names, server-side', async () => {
    backend.answer('/connect', { body: { result: { user: 'bob', channels: ['feed:news'] } } });
    const c = client();
    const got = new Promise<unknown>((resolve) => c.on('publication', (ctx) => resolve(ctx.data)));
    await connected(c);
    const r = await cluster.api('publish', { channel: 'feed:news', data: { n: 1 } });
    assert.equal(r.status, 200);
    assert.deepEqual(await got, { n: 1 });
  });

  it('answers the connect with the backend\'s error: a non-temporary one leaves the client disconnected with that code', async () => {
    backend.answer('/connect', { body: { error: { code: 4001, message: 'no session' } } });
    const c = client();
    const gone = disconnected(c);
    c.connect();
    const ctx = await gone;
    assert.equal(ctx.code, 4001);
    assert.equal(ctx.reason, 'no session');
    assert.equal(c.state, 'disconnected');
  });

  it('closes the connection with the backend\'s disconnect: 4501 is terminal, the client does not reconnect', async () => {
    backend.answer('/connect', { body: { disconnect: { code: 4501, reason: 'unauthorized' } } });
    const c = client();
    const gone = disconnected(c);
    c.connect();
    const ctx = await gone;
    assert.equal(ctx.code, 4501);
    assert.equal(ctx.reason, 'unauthorized');
  });

  for (const [what, behaviour] of [
    ['hangs past the timeout', 'hang'],
    ['crashes mid-request', 'crash'],
    ['answers garbage', 'garbage'],
    ['answers HTTP 500', { status: 500, body: { oops: true } }],
    ['answers a result of the wrong shape', { body: { result: { user: 42 } } }],
  ] as const) {
    it(`gives the client the temporary error 100 when the connect backend ${what}, and the client gets in once the backend is back`, async () => {
      backend.answer('/connect', behaviour);
      const c = client();
      const errors: number[] = [];
      c.on('error', (ctx) => errors.push(ctx.error.code));
      c.connect();
      await waitFor(() => errors.includes(100), { what: 'a connect error 100', timeoutMs: 10_000 });
      assert.notEqual(c.state, 'disconnected', 'error 100 is temporary: the client keeps trying');
      backend.answer('/connect', { body: { result: { user: 'cat' } } });
      await waitFor(() => c.state === 'connected', { what: 'the client to connect', timeoutMs: 10_000 });
      nodesAlive();
    });
  }

  it('gives error 100 when the backend is down, and recovers when it is back on the same port', async () => {
    const downBackend = await ProxyBackend.start();
    const port = Number(new URL(downBackend.url).port);
    await downBackend.stop();
    const file = {
      client: { proxy: { connect: { enabled: true, endpoint: `http://127.0.0.1:${port}/connect`, timeout: '500ms' } } },
    };
    const resolved = resolveConfig(file, { port: 0, adminPort: 0 }, { tokenSecret: generateSecret(), apiKey: generateSecret() });
    assert.ok(resolved.ok);
    const lone = await startTestCluster({ nodes: 1, client: resolved.value.config.client, proxies: resolved.value.config.proxies });
    try {
      const c = new Centrifuge(lone.url, { websocket: WebSocket, minReconnectDelay: 100, maxReconnectDelay: 300 });
      clients.push(c);
      const errors: number[] = [];
      c.on('error', (ctx) => errors.push(ctx.error.code));
      c.connect();
      await waitFor(() => errors.includes(100), { what: 'a connect error 100 (backend down)', timeoutMs: 10_000 });
      for (const n of lone.handle.nodes()) assert.ok(alive(n.pid));
      c.disconnect();
    } finally {
      await lone.stop();
    }
  });

  it('lets the subscribe proxy grant a subscription with data, channel info and an override, or refuse it with its error', async () => {
    backend.answer('/connect', { body: { result: { user: 'dan' } } });
    backend.answer('/subscribe', (call) => (call.body.channel === 'chat:private'
      ? { body: { error: { code: 403, message: 'not a member' } } }
      : { body: { result: { data: { topic: 'rooms' }, info: { role: 'mod' }, override: { presence: { value: false } } } } }));
    const c = client();
    const { client: id } = await connected(c);
    const open = c.newSubscription('chat:rooms', { data: { why: 'browse' } });
    const ctx = await subscribed(open);
    assert.deepEqual(ctx.data, { topic: 'rooms' });
    const call = backend.callsTo('/subscribe').at(-1)!;
    assert.equal(call.body.user, 'dan');
    assert.equal(call.body.channel, 'chat:rooms');
    assert.deepEqual(call.body.data, { why: 'browse' });
    // The override turned presence off for this subscription: it is not in the channel's presence.
    const presence = await c.presence('chat:rooms');
    assert.equal(presence.clients[id], undefined);

    const closed = c.newSubscription('chat:private');
    const refused = await new Promise<{ code: number; reason: string }>((resolve) => {
      closed.once('unsubscribed', (u) => resolve(u));
      closed.subscribe();
    });
    assert.equal(refused.code, 403);
    assert.equal(refused.reason, 'not a member');
  });

  it('retries a subscription the backend could not answer (error 100 is temporary) and subscribes once it answers', async () => {
    backend.answer('/connect', { body: { result: { user: 'eve' } } });
    backend.answer('/subscribe', 'hang');
    const c = client({ minResubscribeDelay: 100, maxResubscribeDelay: 300 } as Partial<CentrifugeOptions>);
    await connected(c);
    const sub = c.newSubscription('chat:slow');
    const errors: number[] = [];
    sub.on('error', (ctx) => errors.push(ctx.error.code));
    sub.subscribe();
    await waitFor(() => errors.includes(100), { what: 'a subscribe error 100', timeoutMs: 10_000 });
    backend.answer('/subscribe', { body: { result: {} } });
    await waitFor(() => sub.state === 'subscribed', { what: 'the subscription', timeoutMs: 10_000 });
    nodesAlive();
  });

  it('publishes what the publish proxy returns instead of what the client sent, and refuses what it refuses', async () => {
    backend.answer('/connect', { body: { result: { user: 'fay' } } });
    backend.answer('/subscribe', { body: { result: {} } });
    backend.answer('/publish', (call) => ((call.body.data as { text?: string }).text === 'spam'
      ? { status: 403, body: {} }
      : { body: { result: { data: { text: String((call.body.data as { text: string }).text).toUpperCase(), checked: true } } } }));
    const c = client();
    await connected(c);
    const sub = c.newSubscription('chat:general');
    const got = new Promise<unknown>((resolve) => sub.on('publication', (ctx) => resolve(ctx.data)));
    await subscribed(sub);
    await sub.publish({ text: 'hi' });
    assert.deepEqual(await got, { text: 'HI', checked: true });
    const call = backend.callsTo('/publish').at(-1)!;
    assert.equal(call.body.user, 'fay');
    assert.equal(call.body.channel, 'chat:general');
    // status_to_code_transforms: the backend's 403 becomes the client's error 403.
    await assert.rejects(sub.publish({ text: 'spam' }), (e: { code: number; message: string }) => e.code === 403 && e.message === 'forbidden by the backend');
    backend.answer('/publish', 'crash');
    await assert.rejects(sub.publish({ text: 'again' }), (e: { code: number }) => e.code === 100);
    nodesAlive();
  });

  it('answers RPC through the proxy of the method\'s namespace: without one, a named one, an unknown one, one without a proxy, and ping', async () => {
    backend.answer('/connect', { body: { result: { user: 'gus' } } });
    backend.answer('/rpc', (call) => ({ body: { result: { data: { echo: call.body.data, method: call.body.method } } } }));
    backend.answer('/billing', { body: { error: { code: 1402, message: 'payment required' } } });
    const c = client();
    await connected(c);
    assert.deepEqual((await c.rpc('getTime', { tz: 'UTC' })).data, { echo: { tz: 'UTC' }, method: 'getTime' });
    assert.equal(backend.callsTo('/rpc').at(-1)!.body.user, 'gus');
    await assert.rejects(c.rpc('billing:charge', {}), (e: { code: number; message: string }) => e.code === 1402 && e.message === 'payment required');
    await assert.rejects(c.rpc('nosuch:thing', {}), (e: { code: number }) => e.code === 104);
    await assert.rejects(c.rpc('quiet:thing', {}), (e: { code: number }) => e.code === 108);
    assert.deepEqual((await c.rpc('ping', {})).data, undefined);
    backend.answer('/rpc', 'hang');
    await assert.rejects(c.rpc('slow', {}), (e: { code: number }) => e.code === 100);
    backend.answer('/rpc', { body: { disconnect: { code: 4510, reason: 'bye' } } });
    const gone = disconnected(c);
    void c.rpc('leave', {}).catch(() => undefined);
    assert.equal((await gone).code, 4510);
  });

  it('passes send messages to the send proxy', async () => {
    backend.answer('/connect', { body: { result: { user: 'hal' } } });
    backend.answer('/send', { body: {} });
    const c = client();
    await connected(c);
    await c.send({ typing: true });
    await waitFor(() => backend.callsTo('/send').some((call) => call.body.user === 'hal'), { what: 'the send to reach the backend', timeoutMs: 5000 });
    assert.deepEqual(backend.callsTo('/send').find((call) => call.body.user === 'hal')!.body.data, { typing: true });
  });

  it('refreshes an expiring connection through the refresh proxy, with its meta, and disconnects it when the backend says expired', async () => {
    backend.answer('/connect', { body: { result: { user: 'ivy', expire_at: future(2), meta: { plan: 'pro' } } } });
    let refreshes = 0;
    backend.answer('/refresh', () => (++refreshes === 1 ? { body: { result: { expire_at: future(2) } } } : { body: { result: { expired: true } } }));
    const c = client();
    await connected(c);
    // 3005 is not terminal: the client goes back to connecting (and the connect proxy lets it in again).
    const ctx = await new Promise<{ code: number }>((resolve) => c.once('connecting', (x) => resolve(x)));
    assert.equal(ctx.code, 3005, 'connection expired');
    const calls = backend.callsTo('/refresh').filter((call) => call.body.user === 'ivy');
    assert.ok(calls.length >= 2, 'asked once to prolong, then told expired');
    assert.deepEqual(calls[0]!.body.meta, { plan: 'pro' });
  });

  it('refreshes an expiring subscription through the sub_refresh proxy and unsubscribes it (to resubscribe) when the backend says expired', async () => {
    backend.answer('/connect', { body: { result: { user: 'jo' } } });
    backend.answer('/subscribe', () => ({ body: { result: { expire_at: future(2) } } }));
    let subRefreshes = 0;
    backend.answer('/sub_refresh', (call) => (call.body.user !== 'jo' ? { body: { result: {} } } : ++subRefreshes === 1 ? { body: { result: { expire_at: future(2) } } } : { body: { result: { expired: true } } }));
    const c = client();
    await connected(c);
    const sub = c.newSubscription('chat:timed');
    await subscribed(sub);
    const subscribesBefore = backend.callsTo('/subscribe').length;
    await waitFor(() => subRefreshes >= 2 && backend.callsTo('/subscribe').length > subscribesBefore && sub.state === 'subscribed', { what: 'the subscription to be refreshed, told expired and subscribed again', timeoutMs: 15_000 });
    assert.equal(backend.callsTo('/sub_refresh').find((call) => call.body.user === 'jo')!.body.channel, 'chat:timed');
  });
});
