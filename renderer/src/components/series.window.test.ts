import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fmtTime } from '../format.js';
import { emptyLead, tickLabel, timeWindow, WINDOW_MS } from './series.window.js';

const MIN = 60_000;
/** 10:07:20 of some day, in ms since the epoch (a whole number of minutes plus 20 s). */
const NOW = Date.UTC(2026, 10, 28, 10, 7, 20);

describe('the charts\' time window', () => {
  it('spans exactly the last 5 minutes, ending at the given now', () => {
    const w = timeWindow(NOW);
    assert.equal(WINDOW_MS, 5 * MIN);
    assert.equal(w.end, NOW);
    assert.equal(w.end - w.start, 5 * MIN);
  });

  it('ticks every whole minute inside the window and at now, in order', () => {
    const w = timeWindow(NOW);
    const minute = (m: number): number => Date.UTC(2026, 10, 28, 10, m, 0);
    assert.deepEqual(w.ticks, [minute(3), minute(4), minute(5), minute(6), NOW]);
    assert.ok(w.ticks.every((t) => t >= w.start && t <= w.end));
  });

  it('drops the minute tick that would crowd the now label, then brings it back as time moves on', () => {
    const justAfter = Date.UTC(2026, 10, 28, 10, 7, 5);
    assert.ok(!timeWindow(justAfter).ticks.includes(Date.UTC(2026, 10, 28, 10, 7, 0)), 'a tick 5 s before now is dropped');
    const later = Date.UTC(2026, 10, 28, 10, 7, 40);
    assert.ok(timeWindow(later).ticks.includes(Date.UTC(2026, 10, 28, 10, 7, 0)), 'a tick 40 s before now is kept');
  });

  it('keeps a tick that falls exactly on the window\'s start', () => {
    const end = Date.UTC(2026, 10, 28, 10, 7, 0);
    assert.equal(timeWindow(end).ticks[0], end - 5 * MIN);
  });

  it('labels the end "now" and every other tick with its time of day', () => {
    const w = timeWindow(NOW);
    assert.equal(tickLabel(NOW, w), 'now');
    assert.equal(tickLabel(w.ticks[0]!, w), fmtTime(w.ticks[0]!));
    assert.match(tickLabel(w.ticks[0]!, w), /^\d\d:\d\d:\d\d$/);
  });
});

describe('the empty start of a chart', () => {
  const w = timeWindow(NOW);

  it('covers the window up to the first sample when the samples are younger than the window', () => {
    assert.deepEqual(emptyLead(NOW - 20_000, w, 1000), { from: w.start, to: NOW - 20_000 });
  });

  it('is nothing once the samples reach back to the start of the window', () => {
    assert.equal(emptyLead(w.start + 1000, w, 1000), null);
    assert.equal(emptyLead(w.start - 30_000, w, 1000), null);
  });

  it('is the whole window when there is no sample yet', () => {
    assert.deepEqual(emptyLead(undefined, w, 1000), { from: w.start, to: w.end });
  });
});
