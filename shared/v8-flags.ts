/**
 * V8 flags every Switchboard process is started with: the supervisor (through bin/switchboard.js,
 * the desktop app's host fork, the bench) and each node (the supervisor's fork).
 *
 * The young generation is capped at 4 MB per semi-space. V8 grows it to 16 MB per semi-space under
 * a burst of connects — many objects survive their first scavenge — and keeps it, so each process
 * held ~16–24 MB more resident memory after the burst, whatever it held afterwards. Measured at 10k
 * idle connections on 2 nodes: ~12.5 → ~9 KB per connection (docs/benchmark.md), with CPU per
 * delivery and latency in the fan-out benchmark unchanged within run-to-run noise.
 */
export const SUPERVISOR_V8_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
export const NODE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
