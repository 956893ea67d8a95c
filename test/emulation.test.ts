/**
 * WebSocket emulation (issue 13): centrifuge-js 5.8's `http_stream` and `sse` transports, unmodified,
 * against the cluster — a stream on a node through the gateway, commands through `POST /emulation`
 * routed by the supervisor to the node holding the stream. Checked with the real client (connect,
 * subscribe, publish both ways, presence, server disconnect, fallback from a refused WebSocket,
 * recovery after the node is SIGKILLed: every publication once and in order) and on the wire (the
 * connect reply's session and node, the server API addressing a stream by session, bad requests).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Centrifuge } from 'centrifuge';
import type { PublicationContext, TransportEndpoint } from 'centrifuge';
import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import { apiResult } from './support/api-calls.js';
import { killNode, nodeInState } from './support/cluster-nodes.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

type Emulated = 'http_stream' | 'sse';

/** GET /healthz, then a stream request on the same kept-alive connection; answers all the bytes received. */
function keptAliveStreamAttempt(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no close in 5 s; got ${got}`)); }, 5000);
    socket.on('data', (d) => {
      got += d.toString();
      if (got.includes('"status":"ok"') && !got.includes('503')) {
        socket.write('POST /connection/http_stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}');
      }
    });
    socket.on('close', () => { clearTimeout(timer); resolve(got); });
    socket.on('error', () => undefined);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  });
}

function endpoints(cluster: TestCluster, only: Emulated[], websocketPath?: string): TransportEndpoint[] {
  const base = `http://127.0.0.1:${cluster.handle.port}`;
  return [
    ...(websocketPath ? [{ transport: 'websocket' as const, endpoint: `ws://127.0.0.1:${cluster.handle.port}${websocketPath}` }] : []),
    ...only.map((t) => ({ transport: t, endpoint: `${base}/connection/${t}` })),
  ];
}

/** A centrifuge-js client over the given transports (Node: fetch and ReadableStream are global; EventSource from npm). */
async function emulatedClient(cluster: TestCluster, user: string, only: Emulated[], websocketPath?: string): Promise<Centrifuge> {
  const c = new Centrifuge(endpoints(cluster, only, websocketPath), {
    websocket: WebSocket,
    eventsource: EventSource,
    emulationEndpoint: `http://127.0.0.1:${cluster.handle.port}/emulation`,
    token: await cluster.token(user),
    minReconnectDelay: 100,
    maxReconnectDelay: 500,
  });
  c.on('error', () => undefined);
  return c;
}

const transportOf = (c: Centrifuge): string => (c as unknown as { _transport: { name(): string } | null })._transport?.name() ?? 'none';

async function connected(c: Centrifuge): Promise<string> {
  const id = new Promise<string>((resolve) => c.once('connected', (ctx) => resolve(ctx.client)));
  c.connect();
  return id;
}

describe('WebSocket emulation with centrifuge-js: http_stream and sse', () => {
  let cluster: TestCluster;
  const clients: Centrifuge[] = [];
  before(async () => {
    cluster = await startTestCluster({ nodes: 2 });
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    await cluster.stop();
  });

  for (const transport of ['http_stream', 'sse'] as const) {
    it(`${transport}: connects, subscribes, receives and publishes, sees presence, all commands through POST /emulation`, async () => {
      const c = await emulatedClient(cluster, `emu-${transport}`, [transport]);
      clients.push(c);
      const id = await connected(c);
      assert.equal(transportOf(c), transport);
      const sub = c.newSubscription(`chat:emu-${transport}`);
      const got: PublicationContext[] = [];
      sub.on('publication', (ctx) => got.push(ctx));
      const subscribed = new Promise<void>((resolve) => sub.once('subscribed', () => resolve()));
      sub.subscribe();
      await subscribed;
      await apiResult(cluster, 'publish', { channel: `chat:emu-${transport}`, data: { from: 'backend' } });
      await sub.publish({ from: 'client' });
      await waitFor(() => got.length === 2, { what: 'the backend\'s and the client\'s publication' });
      assert.deepEqual(got.map((p) => p.data), [{ from: 'backend' }, { from: 'client' }]);
      const presence = await sub.presence();
      assert.deepEqual(Object.values(presence.clients).map((p) => p.client), [id]);
      const rpcError = await c.rpc('nothing', {}).then(() => null, (e: { code: number }) => e.code);
      assert.equal(rpcError, 108, 'rpc without a proxy answers 108 "not available", over emulation too');
    });

    it(`${transport}: a server disconnect arrives as the disconnect push, and 3503 does not reconnect`, async () => {
      const c = await emulatedClient(cluster, `kick-${transport}`, [transport]);
      clients.push(c);
      await connected(c);
      const gone = new Promise<{ code: number; reason: string }>((resolve) => c.once('disconnected', resolve));
      await apiResult(cluster, 'disconnect', { user: `kick-${transport}` });
      assert.deepEqual(await gone, { code: 3503, reason: 'force disconnect' });
      assert.equal(c.state, 'disconnected');
    });
  }

  it('falls back from a WebSocket the server refuses to http_stream, as centrifuge-js\'s transport list says', async () => {
    const c = await emulatedClient(cluster, 'fallback', ['http_stream', 'sse'], '/connection/no-websocket-here');
    clients.push(c);
    await connected(c);
    assert.equal(transportOf(c), 'http_stream');
  });
});

describe('recovery over emulation after the node holding the stream is SIGKILLed', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ nodes: 1 });
  });
  after(() => cluster.stop());

  for (const transport of ['http_stream', 'sse'] as const) {
    it(`${transport}: the client reconnects and recovers every publication once, in order`, async () => {
      const channel = `feed:emu-recover-${transport}`;
      const c = await emulatedClient(cluster, `rec-${transport}`, [transport]);
      await connected(c);
      const sub = c.newSubscription(channel);
      const seqs: number[] = [];
      sub.on('publication', (ctx) => seqs.push((ctx.data as { seq: number }).seq));
      const recovered: boolean[] = [];
      sub.on('subscribed', (ctx) => recovered.push(ctx.wasRecovering ? ctx.recovered : true));
      sub.subscribe();
      await waitFor(() => recovered.length === 1, { what: 'the first subscribe' });
      try {
        for (let seq = 1; seq <= 5; seq++) await apiResult(cluster, 'publish', { channel, data: { seq } });
        await waitFor(() => seqs.length === 5, { what: 'the first 5 publications' });
        killNode(cluster, 'node-1');
        // Published while the node is down and restarting: the client must get these from history.
        for (let seq = 6; seq <= 10; seq++) await apiResult(cluster, 'publish', { channel, data: { seq } });
        await nodeInState(cluster, 'node-1', 'healthy');
        await waitFor(() => recovered.length === 2, { timeoutMs: 20_000, what: 'the resubscribe after the node kill' });
        assert.equal(recovered[1], true, 'recovered from history');
        for (let seq = 11; seq <= 12; seq++) await apiResult(cluster, 'publish', { channel, data: { seq } });
        await waitFor(() => seqs.length >= 12, { what: 'all 12 publications' });
        assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        assert.equal(transportOf(c), transport);
      } finally {
        c.disconnect();
      }
    });
  }
});

describe('emulation on the wire: session and node, the server API by session, bad requests', () => {
  let cluster: TestCluster;
  let base: string;
  before(async () => {
    cluster = await startTestCluster({ nodes: 1 });
    base = `http://127.0.0.1:${cluster.handle.port}`;
  });
  after(() => cluster.stop());

  /** Opens an http_stream with a connect command; answers the reply lines as they come and the stream's end. */
  async function openStream(user: string): Promise<{ lines: Record<string, unknown>[]; ended: Promise<void>; abort(): void }> {
    const abort = new AbortController();
    const res = await fetch(`${base}/connection/http_stream`, {
      method: 'POST', body: JSON.stringify({ id: 1, connect: { token: await cluster.token(user) } }), signal: abort.signal,
    });
    assert.equal(res.status, 200);
    const lines: Record<string, unknown>[] = [];
    const ended = (async () => {
      let rest = '';
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          rest += decoder.decode(chunk, { stream: true });
          let nl: number;
          while ((nl = rest.indexOf('\n')) >= 0) {
            const line = rest.slice(0, nl);
            rest = rest.slice(nl + 1);
            if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
          }
        }
      } catch {
        // aborted by the test
      }
    })();
    return { lines, ended, abort: () => abort.abort() };
  }

  const emulate = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${base}/emulation`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('names the session and the node in the connect reply; POST /emulation with them runs commands on the stream (204)', async () => {
    const stream = await openStream('wire');
    try {
      await waitFor(() => stream.lines.length >= 1, { what: 'the connect reply' });
      const reply = stream.lines[0]!.connect as { client: string; session: string; node: string };
      assert.match(reply.session, /^[0-9a-f-]{36}$/);
      assert.equal(reply.node, `${cluster.config.name}/node-1`, 'the node, named with its supervisor');
      const res = await emulate({ session: reply.session, node: reply.node, data: JSON.stringify({ id: 2, subscribe: { channel: 'chat:wire' } }) });
      assert.equal(res.status, 204);
      await waitFor(() => stream.lines.some((l) => l.id === 2), { what: 'the subscribe reply on the stream' });
      // The server API reaches this connection by its session.
      await apiResult(cluster, 'disconnect', { user: 'wire', session: reply.session });
      await waitFor(() => stream.lines.some((l) => (l.push as { disconnect?: unknown } | undefined)?.disconnect !== undefined), { what: 'the disconnect push' });
      await stream.ended;
      assert.deepEqual(stream.lines.at(-1), { push: { disconnect: { code: 3503, reason: 'force disconnect' } } });
      // The session is gone from a running node: 204, nothing runs.
      assert.equal((await emulate({ session: reply.session, node: reply.node, data: '{"id":3,"presence":{"channel":"chat:wire"}}' })).status, 204);
    } finally {
      stream.abort();
    }
  });

  it('answers bad emulation requests with a status and a reason, and the node keeps serving', async () => {
    const bad = async (res: Promise<Response>, status: number, pattern: RegExp): Promise<void> => {
      const r = await res;
      assert.equal(r.status, status);
      assert.match(await r.text(), pattern);
    };
    await bad(emulate('not json'), 400, /not JSON/);
    await bad(emulate([1, 2]), 400, /JSON object/);
    await bad(emulate({ session: 's', node: 'node-1' }), 400, /data must be a non-empty string/);
    await bad(emulate({ session: 's', node: 'node-9', data: '{}' }), 404, /no node node-9/);
    await bad(emulate({ session: 's', node: 'sb-elsewhere/node-1', data: '{}' }), 404, /no supervisor sb-elsewhere is running/);
    await bad(emulate({ session: 's', node: 'node-1', data: 'x'.repeat(300_000) }), 413, /larger than/);
    await bad(fetch(`${base}/emulation`), 405, /POST/);
    await bad(emulate({ session: 's', node: 'node-1', data: '{}' }, { origin: 'https://evil.example' }), 403, /Origin/);
    await bad(fetch(`${base}/connection/http_stream`), 405, /POST/);
    await bad(fetch(`${base}/connection/http_stream`, { method: 'POST', body: '' }), 400, /no connect command/);
    await bad(fetch(`${base}/connection/sse`), 400, /cf_connect/);
    await bad(fetch(`${base}/connection/http_stream`, { method: 'POST', body: 'x'.repeat(70_000) }), 413, /larger than/);
    await bad(fetch(`${base}/connection/http_stream`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'x' }), 400, /Protobuf/);
    // A stream request on a connection kept alive from an earlier request reaches the supervisor, not a
    // node (the gateway routes a connection by its first request): 503, closed, so the retry gets a new one.
    const kept = await keptAliveStreamAttempt(cluster.handle.port);
    assert.match(kept, /^HTTP\/1\.1 200 [\s\S]*HTTP\/1\.1 503 [\s\S]*connection: close[\s\S]*a stream needs a connection of its own/i);
    // A stream whose connect is not a command is closed like a WebSocket's bad frame: a disconnect push.
    const res = await fetch(`${base}/connection/http_stream`, { method: 'POST', body: 'not a command' });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /"disconnect":\{"code":35\d\d/);
    // Still serving: a good stream connects.
    const stream = await openStream('after-bad');
    try {
      await waitFor(() => stream.lines.length >= 1, { what: 'a connect reply after the bad requests' });
      assert.ok('connect' in stream.lines[0]!);
    } finally {
      stream.abort();
    }
  });
});
