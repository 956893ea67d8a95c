import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseHead, WEBSOCKET_PATH } from './gateway.js';
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
