import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamTallies } from './stream-tracker.js';
import { StreamTracker } from './stream-tracker.js';

const fresh = (): { tallies: StreamTallies; tracker: StreamTracker } => {
  const tallies = { received: 0, lost: 0, duplicated: 0, outOfOrder: 0 };
  return { tallies, tracker: new StreamTracker(tallies) };
};

describe('the stream tracker of a bot', () => {
  it('counts deliveries in offset order as received, with nothing lost, duplicated or late', () => {
    const { tallies, tracker } = fresh();
    tracker.start(7, 'e1');
    for (const o of [8, 9, 10, 11]) assert.equal(tracker.observe(o), 'new');
    assert.deepEqual(tallies, { received: 4, lost: 0, duplicated: 0, outOfOrder: 0 });
    assert.equal(tracker.last, 11);
  });

  it('tells a duplicate apart from a late delivery that fills a gap', () => {
    const { tallies, tracker } = fresh();
    tracker.start(0, 'e1');
    tracker.observe(1);
    tracker.observe(3);
    assert.equal(tracker.pending, 1);
    assert.equal(tracker.observe(2), 'late');
    assert.equal(tracker.observe(2), 'duplicate');
    assert.equal(tracker.observe(3), 'duplicate');
    assert.deepEqual(tallies, { received: 3, lost: 0, duplicated: 2, outOfOrder: 1 });
    assert.equal(tracker.pending, 0);
  });

  it('keeps a gap pending until it is filled, and counts it as lost when the run ends unfilled', () => {
    const { tallies, tracker } = fresh();
    tracker.start(10, 'e1');
    tracker.observe(11);
    tracker.observe(15);
    assert.equal(tracker.pending, 3);
    assert.equal(tallies.lost, 0);
    tracker.close();
    assert.equal(tallies.lost, 3);
    assert.equal(tracker.pending, 0);
  });

  it('counts everything from its last offset to the new top as lost when a recovery fails in the same epoch', () => {
    const { tallies, tracker } = fresh();
    tracker.start(0, 'e1');
    tracker.observe(1);
    tracker.observe(3);
    tracker.notRecovered(120, 'e1');
    assert.equal(tallies.lost, 1 + (120 - 3));
    assert.equal(tracker.last, 120);
    assert.equal(tracker.observe(121), 'new');
  });

  it('counts only what was already missing when a failed recovery comes with a new epoch', () => {
    const { tallies, tracker } = fresh();
    tracker.start(0, 'e1');
    tracker.observe(2);
    tracker.notRecovered(5, 'e2');
    assert.equal(tallies.lost, 1);
    assert.equal(tracker.epoch, 'e2');
  });

  it('treats publications replayed by a successful recovery like live ones, so a seam duplicate is seen', () => {
    const { tallies, tracker } = fresh();
    tracker.start(4, 'e1');
    tracker.observe(5);
    tracker.recovered('e1');
    for (const o of [5, 6, 7]) tracker.observe(o);
    assert.deepEqual(tallies, { received: 3, lost: 0, duplicated: 1, outOfOrder: 0 });
  });
});
