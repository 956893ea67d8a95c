/**
 * What the report's sections share: the Markdown table, values per repetition (for pairing), the
 * fan-out metrics of one peer at one subscriber count, and percentiles.
 */
import type { FanoutRun, StepRecord } from './fanout.js';
import type { PeerId } from './peers.js';
import { PEERS } from './peers.js';
import type { BenchResults } from './report.js';
import type { Spread } from './stats.js';
import { fmtRate } from './stats.js';

export function table(head: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const a = align ?? head.map((_, i) => (i === 0 ? 'l' : 'r'));
  return [
    `| ${head.join(' | ')} |`,
    `|${a.map((x) => (x === 'l' ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** Values per repetition index (NaN where the repetition has none), for pairing. */
export function byRep<R extends { rep: number }>(runs: readonly R[], peer: PeerId | null, reps: number, value: (r: R) => number, peerOf: (r: R) => PeerId | null): number[] {
  const out: number[] = Array.from({ length: reps }, () => Number.NaN);
  for (const r of runs) if (peerOf(r) === peer && r.rep < reps) out[r.rep] = value(r);
  return out;
}

export function stepsOf(run: FanoutRun, subscribers: number): StepRecord[] | null {
  return run.series.find((s) => s.subscribers === subscribers)?.steps ?? null;
}

/** Highest rate of the unbroken run of steps meeting `ok`; 0 when the first fails; NaN without data. */
export function highest(steps: StepRecord[] | null, ok: (s: StepRecord) => boolean): number {
  if (!steps || steps.length === 0) return Number.NaN;
  let best = 0;
  for (const s of steps) {
    if (!ok(s)) break;
    best = s.rate;
  }
  return best;
}

export function atRate(steps: StepRecord[] | null, rate: number, f: (s: StepRecord) => number): number {
  const s = steps?.find((x) => x.rate === rate);
  return s ? f(s) : Number.NaN;
}

export interface FanoutMetrics {
  cpu: Record<number, number[]>;
  p50: number[];
  p99: number[];
  keepsUp: number[];
  lowLatency: number[];
  peak: number[];
  /** Server CPU (% of a core) with the subscribers connected and nothing published. */
  idle: number[];
}

export function fanoutMetrics(res: BenchResults, peer: PeerId, subscribers: number): FanoutMetrics {
  const o = res.options.fanout!;
  const reps = res.options.reps;
  const peerOf = (r: FanoutRun): PeerId => r.peer;
  const v = (f: (steps: StepRecord[] | null) => number): number[] => byRep(res.fanout, peer, reps, (r) => f(stepsOf(r, subscribers)), peerOf);
  const cpu: Record<number, number[]> = {};
  for (const rate of o.cpuRates) cpu[rate] = v((s) => atRate(s, rate, (x) => (x.lost === 0 ? x.cpuUsPerDelivery : Number.NaN)));
  return {
    cpu,
    p50: v((s) => atRate(s, o.latencyRate, (x) => x.p50Ms)),
    p99: v((s) => atRate(s, o.latencyRate, (x) => x.p99Ms)),
    keepsUp: v((s) => highest(s, (x) => x.keepsUp)),
    lowLatency: v((s) => highest(s, (x) => x.lowLatency)),
    peak: v((s) => (s && s.length > 0 ? Math.max(...s.map((x) => x.deliveredPerSec)) : Number.NaN)),
    idle: byRep(res.fanout, peer, reps, (r) => r.series.find((s) => s.subscribers === subscribers)?.idleCores ?? Number.NaN, peerOf),
  };
}

export function fmtRateSpread(s: Spread): string {
  if (s.n === 0) return '—';
  const f = (x: number): string => (x === 0 ? '0' : fmtRate(x));
  return s.n === 1 || s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

export function pct(values: readonly number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))]!;
}

/** `met`, `**missed** — why`, or `not measured` (null). */
export function verdict(ok: boolean | null, missBy: string): string {
  if (ok === null) return 'not measured';
  return ok ? 'met' : `**missed** — ${missBy}`;
}

/** The step that ended a series: the first that did not keep up (undefined when every step kept up). */
export function decidingStep(steps: StepRecord[] | null): StepRecord | undefined {
  return steps?.find((s) => !s.keepsUp);
}

/** " †" when, in some repetition, the step that decided "highest keeps up" was generator-limited. */
export function keepsUpMark(res: BenchResults, peer: PeerId, subscribers: number): string {
  const runs = res.fanout.filter((r) => r.peer === peer);
  return runs.some((r) => decidingStep(stepsOf(r, subscribers))?.generatorLimited === true) ? ' †' : '';
}

/** Per peer, how many steps were generator-limited, and what † means (empty when the results predate the field). */
export function generatorLimitLines(res: BenchResults, peers: readonly PeerId[], subscribers: number): string[] {
  const counts = peers.map((p) => {
    const steps = res.fanout.filter((r) => r.peer === p).flatMap((r) => stepsOf(r, subscribers) ?? []);
    return { p, limited: steps.filter((s) => s.generatorLimited).length, known: steps.filter((s) => s.generatorCores !== undefined).length, n: steps.length };
  });
  if (counts.every((c) => c.known === 0)) return [];
  return [
    `Generator-limited steps (the generator used ≥ 0.9 of its core: the limit may have been the generator, not the server): `
      + `${counts.map((c) => `${PEERS[c.p].label} ${c.limited} of ${c.n}`).join(', ')}. `
      + '† on "highest keeps up": in at least one repetition the step that ended the series was generator-limited, so that ceiling may be the generator\'s.',
  ];
}
