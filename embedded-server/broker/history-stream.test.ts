import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HistoryStream, newEpoch } from './history-stream.js';
import type { HistoryQuery } from './broker.js';
import type { HistoryResult } from '../../shared/protocol/client-protocol.js';

function clock(start = 1_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

function streamWith(count: number, size = 100, ttlMs = 60_000, now?: () => number): HistoryStream {
  const stream = new HistoryStream({ size, ttlMs, metaTtlMs: 3_600_000, now });
  for (let i = 1; i <= count; i++) stream.append({ data: { n: i } });
  return stream;
}

function read(stream: HistoryStream, query: Partial<HistoryQuery>): HistoryResult {
  const result = stream.read({ limit: -1, reverse: false, ...query });
  assert.ok(result.ok, 'expected a history result');
  return result.value;
}

const offsets = (result: HistoryResult): (number | undefined)[] => result.publications.map((p) => p.offset);

describe('history stream', () => {
  it('starts at offset 0 with an 8-letter epoch', () => {
    const stream = streamWith(0);
    assert.deepEqual(stream.position(), { offset: 0, epoch: stream.epoch });
    assert.match(stream.epoch, /^[a-zA-Z]{8}$/);
    assert.notEqual(newEpoch(), newEpoch());
  });

  it('numbers publications from 1 upwards', () => {
    const stream = new HistoryStream({ size: 10, ttlMs: 60_000, metaTtlMs: 0 });
    assert.equal(stream.append({ data: 'a' }).offset, 1);
    assert.equal(stream.append({ data: 'b' }).offset, 2);
    assert.equal(stream.append({ data: 'c' }).offset, 3);
    assert.deepEqual(offsets(read(stream, {})), [1, 2, 3]);
    assert.equal(read(stream, {}).publications[1]?.data, 'b');
  });

  it('keeps only the newest items once the size bound is reached', () => {
    const stream = streamWith(25, 10);
    const result = read(stream, {});
    assert.deepEqual(offsets(result), [16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    assert.equal(result.offset, 25);
    assert.equal(stream.length, 10);
  });

  it('trims the oldest items at once when the size shrinks', () => {
    const stream = streamWith(8, 10);
    stream.configure({ size: 3, ttlMs: 60_000, metaTtlMs: 0 });
    assert.deepEqual(offsets(read(stream, {})), [6, 7, 8]);
    stream.configure({ size: 5, ttlMs: 60_000, metaTtlMs: 0 });
    for (let i = 0; i < 4; i++) stream.append({ data: i });
    assert.deepEqual(offsets(read(stream, {})), [8, 9, 10, 11, 12]);
  });

  it('drops items older than the TTL but keeps top and epoch', () => {
    const c = clock();
    const stream = streamWith(3, 10, 1_000, c.now);
    c.advance(600);
    stream.append({ data: 'late' });
    c.advance(500);
    const result = read(stream, {});
    assert.deepEqual(offsets(result), [4]);
    assert.equal(result.offset, 4);
    c.advance(500);
    const empty = read(stream, {});
    assert.deepEqual(empty.publications, []);
    assert.deepEqual({ offset: empty.offset, epoch: empty.epoch }, { offset: 4, epoch: stream.epoch });
    assert.equal(stream.append({ data: 'next' }).offset, 5);
  });

  it('matches a plain-array model across wrapping, expiry and resizing', () => {
    const c = clock();
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    let limits = { size: 4, ttlMs: 1_000, metaTtlMs: 0 };
    const stream = new HistoryStream({ ...limits, now: c.now });
    let model: { offset: number; at: number }[] = [];
    for (let step = 0; step < 2_000; step++) {
      if (rand(50) === 0) {
        limits = { ...limits, size: 1 + rand(8) };
        stream.configure(limits);
        model = model.slice(-limits.size);
      }
      const offset = stream.append({ data: step }).offset ?? 0;
      model = [...model, { offset, at: c.now() }].filter((m) => c.now() - m.at < limits.ttlMs).slice(-limits.size);
      c.advance(rand(400));
      model = model.filter((m) => c.now() - m.at < limits.ttlMs);
      assert.deepEqual(offsets(read(stream, {})), model.map((m) => m.offset), `step ${step}`);
    }
  });

  it('answers only the position for limit 0', () => {
    const stream = streamWith(5);
    assert.deepEqual(read(stream, { limit: 0 }), { publications: [], epoch: stream.epoch, offset: 5 });
  });

  it('returns up to N items from the oldest, or from the newest when reversed', () => {
    const stream = streamWith(10);
    assert.deepEqual(offsets(read(stream, { limit: 3 })), [1, 2, 3]);
    assert.deepEqual(offsets(read(stream, { limit: 3, reverse: true })), [10, 9, 8]);
    assert.deepEqual(offsets(read(stream, { limit: 50 })).length, 10);
  });

  it('replays every missed publication in order when the epoch matches', () => {
    const stream = streamWith(10);
    const result = read(stream, { since: { offset: 6, epoch: stream.epoch } });
    assert.deepEqual(offsets(result), [7, 8, 9, 10]);
    assert.equal(result.offset, 10);
    assert.deepEqual(offsets(read(stream, { since: { offset: 6, epoch: stream.epoch }, limit: 2 })), [7, 8]);
  });

  it('returns nothing when since is already the top', () => {
    const stream = streamWith(4);
    assert.deepEqual(read(stream, { since: { offset: 4, epoch: stream.epoch } }).publications, []);
  });

  it('skips the epoch check when since carries no epoch', () => {
    const stream = streamWith(4);
    assert.deepEqual(offsets(read(stream, { since: { offset: 2, epoch: '' } })), [3, 4]);
  });

  it('starts at the oldest available item when since left the window', () => {
    const stream = streamWith(20, 5);
    assert.deepEqual(offsets(read(stream, { since: { offset: 3, epoch: stream.epoch } })), [16, 17, 18, 19, 20]);
  });

  it('reads older items newest first with since and reverse', () => {
    const stream = streamWith(10);
    assert.deepEqual(offsets(read(stream, { since: { offset: 5, epoch: '' }, reverse: true })), [4, 3, 2, 1]);
    assert.deepEqual(offsets(read(stream, { since: { offset: 5, epoch: '' }, reverse: true, limit: 2 })), [4, 3]);
    assert.deepEqual(offsets(read(stream, { since: { offset: 1, epoch: '' }, reverse: true })), []);
    assert.deepEqual(offsets(read(stream, { since: { offset: 99, epoch: '' }, reverse: true, limit: 2 })), [10, 9]);
  });

  it('answers 112 when since names another epoch', () => {
    const stream = streamWith(3);
    const result = stream.read({ limit: -1, reverse: false, since: { offset: 1, epoch: 'otherEpc' } });
    assert.deepEqual(result, { ok: false, error: { code: 112, message: 'unrecoverable position' } });
    const positionOnly = stream.read({ limit: 0, reverse: false, since: { offset: 1, epoch: 'otherEpc' } });
    assert.equal(positionOnly.ok ? 0 : positionOnly.error.code, 112);
  });

  it('answers 107 for reverse reading since offset 0', () => {
    const stream = streamWith(3);
    const result = stream.read({ limit: -1, reverse: true, since: { offset: 0, epoch: stream.epoch } });
    assert.deepEqual(result, { ok: false, error: { code: 107, message: 'bad request' } });
  });

  it('clears items but keeps top and epoch', () => {
    const stream = streamWith(7);
    const epoch = stream.epoch;
    stream.clear();
    assert.deepEqual(read(stream, {}), { publications: [], epoch, offset: 7 });
    assert.equal(stream.append({ data: 'after' }).offset, 8);
    assert.deepEqual(offsets(read(stream, {})), [8]);
  });

  it('is idle only when empty and unused for the meta TTL', () => {
    const c = clock();
    const stream = new HistoryStream({ size: 5, ttlMs: 1_000, metaTtlMs: 10_000, now: c.now });
    stream.append({ data: 1 });
    c.advance(5_000);
    assert.equal(stream.isIdle(), false);
    c.advance(5_000);
    assert.equal(stream.isIdle(), true);
    stream.position();
    assert.equal(stream.isIdle(), false);
  });

  it('is never idle with a meta TTL of 0', () => {
    const c = clock();
    const stream = new HistoryStream({ size: 5, ttlMs: 1_000, metaTtlMs: 0, now: c.now });
    c.advance(1e9);
    assert.equal(stream.isIdle(), false);
  });
});
