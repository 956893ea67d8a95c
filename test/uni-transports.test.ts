/**
 * Issue 13, Centrifugo v6's unidirectional transports — uni_websocket, uni_sse, uni_http_stream —
 * against a real cluster, with the clients an application writes without an SDK (plain `ws`,
 * `fetch` streaming, the `eventsource` package). Each transport is off until its config section
 * enables it; enabled, a client sends one connect request and then only reads Push objects: the
 * connect push, publications, `{}` pings, and a disconnect push before the end.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { generateSecret, mintConnectionToken, resolveConfig } from '../embedded-server/index.js';
import { apiResult } from './support/api-calls.js';
import { ProxyBackend } from './support/proxy-backend.js';
import { alive, startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';
import type { Push, UniClient } from './support/uni-clients.js';
import { UNI_TRANSPORTS, isPing, streamFetch, uniClient, uniWebSocket } from './support/uni-clients.js';

const SECRET = generateSecret();
const hasConnect = (p: Push): boolean => p.connect !== undefined;

describe('unidirectional transports are off by default', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ nodes: 1 });
  });
  after(() => cluster.stop());

  it('answers 404 on all three endpoints, saying which section turns each on', async () => {
    const base = `http://127.0.0.1:${cluster.handle.port}`;
    const sse = await streamFetch(`${base}/connection/uni_sse?cf_connect=%7B%7D`);
    assert.equal(sse.status, 404);
    assert.match(await sse.text(), /uni_sse\.enabled/);
    const stream = await streamFetch(`${base}/connection/uni_http_stream`, { method: 'POST', body: '{}' });
    assert.equal(stream.status, 404);
    assert.match(await stream.text(), /uni_http_stream\.enabled/);
    const ws = new WebSocket(`ws://127.0.0.1:${cluster.handle.port}/connection/uni_websocket`);
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      ws.once('open', () => resolve(101));
    });
    assert.equal(status, 404);
  });
});

describe('unidirectional transports (uni_websocket, uni_sse, uni_http_stream)', { timeout: 180_000 }, () => {
  let cluster: TestCluster;
  let backend: ProxyBackend;
  const open: UniClient[] = [];

  before(async () => {
    backend = await ProxyBackend.start();
    const file = {
      uni_websocket: { enabled: true, message_size_limit: 4096 },
      uni_sse: { enabled: true, max_request_body_size: 4096 },
      uni_http_stream: { enabled: true, max_request_body_size: 4096 },
      client: {
        ping_interval: '2s',
        pong_timeout: '1s',
        stale_close_delay: '1s',
        proxy: {
          connect: { enabled: true, endpoint: `${backend.url}/connect`, timeout: '1s' },
          refresh: { enabled: true, endpoint: `${backend.url}/refresh`, timeout: '1s' },
        },
        connect_code_to_unidirectional_disconnect: { enabled: true, transforms: [{ code: 1403, to: { code: 4403, reason: 'not for you' } }] },
      },
      channel: {
        namespaces: [
          { name: 'feed', history_size: 100, history_ttl: '300s', force_recovery: true },
          { name: 'news', allow_subscribe_for_client: true },
        ],
      },
    };
    const resolved = resolveConfig(file, { port: 0, adminPort: 0 }, { tokenSecret: SECRET, apiKey: generateSecret() });
    if (!resolved.ok) throw new Error(resolved.error.join('\n'));
    assert.deepEqual(resolved.value.warnings, []);
    const c = resolved.value.config;
    cluster = await startTestCluster({ nodes: 2, client: c.client, channels: c.channels, proxies: c.proxies });
  });

  after(async () => {
    for (const c of open) c.close();
    await cluster?.stop();
    await backend?.stop();
  });

  const token = (user: string, channels: string[], extra: { ttlSeconds?: number; nowSeconds?: number } = {}): Promise<string> =>
    mintConnectionToken({ secret: SECRET, user, channels, ...extra });

  async function connect(transport: (typeof UNI_TRANSPORTS)[number], request: object): Promise<UniClient> {
    const c = await uniClient(cluster, transport, request);
    open.push(c);
    return c;
  }

  for (const transport of UNI_TRANSPORTS) {
    describe(transport, () => {
      it('connects with a token carrying channels: the connect push first, then server API publications, then {} pings', async () => {
        const channel = `feed:${transport}-hello`;
        const c = await connect(transport, { token: await token('ann', [channel]) });
        const first = await c.inbox.next(() => true, 'the first push');
        assert.ok(first.connect, `the first push is the connect push: ${JSON.stringify(first)}`);
        assert.equal(typeof first.connect.client, 'string');
        assert.equal(typeof first.connect.session, 'string', 'a uni connection has a session id, as in Centrifugo');
        assert.equal(first.connect.node, undefined, 'no node: a uni client sends no commands to route');
        assert.equal(first.connect.ping, 2);
        assert.equal(first.connect.pong, undefined, 'a uni client is not asked for pongs');
        assert.deepEqual(Object.keys(first.connect.subs ?? {}), [channel]);
        assert.equal(first.connect.subs![channel]!.recoverable, true);
        await apiResult(cluster, 'publish', { channel, data: { n: 1 } });
        await apiResult(cluster, 'publish', { channel, data: { n: 2 } });
        const second = await c.inbox.next((p) => p.pub?.offset === 2, 'the second publication');
        assert.deepEqual(c.inbox.pushes.filter((p) => p.pub).map((p) => [p.channel, p.pub!.data]), [[channel, { n: 1 }], [channel, { n: 2 }]]);
        assert.deepEqual(Object.keys(second).sort(), ['channel', 'pub'], 'a bare Push object, no reply wrapper');
        const ping = await c.inbox.next(isPing, 'a {} ping', 6000);
        assert.deepEqual(ping, {});
      });

      it('a server API disconnect arrives as a disconnect push, then the connection ends', async () => {
        const c = await connect(transport, { token: await token(`kick-${transport}`, []) });
        await c.inbox.next(hasConnect, 'the connect push');
        await apiResult(cluster, 'disconnect', { user: `kick-${transport}` });
        const push = await c.inbox.next((p) => p.disconnect !== undefined, 'the disconnect push');
        assert.deepEqual(push, { disconnect: { code: 3503, reason: 'force disconnect' } });
        const ended = await c.inbox.whenEnded('the end of the connection');
        if (transport === 'uni_websocket') assert.deepEqual(ended, { code: 3503, reason: 'force disconnect' }, 'the close frame repeats it');
      });

      it('a bad token ends with disconnect 3500, an expired one with 3005 (a uni client gets no error reply)', async () => {
        const bad = await connect(transport, { token: 'not.a.jwt' });
        assert.deepEqual(await bad.inbox.next(() => true, 'a push'), { disconnect: { code: 3500, reason: 'invalid token' } });
        await bad.inbox.whenEnded('the end after 3500');
        const past = Math.floor(Date.now() / 1000) - 120;
        const expired = await connect(transport, { token: await token('late', [], { nowSeconds: past, ttlSeconds: 60 }) });
        assert.deepEqual(await expired.inbox.next(() => true, 'a push'), { disconnect: { code: 3005, reason: 'connection expired' } });
        const ended = await expired.inbox.whenEnded('the end after 3005');
        if (transport === 'uni_websocket') assert.equal(ended.code, 3005);
      });

      it('recovers what it missed across a reconnect from the positions it passes in subs', async () => {
        const channel = `feed:${transport}-recover`;
        const tok = await token('rita', [channel]);
        const c = await connect(transport, { token: tok });
        await c.inbox.next(hasConnect, 'the connect push');
        await apiResult(cluster, 'publish', { channel, data: { seq: 1 } });
        const seen = await c.inbox.next((p) => p.pub !== undefined, 'the first publication');
        const epoch = (c.inbox.pushes[0]!.connect!.subs![channel]!.epoch)!;
        c.close();
        for (const seq of [2, 3, 4]) await apiResult(cluster, 'publish', { channel, data: { seq } });
        const again = await connect(transport, { token: tok, subs: { [channel]: { recover: true, offset: seen.pub!.offset, epoch } } });
        const result = (await again.inbox.next(hasConnect, 'the connect push')).connect!.subs![channel]!;
        assert.equal(result.recovered, true);
        assert.deepEqual(result.publications?.map((p) => p.data), [{ seq: 2 }, { seq: 3 }, { seq: 4 }]);
        await apiResult(cluster, 'publish', { channel, data: { seq: 5 } });
        const live = await again.inbox.next((p) => p.pub !== undefined, 'the next live publication');
        assert.deepEqual(live.pub!.data, { seq: 5 });
      });

      it('subscribes the channels named in subs that the namespace lets a client subscribe to, and skips the others', async () => {
        const c = await connect(transport, { token: await token('sam', []), subs: { [`news:${transport}`]: {}, [`feed:${transport}-nope`]: {} } });
        const push = await c.inbox.next(hasConnect, 'the connect push');
        assert.deepEqual(Object.keys(push.connect!.subs ?? {}), [`news:${transport}`]);
      });

      it('the connect proxy authenticates a connect without a token, and is told the transport', async () => {
        const channel = `feed:${transport}-proxied`;
        backend.answer('/connect', () => ({ body: { result: { user: 'pat', channels: [channel], data: { hello: 'pat' } } } }));
        const before = backend.calls.length;
        const c = await connect(transport, { data: { app: 'feed-reader' } });
        const push = await c.inbox.next(hasConnect, 'the connect push');
        assert.deepEqual(push.connect!.data, { hello: 'pat' });
        const call = backend.calls.slice(before).find((x) => x.path === '/connect')!;
        assert.equal(call.body.transport, transport);
        assert.deepEqual(call.body.data, { app: 'feed-reader' });
        await apiResult(cluster, 'publish', { channel, data: 'for pat' });
        assert.equal((await c.inbox.next((p) => p.pub !== undefined, 'the publication')).pub!.data, 'for pat');
      });

      it('a connect proxy error becomes a disconnect: mapped by connect_code_to_unidirectional_disconnect, else 3004', async () => {
        backend.answer('/connect', { body: { error: { code: 1403, message: 'no' } } });
        const mapped = await connect(transport, {});
        assert.deepEqual(await mapped.inbox.next(() => true, 'a push'), { disconnect: { code: 4403, reason: 'not for you' } });
        backend.answer('/connect', { body: { error: { code: 1500, message: 'backend trouble' } } });
        const other = await connect(transport, {});
        assert.deepEqual(await other.inbox.next(() => true, 'a push'), { disconnect: { code: 3004, reason: 'internal server error' } });
      });
    });
  }

  describe('connection refresh (a uni client cannot send a refresh command)', () => {
    it('the refresh proxy extends an expiring connection, and ends it with 3005 once the backend says expired', async () => {
      let refreshes = 0;
      backend.answer('/refresh', (call) => (call.body.user !== 'rex' ? { body: { result: {} } }
        : ++refreshes === 1 ? { body: { result: { expire_at: Math.floor(Date.now() / 1000) + 2 } } } : { body: { result: { expired: true } } }));
      const channel = 'feed:uni-refresh';
      const c = await connect('uni_http_stream', { token: await token('rex', [channel], { ttlSeconds: 2 }) });
      const push = await c.inbox.next(hasConnect, 'the connect push');
      assert.equal(push.connect!.expires, undefined, 'the server refreshes it: the client is not told it expires');
      await waitFor(() => refreshes >= 1, { timeoutMs: 8000, what: 'the first refresh at the expiry' });
      await apiResult(cluster, 'publish', { channel, data: 'after the refresh' });
      assert.equal((await c.inbox.next((p) => p.pub !== undefined, 'a publication after the refresh')).pub!.data, 'after the refresh');
      assert.deepEqual(await c.inbox.next((p) => p.disconnect !== undefined, 'the disconnect push', 10_000), { disconnect: { code: 3005, reason: 'connection expired' } });
      await c.inbox.whenEnded('the end of the stream');
      assert.ok(backend.calls.filter((x) => x.path === '/refresh' && x.body.user === 'rex').every((x) => x.body.transport === 'uni_http_stream'));
    });
  });

  describe('uni_websocket only', () => {
    it('pings with ping frames as well as {} pushes (ws answers them with pongs, so it stays)', async () => {
      const c = await uniWebSocket(cluster, { token: await token('pinged', []) });
      open.push(c);
      await c.inbox.next(hasConnect, 'the connect push');
      await c.inbox.next(isPing, 'a {} ping', 6000);
      assert.ok(c.pings >= 1, 'a ping frame came with it');
      await c.inbox.next(isPing, 'a second {} ping, the first pong having been accepted', 6000, c.inbox.pushes.findIndex(isPing) + 1);
      assert.equal(c.inbox.ended, null);
    });

    it('closes a client that answers no ping frame within pong_timeout with 3012', async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${cluster.handle.port}/connection/uni_websocket`, { autoPong: false });
      const messages: string[] = [];
      ws.on('message', (d: Buffer) => messages.push(d.toString()));
      const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
      await new Promise<void>((resolve) => ws.once('open', () => resolve()));
      ws.send(JSON.stringify({ token: await token('deaf', []) }));
      assert.equal(await closed, 3012);
      assert.deepEqual(JSON.parse(messages.at(-1)!), { disconnect: { code: 3012, reason: 'no pong' } });
    });

    it('drops messages after the connect request, as Centrifugo does, and closes 1009 past message_size_limit', async () => {
      const channel = 'feed:uni-ws-chatty';
      const c = await uniWebSocket(cluster, { token: await token('chatty', [channel]) });
      open.push(c);
      await c.inbox.next(hasConnect, 'the connect push');
      c.ws.send(JSON.stringify({ id: 2, subscribe: { channel: 'news:other' } }));
      c.ws.send('not even JSON');
      await apiResult(cluster, 'publish', { channel, data: 'still here' });
      assert.equal((await c.inbox.next((p) => p.pub !== undefined, 'the publication')).pub!.data, 'still here');
      assert.equal(c.inbox.pushes.some((p) => p.channel === 'news:other'), false, 'the subscribe was not run');
      c.ws.send('x'.repeat(5000));
      assert.equal((await c.inbox.whenEnded('the close')).code, 1009);
    });

    it('takes the connect request from cf_connect too; a first message that is no connect request closes 3501 without a push', async () => {
      const q = await uniWebSocket(cluster, { token: await token('query', []) }, { viaQuery: true });
      open.push(q);
      await q.inbox.next(hasConnect, 'the connect push');
      const junk = await uniWebSocket(cluster, { token: 5 });
      open.push(junk);
      assert.deepEqual(await junk.inbox.whenEnded('the close'), { code: 3501, reason: 'bad request' });
      assert.deepEqual(junk.inbox.pushes, []);
    });

    it('closes a connection that sends no connect request within stale_close_delay with 3502', async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${cluster.handle.port}/connection/uni_websocket`);
      const messages: string[] = [];
      ws.on('message', (d: Buffer) => messages.push(d.toString()));
      const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
      assert.equal(await closed, 3502);
      assert.deepEqual(messages.map((m) => JSON.parse(m) as unknown), [{ disconnect: { code: 3502, reason: 'stale' } }]);
    });

    it('answers a malformed cf_connect 400 before the upgrade', async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${cluster.handle.port}/connection/uni_websocket?cf_connect=%7Bnope`);
      const status = await new Promise<number>((resolve) => {
        ws.once('unexpected-response', (req, res) => {
          req.destroy();
          resolve(res.statusCode ?? 0);
        });
        ws.once('open', () => resolve(101));
      });
      assert.equal(status, 400);
    });
  });

  describe('bad requests get a clear answer and no process dies', () => {
    const url = (path: string): string => `http://127.0.0.1:${cluster.handle.port}/connection/${path}`;

    it('an oversize connect request: 413 naming the option', async () => {
      const big = JSON.stringify({ token: 'x'.repeat(5000) });
      for (const path of ['uni_http_stream', 'uni_sse']) {
        const res = await streamFetch(url(path), { method: 'POST', body: big });
        assert.equal(res.status, 413, path);
        assert.match(await res.text(), new RegExp(`${path}\\.max_request_body_size`));
      }
    });

    it('malformed JSON, or JSON that is no connect request: 400', async () => {
      for (const body of ['{"token":', '[1,2]', '{"token": 5}', '', '{"subs": {"feed:x": {"offset": "ten"}}}']) {
        const res = await streamFetch(url('uni_http_stream'), { method: 'POST', body });
        assert.equal(res.status, 400, `uni_http_stream body ${body}`);
        assert.match(await res.text(), /invalid connect request/);
      }
      const sse = await streamFetch(`${url('uni_sse')}?cf_connect=${encodeURIComponent('{"token":')}`);
      assert.equal(sse.status, 400);
      const ssePost = await streamFetch(url('uni_sse'), { method: 'POST', body: 'nope' });
      assert.equal(ssePost.status, 400);
    });

    it('a wrong method: 405 with Allow', async () => {
      const get = await streamFetch(url('uni_http_stream'));
      assert.equal(get.status, 405);
      assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
      const put = await streamFetch(url('uni_sse'), { method: 'PUT', body: '{}' });
      assert.equal(put.status, 405);
      assert.equal(put.headers.get('allow'), 'GET, POST, OPTIONS');
    });

    it('left every node running', async () => {
      assert.ok(cluster.pids().every(alive));
      const info = await apiResult<{ nodes: unknown[] }>(cluster, 'info', {});
      assert.equal(info.nodes.length, 2);
    });
  });
});
