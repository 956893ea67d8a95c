import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencyHistogram, bucketOf, bucketValue } from './latency-histogram.js';

/** Exact quantile of a sorted list, by the same rank rule. */
const exact = (sorted: number[], q: number): number => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;

describe('the latency histogram', () => {
  it('answers p50 and p99 within 3 % of the exact values', () => {
    const h = new LatencyHistogram();
    const values: number[] = [];
    for (let i = 1; i <= 10_000; i++) {
      const v = 200 + ((i * 7919) % 10_000) * 3; // 200 µs … 30 ms, spread out
      values.push(v);
      h.record(v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.99]) {
      const want = exact(values, q);
      assert.ok(Math.abs(h.quantile(q) - want) / want < 0.03, `q${q}: ${h.quantile(q)} vs ${want}`);
    }
    assert.equal(h.max, values.at(-1));
  });

  it('gives the same figures when per-process histograms are merged as when one recorded everything', () => {
    const all = new LatencyHistogram();
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 0; i < 1000; i++) {
      const v = 100 + i * 13;
      all.record(v);
      (i % 2 === 0 ? a : b).record(v);
    }
    const merged = new LatencyHistogram();
    merged.add(a.sparse(), a.max);
    merged.add(b.sparse(), b.max);
    assert.deepEqual(merged.summary(), all.summary());
  });

  it('reports a window with only the samples recorded after its start', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 100; i++) h.record(1_000);
    const before = h.clone();
    for (let i = 0; i < 100; i++) h.record(50_000);
    const recent = h.since(before);
    assert.equal(recent.total, 100);
    assert.ok(Math.abs(recent.quantile(0.5) - 50_000) / 50_000 < 0.03);
  });

  it('answers zeros when nothing was measured, and keeps sub-microsecond values in the first bucket', () => {
    assert.deepEqual(new LatencyHistogram().summary(), { samples: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 });
    assert.equal(bucketOf(0), 0);
    assert.equal(bucketOf(-5), 0);
    assert.ok(bucketValue(bucketOf(1_000)) > 960 && bucketValue(bucketOf(1_000)) < 1_040);
  });
});
