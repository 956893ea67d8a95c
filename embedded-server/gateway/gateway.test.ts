import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createAdmission } from './admission.js';
import { createGateway, parseHead } from './gateway.js';
import { WEBSOCKET_PATH } from '../../shared/protocol/endpoints.js';
import type { RequestHead } from './gateway.js';

/** A request head as a client writes it: lines joined by CRLF, ending with an empty line. */
function head(...lines: string[]): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

function parsed(buffer: Buffer): RequestHead {
  const request = parseHead(buffer);
  assert.ok(request, 'expected a request head');
  return request;
}

describe('gateway: parseHead', () => {
  it('reads method, path, query and the WebSocket upgrade of a client handshake', () => {
    const request = parsed(head(
      'GET /connection/websocket?cf_ws_frame_ping_pong=true&token=a%20b HTTP/1.1',
      'Host: 127.0.0.1:8000',
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ));
    assert.equal(request.method, 'GET');
    assert.equal(request.path, WEBSOCKET_PATH);
    assert.equal(request.query.get('cf_ws_frame_ping_pong'), 'true');
    assert.equal(request.query.get('token'), 'a b');
    assert.equal(request.upgrade, true);
  });

  it('matches the Upgrade header name and value whatever their case and spacing', () => {
    assert.equal(parsed(head('GET /connection/websocket HTTP/1.1', 'uPgRaDe:   WebSocket ')).upgrade, true);
    assert.equal(parsed(head('GET /connection/websocket HTTP/1.1', 'Host: x', 'UPGRADE:\twebsocket')).upgrade, true);
  });

  it('sees no upgrade without the header, for another protocol, or in a header that only ends in "upgrade"', () => {
    assert.equal(parsed(head('GET /connection/websocket HTTP/1.1', 'Host: x')).upgrade, false);
    assert.equal(parsed(head('GET /connection/websocket HTTP/1.1', 'Upgrade: h2c')).upgrade, false);
    assert.equal(parsed(head('GET /connection/websocket HTTP/1.1', 'X-Upgrade: websocket')).upgrade, false);
    assert.equal(parsed(head('GET /connection/websocket HTTP/1.1', 'Upgrade: websocket2')).upgrade, false);
  });

  it('reads a plain HTTP request for the supervisor', () => {
    const request = parsed(head('POST /api/publish HTTP/1.1', 'Host: x', 'Content-Length: 2'));
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/api/publish');
    assert.equal([...request.query].length, 0);
    assert.equal(request.upgrade, false);
  });

  it('takes the path of an absolute-form target', () => {
    const request = parsed(head('GET http://example.com:8000/connection/websocket?x=1 HTTP/1.1', 'Upgrade: websocket'));
    assert.equal(request.path, WEBSOCKET_PATH);
    assert.equal(request.query.get('x'), '1');
  });

  it('reads Host and Upgrade from the head only, not from a pipelined request or frame after it', () => {
    const pipelined = Buffer.concat([head('GET /connection/websocket HTTP/1.1', 'Connection: Upgrade'),
      head('GET /connection/websocket HTTP/1.1', 'Host: evil.example', 'Upgrade: websocket')]);
    const request = parsed(pipelined);
    assert.equal(request.upgrade, false);
    assert.equal(request.host, undefined);
    const withFrame = Buffer.concat([head('GET /connection/websocket HTTP/1.1', 'Host: 127.0.0.1', 'Upgrade: websocket'), Buffer.from('\r\nHost: evil\r\n')]);
    assert.equal(parsed(withFrame).host, '127.0.0.1');
  });

  it('answers null for garbage', () => {
    assert.equal(parseHead(head('')), null);
    assert.equal(parseHead(head('NOT-HTTP')), null);
    assert.equal(parseHead(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x0d, 0x0a, 0x0d, 0x0a])), null);
    assert.equal(parseHead(head('GET http://[ HTTP/1.1', 'Upgrade: websocket')), null);
  });
});

describe('gateway: connections waiting for a request, per remote address', () => {
  const PER_IP = 3;
  let gateway: Server;
  let port: number;
  const opened: Socket[] = [];
  /** Sockets the gateway passed to its HTTP route (each with a complete head). */
  const routed: Socket[] = [];

  before(async () => {
    gateway = createGateway({
      websocket: () => 'no node here',
      http: (socket) => { routed.push(socket); },
    }, {
      allowedHosts: [], headTimeoutMs: 60_000, headMaxBytes: 16_384, admission: createAdmission({ connectionRateLimit: 0, connectionRateLimitPerIp: 0 }),
      maxPendingConnections: 100, maxPendingConnectionsPerIp: PER_IP, allowedOrigins: ['http://app.test'],
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    port = (gateway.address() as AddressInfo).port;
  });
  after(async () => {
    for (const s of [...opened, ...routed]) s.destroy();
    await new Promise((resolve) => gateway.close(resolve));
  });

  /** Connects from `from`, writes `text` (maybe nothing); answers the socket and what it received until close (or 2 s). */
  async function open(from: string, text = ''): Promise<{ socket: Socket; answer: Promise<string> }> {
    const socket = connect({ port, host: '127.0.0.1', localAddress: from });
    opened.push(socket);
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    if (text) socket.write(text);
    let data = '';
    socket.on('data', (chunk: Buffer) => { data += chunk.toString('latin1'); });
    const answer = new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve(data), 2000);
      socket.once('close', () => { clearTimeout(timer); resolve(data); });
    });
    return { socket, answer };
  }

  it('gives a refused emulation stream from an allowed page CORS headers, and answers its preflight itself, so the page can read the 503', async () => {
    const post = await open('127.0.0.3', 'POST /connection/http_stream HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://app.test\r\nContent-Length: 0\r\n\r\n');
    const refused = await post.answer;
    assert.match(refused, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
    assert.match(refused, /\r\naccess-control-allow-origin: http:\/\/app\.test\r\n/);
    assert.match(refused, /\r\nRetry-After: 1\r\n/);
    const preflight = await open('127.0.0.3', 'OPTIONS /connection/sse HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://app.test\r\nAccess-Control-Request-Headers: content-type\r\n\r\n');
    const answered = await preflight.answer;
    assert.match(answered, /^HTTP\/1\.1 204 No Content\r\n/);
    assert.match(answered, /\r\naccess-control-allow-methods: GET, POST, OPTIONS\r\n/);
    assert.match(answered, /\r\naccess-control-allow-headers: content-type\r\n/);
    const foreign = await open('127.0.0.3', 'POST /connection/http_stream HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.test\r\nContent-Length: 0\r\n\r\n');
    const noCors = await foreign.answer;
    assert.match(noCors, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
    assert.doesNotMatch(noCors, /access-control/i, 'an origin that is not allowed gets no CORS headers');
  });

  it('answers 503 with Retry-After to one more connection from an address at its share, naming the bound, while another address gets in', async () => {
    const idle = await Promise.all(Array.from({ length: PER_IP }, () => open('127.0.0.1')));
    const refused = await open('127.0.0.1', 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const answer = await refused.answer;
    assert.match(answer, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
    assert.match(answer, /\r\nRetry-After: 1\r\n/);
    assert.match(answer, /too many connections from 127\.0\.0\.1 waiting for a request \(cluster\.http\.max_pending_connections_per_ip: 3\)/);

    const before = routed.length;
    await open('127.0.0.2', 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    for (let i = 0; i < 100 && routed.length === before; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(routed.length, before + 1, 'the connection from 127.0.0.2 reached the HTTP route');
    assert.equal(routed.at(-1)!.remoteAddress, '127.0.0.2');

    // One of the first address's sockets goes: its share has room again.
    idle[0]!.socket.destroy();
    let admitted = false;
    for (let i = 0; i < 50 && !admitted; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const again = await open('127.0.0.1', 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      const got = routed.length;
      for (let j = 0; j < 25 && routed.length === got; j++) await new Promise((r) => setTimeout(r, 20));
      admitted = routed.length > got;
      if (!admitted) again.socket.destroy();
    }
    assert.ok(admitted, '127.0.0.1 gets in again once one of its waiting connections closed');
  });
});
