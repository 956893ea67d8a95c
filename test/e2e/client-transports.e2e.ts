/**
 * The WebSocket emulation end to end in a real browser: the npm centrifuge 5.8.0 browser bundle,
 * unmodified, on a page of another origin (allowed by `client.allowed_origins`) in Debian's
 * Chromium, against a real cluster. Over `http_stream` and `sse` alone the page connects, subscribes,
 * receives a publication of the server API, publishes, sees its presence and gets 108 for an RPC —
 * cross-origin, with the CORS answers and preflights a browser insists on. With the transport list
 * `[websocket, http_stream, sse]` a refused WebSocket upgrade (by the cluster: a path it does not
 * serve, as test/emulation.test.ts does it; by a front that passes no upgrades: at the real
 * `/connection/websocket`) falls back to `http_stream`. After the node holding the page's stream
 * is SIGKILLed the client reconnects and recovers every publication of the outage once, in order.
 * The Node-side twin of these checks is test/emulation.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiResult } from '../support/api-calls.js';
import { killNode, nodeInState } from '../support/cluster-nodes.js';
import { startTestCluster } from '../support/test-cluster.js';
import type { TestCluster } from '../support/test-cluster.js';
import { eventually } from './support/console-pages.js';
import { ClientBrowser, ClientPageServer } from './support/browser-client.js';
import type { ClientPage, TransportEndpoint } from './support/browser-client.js';
import { WebSocketRefusingFront } from './support/websocket-refusing-front.js';

type Emulated = 'http_stream' | 'sse';

const SESSION_ID = /^[0-9a-f-]{36}$/;

/** The transport list of a client reaching the cluster (or a front) at `port`. */
function endpoints(port: number, transports: Emulated[], websocketPath?: string): TransportEndpoint[] {
  return [
    ...(websocketPath === undefined ? [] : [{ transport: 'websocket' as const, endpoint: `ws://127.0.0.1:${port}${websocketPath}` }]),
    ...transports.map((t) => ({ transport: t, endpoint: `http://127.0.0.1:${port}/connection/${t}` })),
  ];
}

/** Client options: a token for `user`, and the emulation endpoint, absolute (the page is of another origin). */
async function clientOptions(cluster: TestCluster, user: string, port = cluster.handle.port): Promise<{ token: string; emulationEndpoint: string }> {
  return { token: await cluster.token(user), emulationEndpoint: `http://127.0.0.1:${port}/emulation` };
}

describe('the centrifuge browser client in Chromium over the emulated transports', () => {
  let pages: ClientPageServer;
  let browser: ClientBrowser;
  const opened: ClientPage[] = [];

  const openPage = async (origin = pages.origin): Promise<ClientPage> => {
    const page = await browser.open(`${origin}/`);
    opened.push(page);
    return page;
  };
  /** Disconnects and closes the pages opened so far (before their cluster stops). */
  const closePages = async (): Promise<void> => {
    for (const p of opened.splice(0)) await p.close();
  };

  before(async () => {
    pages = await ClientPageServer.start();
    browser = await ClientBrowser.launch();
  });

  after(async () => {
    await closePages();
    await browser?.close();
    await pages?.close();
  });

  describe('on a cluster of two nodes that allows the page\'s origin', () => {
    let cluster: TestCluster;
    let front: WebSocketRefusingFront;

    before(async () => {
      cluster = await startTestCluster({ nodes: 2, client: { allowedOrigins: [pages.origin] } });
      front = await WebSocketRefusingFront.start(cluster.handle.port);
    });

    after(async () => {
      await closePages();
      await front?.close();
      await cluster?.stop();
    });

    for (const transport of ['http_stream', 'sse'] as const) {
      it(`over ${transport} alone, the page connects, subscribes, receives a server API publication, publishes, sees its own presence and gets error 108 for an RPC`, async () => {
        const user = `browser-${transport}`;
        const channel = `chat:browser-${transport}`;
        const page = await openPage();
        await page.start(endpoints(cluster.handle.port, [transport]), await clientOptions(cluster, user));
        const conn = await page.connected();
        assert.equal(conn.transport, transport);
        assert.match(conn.session, SESSION_ID, 'the connect reply names the stream\'s session');
        assert.ok(cluster.handle.nodes().some((n) => `${cluster.config.name}/${n.id}` === conn.node), `the connect reply names a node of the cluster (${conn.node})`);

        await page.subscribe(channel);
        assert.deepEqual(await page.subscribed(channel), { wasRecovering: false, recovered: false });
        await apiResult(cluster, 'publish', { channel, data: { from: 'backend' } });
        assert.deepEqual(await page.publish(channel, { from: 'browser' }), { ok: true });
        assert.deepEqual(await page.publications(channel, 2), [{ from: 'backend' }, { from: 'browser' }]);

        assert.deepEqual(await page.presence(channel), { ok: true, data: [conn.client] });
        const served = await apiResult<{ presence: Record<string, { client: string; user: string }> }>(cluster, 'presence', { channel });
        assert.deepEqual(Object.values(served.presence).map((p) => [p.client, p.user]), [[conn.client, user]], 'the server sees the page\'s connection too');

        const rpc = await page.rpc('nothing', {});
        assert.equal(rpc.ok, false);
        assert.equal(rpc.ok ? null : rpc.code, 108, 'no RPC method is configured: 108 "not available"');

        const state = await page.state();
        assert.equal(state.transport, transport);
        assert.equal(state.connects.length, 1, 'one connect, no reconnect');
        assert.deepEqual(state.errors, []);
        assert.deepEqual(state.subs[channel]!.errors, []);
        assert.deepEqual(page.corsErrors(), [], 'every cross-origin answer carried CORS headers');
      });
    }

    it('falls back from a WebSocket upgrade the cluster refuses (a path it does not serve, 404) to http_stream, the next transport in the list', async () => {
      const channel = 'chat:browser-fallback';
      const page = await openPage();
      await page.start(endpoints(cluster.handle.port, ['http_stream', 'sse'], '/connection/no-websocket-here'), await clientOptions(cluster, 'browser-fallback'));
      const conn = await page.connected();
      assert.equal(conn.transport, 'http_stream');
      const state = await page.state();
      assert.equal(state.errors[0]?.transport, 'websocket', `the WebSocket failed first: ${JSON.stringify(state.errors)}`);
      assert.ok(state.errors.every((e) => e.transport === 'websocket'), `only the WebSocket failed: ${JSON.stringify(state.errors)}`);
      await page.subscribe(channel);
      await page.subscribed(channel);
      await apiResult(cluster, 'publish', { channel, data: { over: 'fallback' } });
      assert.deepEqual(await page.publications(channel, 1), [{ over: 'fallback' }]);
      assert.deepEqual(page.corsErrors(), []);
    });

    it('falls back to http_stream when a front refuses the upgrade at /connection/websocket (403) and passes the streams and /emulation', async () => {
      const channel = 'chat:browser-front';
      const page = await openPage();
      await page.start(endpoints(front.port, ['http_stream', 'sse'], '/connection/websocket'), await clientOptions(cluster, 'browser-front', front.port));
      const conn = await page.connected();
      assert.equal(conn.transport, 'http_stream');
      assert.ok(front.refused.some((line) => line.startsWith('GET /connection/websocket ')), `the front refused the upgrade: ${JSON.stringify(front.refused)}`);
      assert.ok(front.passed.some((line) => line.startsWith('POST /connection/http_stream ')), `the front passed the stream: ${JSON.stringify(front.passed)}`);
      await page.subscribe(channel);
      await page.subscribed(channel);
      assert.ok(front.passed.some((line) => line.startsWith('POST /emulation ')), 'the subscribe went through POST /emulation');
      await apiResult(cluster, 'publish', { channel, data: { over: 'front' } });
      assert.deepEqual(await page.publish(channel, { from: 'browser' }), { ok: true });
      assert.deepEqual(await page.publications(channel, 2), [{ over: 'front' }, { from: 'browser' }]);
      const state = await page.state();
      assert.ok(state.errors.length > 0 && state.errors.every((e) => e.transport === 'websocket'), `only the WebSocket failed: ${JSON.stringify(state.errors)}`);
      assert.deepEqual(page.corsErrors(), []);
    });

    it('does not connect a page of an origin the cluster does not allow: the stream is refused and the browser blocks the answer', async () => {
      const page = await openPage(`http://localhost:${pages.port}`);
      await page.start(endpoints(cluster.handle.port, ['http_stream']), await clientOptions(cluster, 'browser-foreign'));
      const state = await eventually(() => page.state(), (s) => s.errors.length >= 2, 'two failed connect attempts');
      assert.deepEqual(state.connects, []);
      assert.ok(state.errors.every((e) => e.type === 'transport' && e.transport === 'http_stream'), JSON.stringify(state.errors));
      assert.ok(page.corsErrors().length > 0, `the browser blocked the answer for CORS: ${JSON.stringify(page.consoleErrors)}`);
    });
  });

  describe('on a one-node cluster whose node restarts no sooner than a second after it dies', () => {
    let cluster: TestCluster;

    before(async () => {
      // The only node, restarted after ≥ 1 s: publications made right after the kill are made
      // while the page cannot be connected anywhere, so they can only reach it by recovery.
      cluster = await startTestCluster({ nodes: 1, restartBackoffMinMs: 1000, client: { allowedOrigins: [pages.origin] } });
    });

    after(async () => {
      await closePages();
      await cluster?.stop();
    });

    for (const transport of ['http_stream', 'sse'] as const) {
      it(`over ${transport}, after the node holding the page's stream is SIGKILLed, the client reconnects and recovers every publication of the outage exactly once and in order`, async () => {
        const channel = `feed:browser-recover-${transport}`;
        const page = await openPage();
        await page.start(endpoints(cluster.handle.port, [transport]), await clientOptions(cluster, `recover-${transport}`));
        const first = await page.connected();
        await page.subscribe(channel);
        await page.subscribed(channel);
        const publish = async (from: number, to: number): Promise<void> => {
          for (let seq = from; seq <= to; seq++) await apiResult(cluster, 'publish', { channel, data: { seq } });
        };
        const seqs = async (n: number, timeoutMs?: number): Promise<number[]> =>
          (await page.publications(channel, n, timeoutMs)).map((d) => (d as { seq: number }).seq);

        await publish(1, 5);
        assert.deepEqual(await seqs(5), [1, 2, 3, 4, 5]);

        assert.deepEqual(page.corsErrors(), []);

        // The node holding the stream is the one the connect reply named.
        const firstNode = first.node.slice(first.node.lastIndexOf('/') + 1);
        const killedPid = killNode(cluster, firstNode);
        await publish(6, 10);
        const during = await page.state();
        assert.equal(during.connects.length, 1, 'published during the outage: the page has not reconnected yet');
        assert.equal(during.subs[channel]!.pubs.length, 5, 'nothing of the outage was delivered live');

        const back = await nodeInState(cluster, firstNode, 'healthy', { notPid: killedPid, timeoutMs: 15_000 });
        const second = await page.connected(2, 20_000);
        assert.equal(second.transport, transport);
        assert.equal(second.node, `${cluster.config.name}/${back.id}`);
        assert.notEqual(second.session, first.session, 'a new stream, a new session');
        assert.deepEqual(await page.subscribed(channel, 2, 20_000), { wasRecovering: true, recovered: true });
        // While no node runs, the gateway refuses the stream requests with a 503 that carries CORS
        // headers (and answers their preflights), so the page reads the refusal: no CORS error at all.
        assert.deepEqual(page.corsErrors(), [], 'the outage\'s refusals carried CORS headers');

        await publish(11, 12);
        const all = await eventually(() => seqs(0), (s) => s.includes(12), 'publication 12');
        assert.deepEqual(all, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'every publication once, in order');
        const state = await page.state();
        assert.equal(state.transport, transport, 'still on the same transport');
        assert.equal(state.connects.length, 2);
        assert.deepEqual(state.subs[channel]!.errors, []);
        assert.deepEqual(page.corsErrors(), [], 'no CORS error once connected again');
      });
    }
  });
});
