import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { LocalHub } from './local-hub.js';
import type { HubSink } from './local-hub.js';
import { Session, Sub } from './session.js';
import type { Delivery } from '../../shared/ipc/node-ipc.js';
import { encodePublication } from '../../shared/protocol/client.codec.js';
import type { TagsFilter } from '../../shared/protocol/tags-filter.js';
import { parseTagsFilter } from '../../shared/protocol/tags-filter.js';

const CH = 'market:live';

class RecordingSink implements HubSink {
  readonly writes: { session: Session; frame: string }[] = [];
  readonly losses: string[][] = [];

  write(session: Session, frame: string): void {
    this.writes.push({ session, frame });
  }

  lost(_channel: string, sessions: Session[]): void {
    this.losses.push(sessions.map((s) => s.id));
  }

  offsetsOf(session: Session): number[] {
    return this.writes.filter((w) => w.session === session).map((w) => (JSON.parse(w.frame) as { push: { pub: { offset: number } } }).push.pub.offset);
  }
}

const idleSocket: Pick<WebSocket, 'send' | 'close'> = { send: () => undefined, close: () => undefined };

function filterOf(tf: unknown): TagsFilter {
  const parsed = parseTagsFilter(tf);
  assert.ok(parsed.ok && parsed.value !== null);
  return parsed.value;
}

/** A positioned subscriber of CH, with a tags filter when given (kept where the subscribe handler keeps it). */
function session(id: string, filter?: TagsFilter): Session {
  const s = new Session(idleSocket as WebSocket, '127.0.0.1', 0);
  s.id = id;
  s.setSub(CH, Sub.positioned);
  if (filter) s.subExtras = new Map([[CH, { expiresAt: 0, tagsFilter: filter }]]);
  return s;
}

function pub(offset: number, tags?: Record<string, string>): Delivery {
  const frame = encodePublication(CH, { data: { n: offset }, offset, ...(tags ? { tags } : {}) });
  return { kind: 'pub', channel: CH, frame, offset, epoch: 'e', ...(tags ? { tags } : {}) };
}

const AAPL = filterOf({ key: 'ticker', cmp: 'eq', val: 'AAPL' });
const aapl = { ticker: 'AAPL' };
const msft = { ticker: 'MSFT' };

describe('local hub: tags filters', () => {
  it('writes to a filtered subscriber only the publications its filter passes, and every one to the others', () => {
    const sink = new RecordingSink();
    const hub = new LocalHub(sink);
    const filtered = session('f', AAPL);
    const plain = session('p');
    for (const s of [filtered, plain]) {
      hub.begin(CH, s);
      hub.activate(CH, s, { offset: 0, epoch: 'e' });
    }
    for (const [i, tags] of [aapl, msft, undefined, aapl].entries()) hub.deliver(pub(i + 1, tags));
    assert.deepEqual(sink.offsetsOf(filtered), [1, 4]);
    assert.deepEqual(sink.offsetsOf(plain), [1, 2, 3, 4]);
  });

  it('counts filtered-out publications as received: no loss is reported for the offsets between', () => {
    const sink = new RecordingSink();
    const hub = new LocalHub(sink);
    const filtered = session('f', AAPL);
    hub.begin(CH, filtered);
    hub.activate(CH, filtered, { offset: 0, epoch: 'e' });
    for (let i = 1; i <= 5; i++) hub.deliver(pub(i, i === 5 ? aapl : msft));
    assert.deepEqual(sink.losses, []);
    assert.deepEqual(sink.offsetsOf(filtered), [5]);
    hub.deliver(pub(7, aapl));
    assert.deepEqual(sink.losses, [['f']], 'a real gap is still a loss');
  });

  it('applies the filter to what arrives during set-up, and still finds a gap there', () => {
    const sink = new RecordingSink();
    const hub = new LocalHub(sink);
    const filtered = session('f', AAPL);
    hub.begin(CH, filtered);
    for (let i = 1; i <= 4; i++) hub.deliver(pub(i, i % 2 === 0 ? aapl : msft));
    hub.activate(CH, filtered, { offset: 1, epoch: 'e' });
    assert.deepEqual(sink.offsetsOf(filtered), [2, 4]);
    assert.equal(sink.losses.length, 0);

    const late = session('l', AAPL);
    hub.begin(CH, late);
    hub.deliver(pub(5, msft));
    hub.deliver(pub(7, aapl));
    hub.activate(CH, late, { offset: 4, epoch: 'e' });
    assert.deepEqual(sink.offsetsOf(late), []);
    assert.ok(sink.losses.some((ids) => ids.includes('l')), 'the gap before 7 loses the late subscriber');
  });

  it('forgets a filter with its subscription, so a later subscriber of the session gets everything', () => {
    const sink = new RecordingSink();
    const hub = new LocalHub(sink);
    const s = session('s', AAPL);
    hub.begin(CH, s);
    hub.activate(CH, s, { offset: 0, epoch: 'e' });
    hub.remove(CH, s);
    s.subExtras = undefined;
    hub.begin(CH, s);
    hub.activate(CH, s, { offset: 0, epoch: 'e' });
    hub.deliver(pub(1, msft));
    assert.deepEqual(sink.offsetsOf(s), [1]);
  });
});
