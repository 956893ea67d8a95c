/**
 * Publish → receive latency as a mergeable log-bucket histogram: each bot process records its own,
 * the coordinator adds them up once a second. Buckets grow by 4 %, so a percentile is within about
 * 2 % of the true value; the maximum is kept exactly.
 */
import type { LatencySummary } from '../../shared/admin/simulator-model.js';

const GROWTH = 1.04;
const LOG_GROWTH = Math.log(GROWTH);
/** 1 µs … about 10 minutes. */
export const BUCKETS = Math.ceil(Math.log(600e6) / LOG_GROWTH) + 1;

/** Non-empty buckets as [index, count] pairs: what crosses the IPC boundary. */
export type SparseCounts = [number, number][];

/** The bucket of a latency in microseconds. */
export function bucketOf(micros: number): number {
  if (!(micros >= 1)) return 0;
  return Math.min(BUCKETS - 1, Math.floor(Math.log(micros) / LOG_GROWTH) + 1);
}

/** A representative value (µs) of a bucket: the geometric middle of its bounds. */
export function bucketValue(index: number): number {
  if (index <= 0) return 0.5;
  return Math.pow(GROWTH, index - 0.5);
}

export class LatencyHistogram {
  readonly counts = new Float64Array(BUCKETS);
  total = 0;
  /** Exact maximum, µs. */
  max = 0;

  record(micros: number): void {
    this.counts[bucketOf(micros)]!++;
    this.total++;
    if (micros > this.max) this.max = micros;
  }

  /** Adds another histogram's sparse counts (and its maximum). */
  add(sparse: SparseCounts, max: number): void {
    for (const [i, n] of sparse) {
      this.counts[i]! += n;
      this.total += n;
    }
    if (max > this.max) this.max = max;
  }

  sparse(): SparseCounts {
    const out: SparseCounts = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i]! > 0) out.push([i, this.counts[i]!]);
    return out;
  }

  /** The value (µs) at quantile q (0..1); 0 when empty. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(bucketValue(i), this.max > 0 ? this.max : Infinity);
    }
    return this.max;
  }

  /** This histogram minus an earlier state of it (a window); the window's max is its top bucket's value. */
  since(earlier: LatencyHistogram): LatencyHistogram {
    const out = new LatencyHistogram();
    for (let i = 0; i < BUCKETS; i++) {
      const n = this.counts[i]! - earlier.counts[i]!;
      if (n <= 0) continue;
      out.counts[i] = n;
      out.total += n;
      out.max = Math.min(bucketValue(i), this.max);
    }
    return out;
  }

  clone(): LatencyHistogram {
    const out = new LatencyHistogram();
    out.counts.set(this.counts);
    out.total = this.total;
    out.max = this.max;
    return out;
  }

  summary(): LatencySummary {
    const ms = (micros: number): number => Math.round(micros / 10) / 100;
    return { samples: this.total, p50Ms: ms(this.quantile(0.5)), p99Ms: ms(this.quantile(0.99)), maxMs: ms(this.max) };
  }
}
