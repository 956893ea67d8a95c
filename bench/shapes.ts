/**
 * The shape workloads (issue 12, item 5 a, b, e) as the bench runs them: the peers of each, interleaved
 * (rotated per repetition), their expected time, and the soak's rate from the same run's fan-out.
 */
import type { Cpus } from './children.js';
import { runChat } from './chat.js';
import type { BenchOptions } from './options.js';
import type { PeerId } from './peers.js';
import { PEERS } from './peers.js';
import { highest, stepsOf } from './report-common.js';
import type { BenchResults } from './report.js';
import { runSizes } from './sizes.js';
import { runSoak } from './soak.js';
import { median } from './stats.js';

/** One repetition of each, all peers, full run (estimated from quick runs: see docs/benchmark.md). */
export const SHAPES_REP_MS = { chat: 90_000, sizes: 75_000, soak: 175_000 } as const;
export type ShapeWorkload = keyof typeof SHAPES_REP_MS;

/** Repetitions of a workload: the soak runs at most `soak.reps` (its drift is measured within one run). */
export function shapeReps(w: string, o: BenchOptions): number {
  return w === 'soak' && o.soak ? Math.min(o.reps, o.soak.reps) : o.reps;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** The highest rate that kept up at `subscribers` in this run's fan-out (median over repetitions); null without one. */
export function fanoutKeepsUp(res: BenchResults, peer: PeerId, subscribers: number): number | null {
  const v = res.fanout.filter((r) => r.peer === peer && !r.error).map((r) => highest(stepsOf(r, subscribers), (s) => s.keepsUp));
  const m = median(v);
  return Number.isFinite(m) ? m : null;
}

export async function runShapeRep(
  w: ShapeWorkload, rep: number, o: BenchOptions, cpus: { server: Cpus; generator: Cpus }, res: BenchResults, log: (s: string) => void,
): Promise<void> {
  const peers = rotate(o[w]!.peers, rep);
  for (const p of peers) {
    log(`  ${w} rep ${rep + 1}: ${PEERS[p].label}`);
    if (w === 'chat') (res.chat ??= []).push(await runChat(PEERS[p], rep, o.chat!, cpus, log));
    else if (w === 'sizes') (res.sizes ??= []).push(await runSizes(PEERS[p], rep, o.sizes!, cpus, log));
    else (res.soak ??= []).push(await runSoak(PEERS[p], rep, o.soak!, fanoutKeepsUp(res, p, o.soak!.subscribers), cpus, log));
  }
}
