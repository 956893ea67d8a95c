/**
 * Small statistics for the bench: a log-bucket latency histogram (1 % resolution, exact max),
 * medians with min–max over repetitions, and pair-by-pair ratios.
 */

const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = 2400; // 1.01^2400 µs ≈ 24 000 s

/** Latencies in µs. Percentiles are the upper edge of a 1 % bucket; max is exact. */
export class Histogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  max = 0;

  add(us: number): void {
    const v = us < 1 ? 1 : us;
    let i = Math.ceil(Math.log(v) / LOG_GROWTH);
    if (i >= BUCKETS) i = BUCKETS - 1;
    this.counts[i]!++;
    this.count++;
    if (us > this.max) this.max = us;
  }

  /** p in 0..100; NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, GROWTH ** i);
    }
    return this.max;
  }
}

export function median(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Median with min and max of the finite values, and how many there were. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: readonly number[]): Spread {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

/**
 * Ratios computed pair by pair: for each repetition the value of `a` over the value of `b` in the
 * same repetition (both finite and b ≠ 0), then their spread.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): Spread {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isFinite(x) && Number.isFinite(y) && y !== 0) ratios.push(x / y);
  }
  return spread(ratios);
}

/** `12.3 (11.9–13.0)`, or `12.3` for one value, or `—` for none. */
export function fmtSpread(s: Spread, digits = 1, unit = ''): string {
  if (s.n === 0) return '—';
  const f = (x: number): string => fmtNum(x, digits);
  if (s.n === 1 || s.min === s.max) return `${f(s.median)}${unit}`;
  return `${f(s.median)}${unit} (${f(s.min)}–${f(s.max)})`;
}

export function fmtNum(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 1000 && digits <= 1) return Math.round(x).toLocaleString('en-US');
  return x.toFixed(digits);
}

/** 25000 → `25k`. */
export function fmtRate(r: number): string {
  if (!Number.isFinite(r) || r <= 0) return '—';
  return r >= 1000 ? `${+(r / 1000).toFixed(1)}k` : `${Math.round(r)}`;
}
