import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leastSquares, slopeFromBaseline, upperBound } from './line-fit.js';

describe('line fits', () => {
  it('recovers slope and intercept of exact points, with no spread and r² of 1', () => {
    const fit = leastSquares([0, 10, 20, 30, 40].map((x) => ({ x, y: 5 + 2 * x })), 3, 10)!;
    assert.equal(fit.slope, 2);
    assert.equal(fit.intercept, 5);
    assert.equal(fit.spread, 0);
    assert.equal(fit.r2, 1);
    assert.deepEqual([fit.xMin, fit.xMax, fit.samples, fit.method], [0, 40, 5, 'fit']);
  });

  it('reports the spread of noisy points around the line', () => {
    const fit = leastSquares([{ x: 0, y: 1 }, { x: 0, y: -1 }, { x: 10, y: 11 }, { x: 10, y: 9 }], 4, 5)!;
    assert.equal(fit.slope, 1);
    assert.equal(fit.intercept, 0);
    assert.equal(fit.spread, 1);
  });

  it('refuses to fit too few points, or x over too narrow a range', () => {
    assert.equal(leastSquares([{ x: 0, y: 0 }, { x: 10, y: 10 }], 3, 1), null);
    assert.equal(leastSquares([{ x: 100, y: 1 }, { x: 101, y: 2 }, { x: 102, y: 3 }], 3, 20), null);
  });

  it('takes the mean of (y − baseline) / x from a known baseline, skipping x = 0', () => {
    const fit = slopeFromBaseline([{ x: 100, y: 1200 }, { x: 100, y: 1400 }, { x: 0, y: 999 }], 1000, 2)!;
    assert.equal(fit.slope, 3);
    assert.equal(fit.intercept, 1000);
    assert.equal(fit.method, 'average');
    assert.equal(fit.samples, 2);
    assert.equal(slopeFromBaseline([{ x: 100, y: 1200 }], 1000, 2), null);
  });

  it('turns a slope hidden in the noise into its upper bound (slope + 2 standard errors), through the mean point', () => {
    const points = [{ x: 0, y: 10 }, { x: 0, y: 14 }, { x: 100, y: 13 }, { x: 100, y: 9 }];
    const fit = leastSquares(points, 4, 10)!;
    assert.equal(fit.slope, -0.01);
    const bound = upperBound(fit, points)!;
    assert.equal(bound.method, 'bound');
    assert.ok(Math.abs(bound.slope - (fit.slope + 2 * fit.slopeError!)) < 1e-12);
    assert.ok(bound.slope > 0);
    assert.ok(Math.abs(bound.intercept + bound.slope * 50 - 11.5) < 1e-9, 'through the mean point');
  });

  it('gives no bound when even the upper bound is not above zero', () => {
    const points = [{ x: 0, y: 100 }, { x: 0, y: 101 }, { x: 100, y: 10 }, { x: 100, y: 11 }];
    assert.equal(upperBound(leastSquares(points, 4, 10)!, points), null);
  });
});
