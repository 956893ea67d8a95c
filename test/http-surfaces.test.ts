/**
 * The HTTP surfaces of a real cluster, tried as a hostile client would: slow heads and bodies on
 * the client port (whose HTTP server never listens, so Node's own timeouts never run) and on the
 * admin port, foreign Host names on both (DNS rebinding), and a pile of idle connections.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { TestCluster } from './support/test-cluster.js';
import { startTestCluster } from './support/test-cluster.js';
import { rawHttp, rawStatus } from './support/raw-http.js';

const DEADLINE_MS = 1000;
/** Generous slack: a cut is asserted within twice the deadline (plus scheduling), never its exactness. */
const CUT_WITHIN_MS = 2 * DEADLINE_MS + 500;

const slowBody = (key: string | null): string => 'POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
  + `${key === null ? '' : `X-API-Key: ${key}\r\n`}Content-Length: 1000\r\n\r\n{"channel":`;

describe('client port and admin port deadlines', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({
      nodes: 1,
      http: { headTimeoutMs: DEADLINE_MS, bodyTimeoutMs: DEADLINE_MS, idleTimeoutMs: DEADLINE_MS, maxPendingConnections: 4096, adminRequestTimeoutMs: DEADLINE_MS },
    });
  });
  after(() => cluster.stop());

  it('cuts a request head that never ends on the client port within the head deadline', async () => {
    const raw = await rawHttp(cluster.handle.port, 'POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    assert.ok((await raw.closedWithin(CUT_WITHIN_MS)) !== null, 'the slow head is still open');
  });

  it('cuts a body that never ends within the body deadline: with the API key after a 408, without one after its 401', async () => {
    for (const key of [cluster.config.apiKey, null]) {
      const raw = await rawHttp(cluster.handle.port, slowBody(key));
      assert.ok((await raw.closedWithin(CUT_WITHIN_MS)) !== null, `the slow body (key: ${key !== null}) is still open`);
      const expected = key === null ? /^HTTP\/1\.1 401/ : /^HTTP\/1\.1 408 /;
      assert.match(raw.received(), expected);
    }
  });

  it('closes a kept-alive connection that sends no next request within the idle deadline', async () => {
    const raw = await rawHttp(cluster.handle.port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    assert.ok((await raw.closedWithin(CUT_WITHIN_MS)) !== null, 'the idle connection is still open');
    assert.match(raw.received(), /^HTTP\/1\.1 200 /);
  });

  it('cuts a slow request head and a slow body on the admin port within its deadline', async () => {
    const head = await rawHttp(cluster.handle.adminPort, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const body = await rawHttp(cluster.handle.adminPort, 'POST /auth-check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{');
    const [headCut, bodyCut] = await Promise.all([head.closedWithin(CUT_WITHIN_MS), body.closedWithin(CUT_WITHIN_MS)]);
    assert.ok(headCut !== null, 'the slow admin head is still open');
    assert.ok(bodyCut !== null, 'the slow admin body is still open');
  });
});

describe('Host names on both ports', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ nodes: 1, allowedHosts: ['switchboard.test'] });
  });
  after(() => cluster.stop());

  const get = (path: string, host: string): string => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;

  it('answers 421 with a clear message to a foreign Host on the client port, for HTTP and for a WebSocket upgrade', async () => {
    const status = await rawStatus(cluster.handle.port, get('/healthz', 'rebind.evil.example:8000'));
    assert.match(status, /^HTTP\/1\.1 421 /);
    const raw = await rawHttp(cluster.handle.port, get('/healthz', 'rebind.evil.example'));
    await raw.closedWithin(5000);
    assert.match(raw.received(), /does not answer for host "rebind\.evil\.example".*--allowed-hosts/);
    const upgrade = await new Promise<number>((resolve) => {
      const ws = new WebSocket(cluster.url, { headers: { host: 'rebind.evil.example' } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    assert.equal(upgrade, 421);
  });

  it('answers 127.0.0.1, localhost, [::1] and a name from allowed_hosts on the client port', async () => {
    for (const host of ['127.0.0.1:1', 'localhost', '[::1]:8000', 'switchboard.test:8000']) {
      assert.match(await rawStatus(cluster.handle.port, get('/healthz', host)), /^HTTP\/1\.1 200 /, host);
    }
    const c = await cluster.client('alice');
    c.connect();
    await new Promise((resolve) => c.once('connected', resolve));
    c.disconnect();
  });

  it('lets no pipelined request past the Host check: not its headers into the first head, not a second request on a handed-off socket', async () => {
    const upgradeHead = (host: string, connection: string): string => `GET /connection/websocket HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\n`
      + `Connection: ${connection}\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    // A head without Host (HTTP/1.0 needs none), then one with a foreign Host: the first is answered, not refused for the second's Host.
    const noHost = await rawHttp(cluster.handle.port, 'GET /healthz HTTP/1.0\r\n\r\n' + get('/healthz', 'rebind.evil.example'));
    await noHost.closedWithin(5000);
    noHost.socket.destroy();
    assert.match(noHost.received(), /^HTTP\/1\.1 200 /);
    // An upgrade the node's parser does not take (no Connection: upgrade) gets 426 and a close; the
    // pipelined upgrade with a foreign Host behind it is never answered 101.
    const smuggled = await rawHttp(cluster.handle.port, upgradeHead('127.0.0.1', 'keep-alive') + upgradeHead('rebind.evil.example', 'Upgrade'));
    assert.ok((await smuggled.closedWithin(5000)) !== null, 'the node kept the socket open after its 426');
    assert.match(smuggled.received(), /^HTTP\/1\.1 426 /);
    assert.doesNotMatch(smuggled.received(), /101 Switching Protocols/);
  });

  it('answers 421 to a foreign Host on the admin port, and serves localhost and 127.0.0.1', async () => {
    assert.match(await rawStatus(cluster.handle.adminPort, get('/auth-check', 'rebind.evil.example')), /^HTTP\/1\.1 421 /);
    for (const host of ['127.0.0.1', 'localhost:1']) {
      assert.match(await rawStatus(cluster.handle.adminPort, get('/auth-check', host)), /^HTTP\/1\.1 401 /, host);
    }
  });
});

describe('client port connection cap', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({
      nodes: 1,
      http: { headTimeoutMs: 10_000, bodyTimeoutMs: 10_000, idleTimeoutMs: 10_000, maxPendingConnections: 3, adminRequestTimeoutMs: 10_000 },
    });
  });
  after(() => cluster.stop());

  it('answers 503 to a connection beyond the cap of those waiting for a request, and takes new ones once they go', async () => {
    const idle = await Promise.all([0, 1, 2].map(() => rawHttp(cluster.handle.port, 'GET /healthz HTTP/1.1\r\n')));
    assert.match(await rawStatus(cluster.handle.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 503 /);
    for (const raw of idle) raw.socket.destroy();
    await Promise.all(idle.map((raw) => raw.closedWithin(2000)));
    await new Promise((r) => setTimeout(r, 100));
    assert.match(await rawStatus(cluster.handle.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 200 /);
  });
});
