/**
 * Bounds on HTTP heads and bodies (issue 11 §3): a slowloris head sent one byte at a time is cut
 * within the head deadline on the client port (WebSocket upgrade and HTTP API alike) and on the
 * admin port; a head past `cluster.http.head_max_size` gets 431; an API body past
 * `http_api.max_body_size` gets 413 — each with a message that names the bound. One address holding
 * idle sockets up to `cluster.http.max_pending_connections_per_ip` gets 503 for one more, while
 * another address still gets in.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { rawHttp, rawStatus } from './support/raw-http.js';
import type { RawHttp } from './support/raw-http.js';
import { upgrade } from './support/upgrade-attempt.js';
import { startTestCluster } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const HEAD_MS = 1500;
/** Far past the deadline and the sweep: a cut later than this is no cut. */
const CUT_WITHIN_MS = HEAD_MS + 3000;

/**
 * Writes `text` one byte every `everyMs` until the server closes the socket (or `giveUpMs` pass):
 * answers when it closed and how many bytes had been written.
 */
function dribble(port: number, text: string, everyMs: number, giveUpMs: number): Promise<{ closedAfterMs: number | null; sent: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const opened = Date.now();
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < text.length && !socket.destroyed) socket.write(text[sent++]!);
      if (Date.now() - opened > giveUpMs) finish(null);
    }, everyMs);
    const finish = (closedAfterMs: number | null): void => {
      clearInterval(timer);
      socket.destroy();
      resolve({ closedAfterMs, sent });
    };
    socket.on('error', () => undefined);
    socket.on('close', () => finish(Date.now() - opened));
  });
}

const upgradeHead = 'GET /connection/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
  + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
const apiHead = 'POST /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}';

describe('HTTP head and body bounds', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({
      nodes: 1,
      http: { headTimeoutMs: HEAD_MS, headMaxBytes: 4096, apiMaxBodyBytes: 2048, adminRequestTimeoutMs: HEAD_MS },
    });
  });
  after(() => cluster.stop());

  const slowHeads: [string, () => number, string][] = [
    ['a WebSocket upgrade head on the client port', () => cluster.handle.port, upgradeHead],
    ['an HTTP API request head on the client port', () => cluster.handle.port, apiHead],
    ['a request head on the admin port', () => Number(new URL(cluster.handle.adminUrl).port), 'GET /auth-check HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'],
  ];
  for (const [what, port, head] of slowHeads) {
    it(`cuts ${what} sent one byte every 100 ms within the head deadline, before it is complete`, async (t) => {
      const { closedAfterMs, sent } = await dribble(port(), head, 100, CUT_WITHIN_MS);
      t.diagnostic(`closed after ${closedAfterMs} ms, ${sent} of ${head.length} bytes sent`);
      assert.notEqual(closedAfterMs, null, `still open after ${CUT_WITHIN_MS} ms`);
      assert.ok(closedAfterMs! >= HEAD_MS - 100, `closed after ${closedAfterMs} ms, before the deadline`);
      assert.ok(sent < head.length, 'the whole head went through');
    });
  }

  it('answers a head larger than cluster.http.head_max_size with 431 naming the bound', async () => {
    const raw = await rawHttp(cluster.handle.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(5000)}\r\n\r\n`);
    await raw.closedWithin(5000);
    raw.socket.destroy();
    assert.match(raw.received(), /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    assert.match(raw.received(), /request head larger than 4096 bytes/);
  });

  it('answers an API body larger than http_api.max_body_size with 413 naming the bound, and serves the next request', async () => {
    const big = await cluster.api('publish', { channel: 'chat:x', data: { pad: 'b'.repeat(3000) } });
    assert.equal(big.status, 413);
    assert.match(big.text, /^request body too large: more than 2048 bytes \(http_api\.max_body_size\)/);
    const small = await cluster.api('publish', { channel: 'chat:x', data: { pad: 'b'.repeat(100) } });
    assert.equal(small.status, 200, small.text);
  });
});

describe('connections waiting for a request, per client address', () => {
  const PER_IP = 5;
  let cluster: TestCluster;
  const held: RawHttp[] = [];
  before(async () => {
    cluster = await startTestCluster({
      nodes: 1,
      http: { headTimeoutMs: 30_000, maxPendingConnections: 50, maxPendingConnectionsPerIp: PER_IP },
    });
  });
  after(async () => {
    for (const raw of held) raw.socket.destroy();
    await cluster.stop();
  });

  it('answers 503 + Retry-After to one more socket from an address holding its share of idle sockets, while another address gets its API answer and its WebSocket', async (t) => {
    // A slowloris from 127.0.0.1: connections that never finish their head (well within the 30 s deadline).
    for (let i = 0; i < PER_IP; i++) held.push(await rawHttp(cluster.handle.port, 'GET /healthz HTTP/1.1\r\nHost: 1', '127.0.0.1'));
    const refused = await rawHttp(cluster.handle.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', '127.0.0.1');
    await refused.closedWithin(5000);
    refused.socket.destroy();
    assert.match(refused.received(), /^HTTP\/1\.1 503 Service Unavailable\r\n/);
    assert.match(refused.received(), /\r\nRetry-After: 1\r\n/);
    assert.match(refused.received(), /cluster\.http\.max_pending_connections_per_ip: 5/);
    const upgradeRefused = await upgrade(cluster.url, { localAddress: '127.0.0.1' });
    assert.ok(!upgradeRefused.ok && upgradeRefused.status === 503, `a WebSocket from 127.0.0.1 is refused too: ${JSON.stringify(upgradeRefused.ok ? 'open' : upgradeRefused)}`);

    // Another client, 127.0.0.2, is not locked out by the first one's idle sockets.
    assert.match(await rawStatus(cluster.handle.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', '127.0.0.2'), /^HTTP\/1\.1 200 /);
    const other = await upgrade(cluster.url, { localAddress: '127.0.0.2', token: await cluster.token('other') });
    assert.ok(other.ok, `the WebSocket from 127.0.0.2 opened: ${JSON.stringify(other.ok ? '' : other)}`);
    assert.ok(other.reply && 'connect' in other.reply, `its connect was answered: ${JSON.stringify(other.reply ?? other.close)}`);
    other.ws.close();
    t.diagnostic(`127.0.0.1 held ${PER_IP} idle sockets: its next socket got 503, 127.0.0.2 got 200 and a connected WebSocket`);
  });
});
