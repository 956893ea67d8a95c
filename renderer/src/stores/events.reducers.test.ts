import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminEvent } from '../../../shared/admin/admin-model.js';
import { addEarlier, addEvents, EARLIER_PAGE, earlierRequest, EVENTS_KEPT, initialEvents, reconcileLog, setPaused } from './events.reducers.js';

const ev = (seq: number): AdminEvent => ({ seq, at: seq, type: 'node.unhealthy', node: 'node-1' });
const churn = (seq: number): AdminEvent => ({ seq, at: seq, type: 'client.connected', node: 'node-1', client: `c${seq}`, user: 'u', remote: '127.0.0.1' });
const range = (from: number, to: number, make = ev): AdminEvent[] => Array.from({ length: to - from + 1 }, (_, i) => make(from + i));
/** What the supervisor's ring answers to events.since when it holds `first`..`last`. */
const ring = (first: number, last: number) => (q: { seq: number; limit: number }): AdminEvent[] =>
  range(Math.max(first, q.seq + 1), last).slice(0, q.limit);

describe('events reducers', () => {
  it('adds events in sequence order and ignores ones already seen', () => {
    let s = addEvents(initialEvents(), [ev(2), ev(1)]);
    s = addEvents(s, [ev(2), ev(3)]);
    assert.deepEqual(s.events.map((e) => e.seq), [1, 2, 3]);
    assert.equal(s.lastSeq, 3);
  });

  it('holds new events while paused and releases them on resume', () => {
    let s = setPaused(addEvents(initialEvents(), [ev(1)]), true);
    s = addEvents(s, [ev(2), ev(3)]);
    assert.deepEqual(s.events.map((e) => e.seq), [1]);
    assert.equal(s.held.length, 2);
    s = setPaused(s, false);
    assert.deepEqual(s.events.map((e) => e.seq), [1, 2, 3]);
    assert.equal(s.held.length, 0);
  });

  it('keeps a bounded log', () => {
    const many = Array.from({ length: EVENTS_KEPT + 10 }, (_, i) => ev(i + 1));
    const s = addEvents(initialEvents(), many);
    assert.equal(s.events.length, EVENTS_KEPT);
    assert.equal(s.events[0]!.seq, 11);
  });

  it('asks for the page just before the oldest event held, and puts it before, in order', () => {
    const s = addEvents(initialEvents(), range(2501, 3000));
    const ask = earlierRequest(s)!;
    assert.deepEqual(ask, { seq: 2500 - EARLIER_PAGE, limit: EARLIER_PAGE });
    const next = addEarlier(s, ring(1, 3000)(ask), ask.seq);
    assert.deepEqual([next.events[0]!.seq, next.events.at(-1)!.seq, next.events.length], [1501, 3000, 1500]);
    assert.equal(next.startReached, false);
    assert.deepEqual(earlierRequest(next), { seq: 500, limit: 1000 });
  });

  it('reaches the start at sequence 1, and then asks no more', () => {
    let s = addEvents(initialEvents(), range(301, 800));
    const ask = earlierRequest(s)!;
    assert.deepEqual(ask, { seq: 0, limit: 300 });
    s = addEarlier(s, ring(1, 800)(ask), ask.seq);
    assert.equal(s.events[0]!.seq, 1);
    assert.equal(s.startReached, true);
    assert.equal(earlierRequest(s), null);
  });

  it('reaches the start when the supervisor\'s ring no longer holds the first event asked for, and takes what it has', () => {
    const s = addEvents(initialEvents(), range(12_001, 12_500));
    const ask = earlierRequest(s)!;
    const next = addEarlier(s, ring(11_500, 12_500)(ask), ask.seq);
    assert.equal(next.events[0]!.seq, 11_500);
    assert.equal(next.startReached, true);
  });

  it('takes only what is older than its oldest from an answer that overlaps, without duplicates', () => {
    const s = addEvents(initialEvents(), range(1001, 1500));
    const next = addEarlier(s, range(900, 1200), 899);
    assert.deepEqual(next.events.map((e) => e.seq).slice(0, 3), [900, 901, 902]);
    assert.equal(new Set(next.events.map((e) => e.seq)).size, next.events.length);
    assert.equal(next.events.length, 601);
  });

  it('asks for no more than the log has room for, and nothing once it is full', () => {
    const s = addEvents(initialEvents(), range(10_001, 10_000 + EVENTS_KEPT - 200));
    assert.equal(earlierRequest(s)!.limit, 200);
    assert.equal(earlierRequest(addEvents(initialEvents(), range(10_001, 10_000 + EVENTS_KEPT))), null);
  });

  it('does not claim the start when live events took the room meanwhile and part of the page did not fit', () => {
    let s = addEvents(initialEvents(), range(1001, 1000 + EVENTS_KEPT - 100));
    const ask = earlierRequest(s)!;
    s = addEvents(s, range(1000 + EVENTS_KEPT - 99, 1000 + EVENTS_KEPT - 50));
    const next = addEarlier(s, ring(1, 10_000)(ask), ask.seq);
    assert.equal(next.events.length, EVENTS_KEPT);
    assert.equal(next.startReached, false);
  });

  it('adds the notable ones among earlier events to the Overview\'s list, and not the client churn', () => {
    const s = addEvents(initialEvents(), range(11, 20, churn));
    const next = addEarlier(s, [...range(1, 5), ...range(6, 10, churn)], 0);
    assert.deepEqual(next.notable.map((e) => e.seq), [1, 2, 3, 4, 5]);
  });

  it('keeps what it holds when the hello comes from the same event log, and notes the log of the first hello', () => {
    let s = reconcileLog(initialEvents(), { eventsStartedAt: 100, lastEventSeq: 0 });
    assert.equal(s.logStartedAt, 100);
    s = addEvents(s, range(1, 40));
    assert.equal(reconcileLog(s, { eventsStartedAt: 100, lastEventSeq: 55 }), s, 'a reconnect to the same supervisor');
  });

  it('drops what it holds for a supervisor started anew, so its events from 1 are not taken as seen, and stays paused if it was', () => {
    let s = addEvents(reconcileLog(initialEvents(), { eventsStartedAt: 100, lastEventSeq: 0 }), [...range(1, 40), churn(41)]);
    s = setPaused(s, true);
    const next = reconcileLog(s, { eventsStartedAt: 900, lastEventSeq: 3 });
    assert.deepEqual([next.events, next.held, next.notable, next.lastSeq, next.logStartedAt, next.paused], [[], [], [], 0, 900, true]);
    assert.deepEqual(addEvents(setPaused(next, false), range(1, 3)).events.map((e) => e.seq), [1, 2, 3]);
  });

  it('drops what it holds when the log has fewer events than it holds, whatever its start time says', () => {
    const s = addEvents(reconcileLog(initialEvents(), { eventsStartedAt: 100, lastEventSeq: 0 }), range(1, 40));
    assert.equal(reconcileLog(s, { eventsStartedAt: 100, lastEventSeq: 5 }).lastSeq, 0);
  });
});
