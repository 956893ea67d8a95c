import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { FrameBytes, Outbox } from './outbox.js';
import { Session } from './session.js';
import { newCounters } from './node-counters.js';

class FakeSocket {
  readonly sent: Buffer[] = [];
  bufferedAmount = 0;
  closed: number | null = null;
  send(data: Buffer): void {
    this.sent.push(data);
  }
  close(code: number): void {
    this.closed = code;
  }
}

function session(): { s: Session; ws: FakeSocket } {
  const ws = new FakeSocket();
  const s = new Session(ws as unknown as WebSocket, '127.0.0.1', 0);
  s.state = 'connected';
  return { s, ws };
}

describe('outbox', () => {
  it('sends every frame queued in one turn as one message joined by newlines', () => {
    const out = new Outbox(newCounters(), 1 << 20);
    const a = session();
    out.push(a.s, '{"id":1}');
    out.push(a.s, '{"push":{}}');
    out.flush();
    assert.deepEqual(a.ws.sent.map(String), ['{"id":1}\n{"push":{}}']);
    assert.equal(a.s.bytesOut, 20);
    assert.equal(a.s.messagesOut, 2);
  });

  it('hands subscribers with the same frames the same bytes, encoded once', () => {
    const out = new Outbox(newCounters(), 1 << 20);
    const [a, b, c] = [session(), session(), session()];
    const pub1 = '{"push":{"channel":"x","pub":{"data":"é","offset":1}}}';
    const pub2 = '{"push":{"channel":"x","pub":{"data":2,"offset":2}}}';
    for (const x of [a, b, c]) out.push(x.s, pub1);
    out.push(c.s, '{"id":7,"presence":{}}');
    for (const x of [a, b, c]) out.push(x.s, pub2);
    out.flush();
    assert.equal(a.ws.sent[0], b.ws.sent[0], 'one Buffer for both');
    assert.equal(String(a.ws.sent[0]), `${pub1}\n${pub2}`);
    assert.equal(String(c.ws.sent[0]), `${pub1}\n{"id":7,"presence":{}}\n${pub2}`, 'a session with its own reply gets its own message');
    assert.equal(a.s.bytesOut, Buffer.byteLength(`${pub1}\n${pub2}`), 'bytes counted in UTF-8');
  });

  it('does not confuse a sequence with its prefix', () => {
    const bytes = new FrameBytes();
    assert.equal(String(bytes.of(['a', 'b'])), 'a\nb');
    assert.equal(String(bytes.of(['a'])), 'a');
    assert.equal(String(bytes.of(['a', 'b', 'c'])), 'a\nb\nc');
    assert.equal(bytes.of(['a', 'b']), bytes.of(['a', 'b']));
  });

  it('sends nothing to a session closed before the flush and cuts off one that cannot keep up', () => {
    const out = new Outbox(newCounters(), 10);
    const [closed, slow] = [session(), session()];
    out.push(closed.s, 'x');
    closed.s.state = 'closed';
    slow.ws.bufferedAmount = 11;
    out.push(slow.s, 'y');
    out.flush();
    assert.deepEqual(closed.ws.sent, []);
    assert.equal(String(slow.ws.sent[0]), 'y');
    assert.equal(slow.ws.closed, 3008);
  });
});
