import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelActivity } from '../../../../../shared/admin/admin-model.js';
import type { Json } from '../../../../../shared/protocol/client-protocol.js';
import { TailModel } from './tail-model.js';
import { parseRowFilter } from './row-filter.js';

const all = () => true;
const pub = (offset: number, data: Json = { n: offset }): ChannelActivity =>
  ({ kind: 'pub', data, offset, at: offset, size: 8, source: 'http-api' });
const offsets = (m: TailModel, limit = 100) => m.rows(all, limit).rows.map((r) => r.offset);

describe('inspector tail model', () => {
  it('computes nothing on receive and folds every queued push in on the frame flush', () => {
    const m = new TailModel(10);
    m.receive({ items: [pub(1), pub(2)] });
    m.receive({ items: [pub(3)] });
    assert.deepEqual(offsets(m), []);
    assert.equal(m.flush(0), true);
    assert.deepEqual(offsets(m), [3, 2, 1]);
    assert.equal(m.flush(1), false, 'a frame with nothing queued changes nothing');
  });

  it('keeps only the newest publications once the ring is full, and ignores joins and leaves', () => {
    const m = new TailModel(3);
    m.receive({ items: [pub(1), pub(2), { kind: 'join', info: { user: 'u', client: 'c' }, at: 0 }, pub(3), pub(4), pub(5)] });
    m.flush(0);
    assert.deepEqual(offsets(m), [5, 4, 3]);
    assert.equal(m.received, 5);
  });

  it('freezes the rows while paused, counts what arrives, and shows it on resume', () => {
    const m = new TailModel(10);
    m.receive({ items: [pub(1)] });
    m.flush(0);
    m.pause();
    m.receive({ items: [pub(2), pub(3)], sampling: { ms: 100, publications: 40, sent: 2, limitPerSec: 100 } });
    m.flush(1);
    assert.deepEqual(offsets(m), [1]);
    assert.equal(m.newWhilePaused, 40, 'the publications the channel had, sampled out ones included');
    m.resume();
    assert.deepEqual(offsets(m), [3, 2, 1]);
    assert.equal(m.newWhilePaused, 0);
  });

  it('shows at most the limit of the rows that pass the filter, and how many matched', () => {
    const m = new TailModel(10);
    m.receive({ items: [1, 2, 3, 4, 5, 6].map((n) => pub(n)) });
    m.flush(0);
    const even = parseRowFilter('$.n >= 3');
    assert.ok(even.ok);
    const shown = m.rows(even.value, 2);
    assert.deepEqual([shown.rows.map((r) => r.offset), shown.matched, shown.kept], [[6, 5], 4, 6]);
  });

  it('reports sampling only while the watch leaves publications out, as rates per second', () => {
    const m = new TailModel(10);
    m.receive({ items: [pub(1)], sampling: { ms: 1000, publications: 1, sent: 1, limitPerSec: 100 } });
    m.flush(0);
    assert.equal(m.sampling(), null);
    m.receive({ items: [pub(2)], sampling: { ms: 1000, publications: 1000, sent: 100, limitPerSec: 100 } });
    m.flush(500);
    assert.deepEqual(m.sampling(), { perSec: 1001 / 2, shownPerSec: 101 / 2, limitPerSec: 100 });
    m.flush(10_000);
    assert.equal(m.sampling(), null, 'old reports age out');
  });
});
