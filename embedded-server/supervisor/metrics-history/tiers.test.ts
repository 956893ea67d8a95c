import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseTier } from './tiers.js';

const NOW = Date.UTC(2026, 5, 1);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const pick = (spanMs: number, maxPoints = 1000) => {
  const c = chooseTier(NOW - spanMs, NOW, NOW, maxPoints);
  return { tier: c.tier.name, stepMs: c.stepMs, points: Math.ceil(spanMs / c.stepMs) };
};

describe('tier choice', () => {
  it('answers the last 10 minutes from the 1 s tier at 1 s', () => {
    assert.deepEqual(pick(10 * MIN), { tier: '1s', stepMs: 1000, points: 600 });
  });

  it('answers the last hour from the 1 s tier, 4 s per point to stay within 1,000 points', () => {
    assert.deepEqual(pick(HOUR), { tier: '1s', stepMs: 4000, points: 900 });
  });

  it('still answers "the last hour" from the 1 s tier when the request arrives a moment after it was made', () => {
    assert.equal(chooseTier(NOW - HOUR - 2000, NOW, NOW, 1000).tier.name, '1s');
  });

  it('answers the last 24 hours from the 10 s tier, the last 7 days from the 1 min tier', () => {
    assert.deepEqual(pick(DAY), { tier: '10s', stepMs: 90_000, points: 960 });
    assert.deepEqual(pick(7 * DAY), { tier: '1m', stepMs: 11 * MIN, points: 917 });
  });

  it('uses the coarsest tier for a range older than every retention', () => {
    const c = chooseTier(NOW - 90 * DAY, NOW - 89 * DAY, NOW, 1000);
    assert.equal(c.tier.name, '1m');
  });

  it('picks by where the range starts, not by its length: an old short range is coarser', () => {
    const c = chooseTier(NOW - 3 * HOUR, NOW - 3 * HOUR + 5 * MIN, NOW, 1000);
    assert.deepEqual({ tier: c.tier.name, stepMs: c.stepMs }, { tier: '10s', stepMs: 10_000 });
  });
});
