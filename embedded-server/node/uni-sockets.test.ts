import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { encodeError, encodePublication, encodeReply, PING_FRAME } from '../../shared/protocol/client.codec.js';
import { Errors } from '../../shared/protocol/codes.js';
import type { UniHttpSettings, UniWebSocketSettings } from '../../shared/protocol/uni-transports.js';
import { uniTransportsOff } from '../../shared/protocol/uni-transports.js';
import { UniHttpSocket, UniWebSocket } from './uni-sockets.js';

/** What a socket did, in order. */
type Call = [string, ...unknown[]];

function fakeWs(): { ws: WebSocket; calls: Call[] } {
  const calls: Call[] = [];
  const ws = {
    send: (data: string) => calls.push(['send', data]),
    close: (code: number, reason: string) => calls.push(['close', code, reason]),
    terminate: () => calls.push(['terminate']),
    ping: () => calls.push(['ping']),
    bufferedAmount: 0,
    isPaused: false,
  };
  return { ws: ws as unknown as WebSocket, calls };
}

function fakeRes(): { res: ServerResponse; calls: Call[] } {
  const calls: Call[] = [];
  const res = {
    writeHead: (status: number, headers: Record<string, string>) => calls.push(['head', status, headers]),
    write: (text: string) => calls.push(['write', text]),
    end: (text?: string) => calls.push(text === undefined ? ['end'] : ['end', text]),
    destroy: () => calls.push(['destroy']),
    writableLength: 0,
    socket: null,
  };
  return { res: res as unknown as ServerResponse, calls };
}

const wsSettings = (o: Partial<UniWebSocketSettings> = {}): UniWebSocketSettings => ({ ...uniTransportsOff().websocket, enabled: true, ...o });
const httpSettings = (o: Partial<UniHttpSettings> = {}): UniHttpSettings => ({ ...uniTransportsOff().sse, enabled: true, ...o });
const connectFrame = encodeReply(1, 'connect', { client: 'c', version: 'v' });
const pub = encodePublication('feed', { data: 1, offset: 1 });

describe('UniWebSocket', () => {
  it('sends each push as its own message, and drops replies', () => {
    const { ws, calls } = fakeWs();
    new UniWebSocket(ws, wsSettings()).send([connectFrame, encodeError(3, Errors.internal), pub].join('\n'));
    assert.deepEqual(calls, [['send', '{"connect":{"client":"c","version":"v"}}'], ['send', '{"channel":"feed","pub":{"data":1,"offset":1}}']]);
  });

  it('with join_push_messages sends one write\'s pushes as one message joined by "\\n"', () => {
    const { ws, calls } = fakeWs();
    new UniWebSocket(ws, wsSettings({ joinPushMessages: true })).send([pub, PING_FRAME].join('\n'));
    assert.deepEqual(calls, [['send', '{"channel":"feed","pub":{"data":1,"offset":1}}\n{}']]);
  });

  it('closes with the disconnect push, then the close frame with the same code', () => {
    const { ws, calls } = fakeWs();
    new UniWebSocket(ws, wsSettings()).close(3503, 'force disconnect');
    assert.deepEqual(calls, [['send', '{"disconnect":{"code":3503,"reason":"force disconnect"}}'], ['close', 3503, 'force disconnect']]);
  });

  it('honours disable_disconnect_push and disable_closing_handshake, and sends no push to a slow reader', () => {
    const a = fakeWs();
    new UniWebSocket(a.ws, wsSettings({ disableDisconnectPush: true, disableClosingHandshake: true })).close(3001, 'shutdown');
    assert.deepEqual(a.calls, [['terminate']]);
    const b = fakeWs();
    new UniWebSocket(b.ws, wsSettings()).close(3008, 'slow');
    assert.deepEqual(b.calls, [['close', 3008, 'slow']]);
  });

  it('pings with a ping frame whose pong is owed', () => {
    const { ws, calls } = fakeWs();
    assert.equal(new UniWebSocket(ws, wsSettings()).framePing(), true);
    assert.deepEqual(calls, [['ping']]);
  });
});

describe('UniHttpSocket', () => {
  it('uni_sse: the 200 goes out with the first push, after an empty line each push is a data event', () => {
    const { res, calls } = fakeRes();
    const s = new UniHttpSocket(res, 'uni_sse', httpSettings(), {});
    assert.deepEqual(calls, [], 'nothing before the connect is handled');
    s.send([connectFrame, PING_FRAME].join('\n'));
    assert.equal(calls[0]![0], 'head');
    assert.equal(calls[0]![1], 200);
    assert.equal((calls[0]![2] as Record<string, string>)['content-type'], 'text/event-stream; charset=utf-8');
    assert.deepEqual(calls.slice(1), [['write', '\r\n'], ['write', 'data: {"connect":{"client":"c","version":"v"}}\n\ndata: {}\n\n']]);
  });

  it('uni_http_stream: one push per line; a close is the disconnect push and the end', () => {
    const { res, calls } = fakeRes();
    const s = new UniHttpSocket(res, 'uni_http_stream', httpSettings(), {});
    s.send(pub);
    s.close(3503, 'force disconnect');
    s.send(pub);
    assert.deepEqual(calls.slice(1), [
      ['write', '{"channel":"feed","pub":{"data":1,"offset":1}}\n'],
      ['write', '{"disconnect":{"code":3503,"reason":"force disconnect"}}\n'],
      ['end'],
    ]);
  });

  it('a connect that fails before any push: 200 with the disconnect push by default', () => {
    const { res, calls } = fakeRes();
    new UniHttpSocket(res, 'uni_http_stream', httpSettings(), {}).close(3500, 'invalid token');
    assert.equal(calls[0]![1], 200);
    assert.deepEqual(calls.slice(1), [['write', '{"disconnect":{"code":3500,"reason":"invalid token"}}\n'], ['end']]);
  });

  it('with connect_code_to_http_response: the matching transform\'s status and body (the error\'s message when empty), else 500', () => {
    const transforms = [{ code: 109, to: { statusCode: 401, body: '' } }, { code: 3500, to: { statusCode: 403, body: 'go away' } }];
    const settings = httpSettings({ connectCodeToHttpResponse: true, connectCodeToHttpTransforms: transforms });
    const expired = fakeRes();
    const a = new UniHttpSocket(expired.res, 'uni_sse', settings, {});
    a.connectError = Errors.tokenExpired;
    a.close(3005, 'connection expired');
    assert.deepEqual(expired.calls.map((c) => c.filter((x) => typeof x !== 'object')), [['head', 401], ['end', 'token expired']]);
    const invalid = fakeRes();
    new UniHttpSocket(invalid.res, 'uni_sse', settings, {}).close(3500, 'invalid token');
    assert.deepEqual(invalid.calls.map((c) => c.filter((x) => typeof x !== 'object')), [['head', 403], ['end', 'go away']]);
    const other = fakeRes();
    new UniHttpSocket(other.res, 'uni_sse', settings, {}).close(3004, 'internal server error');
    assert.deepEqual(other.calls.map((c) => c.filter((x) => typeof x !== 'object')), [['head', 500], ['end', 'Internal Server Error']]);
  });
});
