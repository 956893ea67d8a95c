/**
 * Straight lines through measured samples: least squares where x varied enough to fit a slope,
 * else the average of (y − baseline) / x at the one x there is. Pure, so the planner's figures can
 * be checked against hand-worked numbers.
 */
import type { LineFit } from '../../../shared/admin/capacity-model.js';

export interface Point {
  x: number;
  y: number;
}

/**
 * Least squares y = a + b·x; null with fewer than `minSamples` points or when x spans less than
 * `minSpan` (a slope over a narrow range is noise).
 */
export function leastSquares(points: readonly Point[], minSamples: number, minSpan: number): LineFit | null {
  const n = points.length;
  if (n < minSamples) return null;
  const { xMin, xMax } = range(points);
  if (xMax - xMin < minSpan) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
    syy += (p.y - my) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const sse = points.reduce((s, p) => s + (p.y - intercept - slope * p.x) ** 2, 0);
  const slopeError = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : null;
  return { slope, intercept, samples: n, spread: Math.sqrt(sse / n), slopeError, r2: syy > 0 ? 1 - sse / syy : null, xMin, xMax, method: 'fit' };
}

/**
 * The slope from a known baseline (y at x = 0): mean of (y − baseline) / x over points with x ≥ 1.
 * For samples all taken at about the same x, where no line can be fitted.
 */
export function slopeFromBaseline(points: readonly Point[], baseline: number, minSamples: number): LineFit | null {
  const usable = points.filter((p) => p.x >= 1);
  if (usable.length < minSamples) return null;
  const slopes = usable.map((p) => (p.y - baseline) / p.x);
  const slope = slopes.reduce((s, v) => s + v, 0) / slopes.length;
  const sse = usable.reduce((s, p) => s + (p.y - baseline - slope * p.x) ** 2, 0);
  const { xMin, xMax } = range(usable);
  return { slope, intercept: baseline, samples: usable.length, spread: Math.sqrt(sse / usable.length), slopeError: null, r2: null, xMin, xMax, method: 'average' };
}

/**
 * A fit whose slope is not above zero, turned into an upper bound: slope + 2 standard errors, when
 * that is above zero (else null). The intercept is refitted through the mean point.
 */
export function upperBound(fit: LineFit, points: readonly Point[]): LineFit | null {
  if (fit.slopeError === null) return null;
  const slope = fit.slope + 2 * fit.slopeError;
  if (slope <= 0) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  return { ...fit, slope, intercept: my - slope * mx, method: 'bound' };
}

function range(points: readonly Point[]): { xMin: number; xMax: number } {
  let xMin = Infinity;
  let xMax = -Infinity;
  for (const p of points) {
    xMin = Math.min(xMin, p.x);
    xMax = Math.max(xMax, p.x);
  }
  return { xMin, xMax };
}
