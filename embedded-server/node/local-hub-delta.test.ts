import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { LocalHub } from './local-hub.js';
import type { HubSink } from './local-hub.js';
import { Session, Sub } from './session.js';
import type { Delivery } from '../../shared/ipc/node-ipc.js';
import { encodePublication } from '../../shared/protocol/client.codec.js';

const CH = 'doc:1';

interface Sent {
  offset: number;
  delta: boolean;
  data: unknown;
}

class RecordingSink implements HubSink {
  readonly writes: { session: Session; frame: string }[] = [];

  write(session: Session, frame: string): void {
    this.writes.push({ session, frame });
  }

  lost(): void {}

  sentTo(session: Session): Sent[] {
    return this.writes.filter((w) => w.session === session).map((w) => {
      const { pub } = (JSON.parse(w.frame) as { push: { pub: { offset: number; delta?: boolean; data: unknown } } }).push;
      return { offset: pub.offset, delta: pub.delta === true, data: pub.data };
    });
  }
}

const idleSocket: Pick<WebSocket, 'send' | 'close'> = { send: () => undefined, close: () => undefined };

function session(id: string, delta: boolean): Session {
  const s = new Session(idleSocket as WebSocket, '127.0.0.1', 0);
  s.id = id;
  s.setSub(CH, Sub.positioned | (delta ? Sub.delta : 0));
  return s;
}

const big = (n: number): unknown => ({ n, rows: Array.from({ length: 50 }, (_, i) => `row ${i}`) });

function pub(offset: number, delta = true): Delivery {
  return { kind: 'pub', channel: CH, frame: encodePublication(CH, { data: big(offset) as never, offset }), offset, epoch: 'e', ...(delta ? { delta: true } : {}) };
}

function subscribe(hub: LocalHub, s: Session, at: number): void {
  hub.begin(CH, s);
  hub.activate(CH, s, { offset: at, epoch: 'e' });
}

describe('local hub: fossil deltas', () => {
  it('sends a delta subscriber its first publication in full as JSON text, then deltas, and a plain one the frames as they are', () => {
    const sink = new RecordingSink();
    const hub = new LocalHub(sink);
    const d = session('d', true);
    const p = session('p', false);
    subscribe(hub, d, 0);
    subscribe(hub, p, 0);
    for (let i = 1; i <= 3; i++) hub.deliver(pub(i));
    assert.deepEqual(sink.sentTo(d).map((x) => [x.offset, x.delta, typeof x.data]), [[1, false, 'string'], [2, true, 'string'], [3, true, 'string']]);
    assert.deepEqual(JSON.parse(sink.sentTo(d)[0]!.data as string), big(1));
    assert.deepEqual(sink.sentTo(p).map((x) => [x.offset, x.delta, typeof x.data]), [[1, false, 'object'], [2, false, 'object'], [3, false, 'object']]);
  });

  it('sends in full a publication that does not ask for a delta, and one after a gap in the stream', () => {
    const sink = new RecordingSink();
    const hub = new LocalHub(sink);
    const d = session('d', true);
    subscribe(hub, d, 0);
    hub.deliver(pub(1));
    hub.deliver(pub(2, false));
    hub.deliver(pub(3));
    hub.deliver(pub(5));
    assert.deepEqual(sink.sentTo(d).map((x) => [x.offset, x.delta]), [[1, false], [2, false], [3, true], [5, false]]);
  });

  it('sends a subscriber that joins mid-stream its first publication in full, while the others go on with deltas', () => {
    const sink = new RecordingSink();
    const hub = new LocalHub(sink);
    const early = session('early', true);
    subscribe(hub, early, 0);
    hub.deliver(pub(1));
    hub.deliver(pub(2));
    const late = session('late', true);
    subscribe(hub, late, 2);
    hub.deliver(pub(3));
    assert.deepEqual(sink.sentTo(early).map((x) => x.delta), [false, true, true]);
    assert.deepEqual(sink.sentTo(late).map((x) => [x.offset, x.delta]), [[3, false]]);
  });

  it('writes in full what arrived while a delta subscription was being set up, and deltas after it', () => {
    const sink = new RecordingSink();
    const hub = new LocalHub(sink);
    const d = session('d', true);
    hub.begin(CH, d);
    hub.deliver(pub(1));
    hub.deliver(pub(2));
    hub.activate(CH, d, { offset: 0, epoch: 'e' });
    hub.deliver(pub(3));
    assert.deepEqual(sink.sentTo(d).map((x) => [x.offset, x.delta]), [[1, false], [2, false], [3, true]]);
  });

  it('bases a subscriber on the last publication its reply carried', () => {
    const sink = new RecordingSink();
    const hub = new LocalHub(sink);
    const other = session('other', true);
    subscribe(hub, other, 0);
    hub.deliver(pub(1));
    const d = session('d', true);
    hub.begin(CH, d);
    hub.setDeltaBase(CH, d, 1, 'e');
    hub.activate(CH, d, { offset: 1, epoch: 'e' });
    hub.deliver(pub(2));
    assert.deepEqual(sink.sentTo(d).map((x) => [x.offset, x.delta]), [[2, true]]);
  });
});
