import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminEvent } from '../../../shared/admin/admin-model.js';
import { addEvents, EVENTS_KEPT, initialEvents, setPaused } from './events.reducers.js';

const ev = (seq: number): AdminEvent => ({ seq, at: seq, type: 'node.unhealthy', node: 'node-1' });

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
});
