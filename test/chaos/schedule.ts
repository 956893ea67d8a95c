/**
 * The chaos soak's fault schedule: a seeded pseudo-random list of steps, every 2–10 s, each one or
 * two faults (two at once so overlapping faults — two nodes down together — happen). The same seed
 * always gives the same list; a step names its target by index into the live nodes sorted by id,
 * so a failing seed reruns the same schedule against whatever nodes exist at that moment.
 */

export const FAULT_KINDS = ['kill', 'hang', 'partition', 'drop', 'restart', 'add', 'remove'] as const;
export type ChaosFaultKind = (typeof FAULT_KINDS)[number];

export interface ChaosFault {
  kind: ChaosFaultKind;
  /** Index into the live node ids, sorted (taken modulo their count); unused by `add`. */
  target: number;
  /** For hang and partition: how long the fault lasts. */
  seconds?: number;
}

export interface ChaosStep {
  /** Milliseconds after the soak started. */
  atMs: number;
  faults: ChaosFault[];
}

/** Steps are this far apart, at least and at most (issue 11 §1). */
export const STEP_GAP_MS = { min: 2_000, max: 10_000 } as const;
/**
 * Hangs and partitions last 1–5 s: shorter than the node-unresponsive timeout (10 s by default), so
 * a hang heals by itself instead of the supervisor replacing the node (which is a test of its own).
 */
export const FAULT_SECONDS = { min: 1, max: 5 } as const;
/** Share of steps that inject two faults at once on different nodes. */
const DOUBLE_SHARE = 0.3;
/**
 * How often each kind is drawn (relative weights): the node-level faults most, the topology
 * changes (add, remove) less, so the cluster keeps about three nodes.
 */
const WEIGHTS: Record<ChaosFaultKind, number> = { kill: 3, hang: 2, partition: 2, drop: 2, restart: 1, add: 1, remove: 1 };

/** mulberry32: a small, fast, well-spread 32-bit PRNG; answers floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pickKind(random: () => number): ChaosFaultKind {
  const total = FAULT_KINDS.reduce((n, k) => n + WEIGHTS[k], 0);
  let r = random() * total;
  for (const kind of FAULT_KINDS) {
    r -= WEIGHTS[kind];
    if (r < 0) return kind;
  }
  return 'kill';
}

const between = (random: () => number, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

function fault(random: () => number, target: number): ChaosFault {
  const kind = pickKind(random);
  const seconds = between(random, FAULT_SECONDS.min, FAULT_SECONDS.max);
  return kind === 'hang' || kind === 'partition' ? { kind, target, seconds } : { kind, target };
}

/** The steps of a soak of `durationMs` (the first after one gap, none past the end). */
export function buildSchedule(seed: number, durationMs: number): ChaosStep[] {
  const random = seededRandom(seed);
  const steps: ChaosStep[] = [];
  for (let at = between(random, STEP_GAP_MS.min, STEP_GAP_MS.max); at < durationMs; at += between(random, STEP_GAP_MS.min, STEP_GAP_MS.max)) {
    const first = between(random, 0, 1_000);
    const faults = [fault(random, first)];
    // A second fault on the next node in order: a different one whenever two or more are live.
    if (random() < DOUBLE_SHARE) faults.push(fault(random, first + 1));
    steps.push({ atMs: at, faults });
  }
  return steps;
}

/** A seed from the environment (CHAOS_SEED, decimal) or a fresh one. */
export function chaosSeed(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.CHAOS_SEED;
  if (text === undefined || text === '') return Math.floor(Math.random() * 2 ** 31);
  if (!/^\d+$/.test(text) || Number(text) >= 2 ** 32) throw new Error(`CHAOS_SEED must be a whole number below 2^32 (got "${text}")`);
  return Number(text);
}
