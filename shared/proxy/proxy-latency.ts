/**
 * How nodes count the durations of their backend proxy calls: one count per latency bucket, so
 * counts add up across nodes and report periods, and a percentile is known to a bucket's bounds.
 */

/** Upper bounds (ms) of the latency buckets; the last bucket, one past these, is everything slower. */
export const PROXY_LATENCY_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] as const;
