/**
 * One line of a segment file and the arithmetic of rollups (pure). A line is one step of every
 * series: `{"at":<ms>,"s":{"total":[…],"node-1":[…]}}`, each series an array of numbers:
 * - in the 1 s tier, the 8 sampled figures (AVG_FIELDS);
 * - in rollup tiers, their averages, then the peaks of PEAK_FIELDS, then the sample count.
 * A line that does not parse to that shape (a torn write) is skipped by the reader, never fatal.
 */
import type { HistoryPoint } from '../../../shared/admin/metrics-history-model.js';

/** Figures averaged over a step (rates average to the step's mean rate). */
export const AVG_FIELDS = [
  'connections', 'messagesInPerSec', 'messagesOutPerSec', 'bytesInPerSec', 'bytesOutPerSec', 'cpuPercent', 'loopDelayP99Ms', 'rssBytes',
] as const;
/** Figures whose peak in a step is kept too (what alerts on "over X" need). */
export const PEAK_FIELDS = ['connections', 'cpuPercent', 'loopDelayP99Ms', 'rssBytes'] as const;
const PEAK_INDEX = PEAK_FIELDS.map((f) => AVG_FIELDS.indexOf(f));
const A = AVG_FIELDS.length;
const P = PEAK_FIELDS.length;

/** Running sums of one series over one step: sums of AVG_FIELDS, peaks of PEAK_FIELDS, samples. */
export interface Acc {
  sum: number[];
  peak: number[];
  n: number;
}

/** One step of every series, keyed `total` and by node id. */
export interface StepRecord {
  at: number;
  series: Map<string, Acc>;
}

export const emptyAcc = (): Acc => ({ sum: new Array<number>(A).fill(0), peak: new Array<number>(P).fill(-Infinity), n: 0 });

/** Adds one 1 Hz sample (the 8 figures, AVG_FIELDS order) to an accumulator. */
export function addSample(acc: Acc, values: readonly number[]): void {
  for (let i = 0; i < A; i++) acc.sum[i]! += values[i]!;
  for (let j = 0; j < P; j++) acc.peak[j] = Math.max(acc.peak[j]!, values[PEAK_INDEX[j]!]!);
  acc.n++;
}

/** Adds a whole accumulator (another step) to one: sums and counts add, peaks take the higher. */
export function addAcc(into: Acc, from: Acc): void {
  for (let i = 0; i < A; i++) into.sum[i]! += from.sum[i]!;
  for (let j = 0; j < P; j++) into.peak[j] = Math.max(into.peak[j]!, from.peak[j]!);
  into.n += from.n;
}

/** A 1 s line (the samples as they are). */
export function encodeSample(at: number, series: Map<string, readonly number[]>): string {
  const s: Record<string, readonly number[]> = {};
  for (const [id, values] of series) s[id] = values.map(round);
  return JSON.stringify({ at, s });
}

/** A rollup line: averages, peaks and count per series. */
export function encodeStep(rec: StepRecord): string {
  const s: Record<string, number[]> = {};
  for (const [id, acc] of rec.series) s[id] = [...acc.sum.map((v) => round(v / acc.n)), ...acc.peak.map(round), acc.n];
  return JSON.stringify({ at: rec.at, s });
}

/** A line back into a record (a 1 s line as steps of one sample), or null for a torn or foreign line. */
export function decodeLine(line: string): StepRecord | null {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { at, s } = raw as { at?: unknown; s?: unknown };
  if (typeof at !== 'number' || !Number.isFinite(at) || typeof s !== 'object' || s === null) return null;
  const series = new Map<string, Acc>();
  for (const [id, values] of Object.entries(s)) {
    const acc = decodeSeries(values);
    if (acc) series.set(id, acc);
  }
  return { at, series };
}

function decodeSeries(values: unknown): Acc | null {
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
  const v = values as number[];
  if (v.length === A) {
    const acc = emptyAcc();
    addSample(acc, v);
    return acc;
  }
  if (v.length !== A + P + 1 || v[A + P]! < 1) return null;
  const n = v[A + P]!;
  return { sum: v.slice(0, A).map((x) => x * n), peak: v.slice(A, A + P), n };
}

/** The point a chart or a CSV shows for one accumulated step. */
export function toPoint(at: number, acc: Acc): HistoryPoint {
  const avg = (i: number): number => round(acc.sum[i]! / acc.n);
  return {
    at,
    connections: avg(0), messagesInPerSec: avg(1), messagesOutPerSec: avg(2), bytesInPerSec: avg(3), bytesOutPerSec: avg(4),
    cpuPercent: avg(5), loopDelayP99Ms: avg(6), rssBytes: Math.round(acc.sum[7]! / acc.n),
    connectionsMax: acc.peak[0]!, cpuPercentMax: acc.peak[1]!, loopDelayP99MsMax: acc.peak[2]!, rssBytesMax: acc.peak[3]!,
    samples: acc.n,
  };
}

const round = (n: number): number => Math.round(n * 10) / 10;
