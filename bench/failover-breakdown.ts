/**
 * The p99 of failover recovery taken apart (issue 12: "client backoff, reconnect, hand-off,
 * recovery"): from each recovered client's way back ({@link RecoveryTrack}), the p50/p99 of every
 * phase, and what the tail is made of — the median of each phase over the clients whose time to
 * recovered is at or above the p99.
 */
import type { RecoveryTrack } from './generator.js';
import { pct, table } from './report-common.js';
import { fmtSpread, median, spread } from './stats.js';

/** A phase's duration (ms) of one client; NaN where the client has no time for it. */
type Segment = (t: RecoveryTrack) => number;

/** The phases, in order; their durations add up to the time to recovered (the first backoff is inside "loss → first redial"). */
export const PHASES: { key: string; label: string; duration: Segment; fromKill: Segment | null }[] = [
  { key: 'loss', label: '(a) kill → socket closed seen', duration: (t) => t.lost, fromKill: (t) => t.lost },
  { key: 'backoff', label: '(b) first backoff delay chosen', duration: (t) => t.backoff, fromKill: null },
  { key: 'redial', label: '(b) loss → first redial (backoff + timer lag)', duration: (t) => t.firstDial - t.lost, fromKill: (t) => t.firstDial },
  { key: 'retries', label: '    first redial → the dial that opened (failed attempts, later backoffs)', duration: (t) => t.openDial - t.firstDial, fromKill: (t) => t.openDial },
  { key: 'open', label: '(c) dial → socket open (TCP, upgrade, gateway hand-off)', duration: (t) => t.opened - t.openDial, fromKill: (t) => t.opened },
  { key: 'connect', label: '(d) open → connect reply', duration: (t) => t.connected - t.opened, fromKill: (t) => t.connected },
  { key: 'recover', label: '(e) connect reply → subscribe reply, recovered', duration: (t) => t.recovered - t.connected, fromKill: (t) => t.recovered },
];

export interface PhaseFigures {
  /** Duration of the phase: p50, p99, and its median over the tail clients. */
  p50: number;
  p99: number;
  tailMedian: number;
  /** Time from the kill to the phase's end: p50, p99 (NaN for the backoff, a duration only). */
  fromKillP50: number;
  fromKillP99: number;
}

export interface RecoveryBreakdown {
  clients: number;
  /** Clients at or above the p99 of time to recovered. */
  tailClients: number;
  /** Clients that needed more than one dial after the loss. */
  redialled: number;
  phases: Record<string, PhaseFigures>;
}

const finite = (v: number[]): number[] => v.filter(Number.isFinite);

export function recoveryBreakdown(tracks: readonly RecoveryTrack[]): RecoveryBreakdown {
  const p99 = pct(tracks.map((t) => t.recovered), 99);
  const tail = tracks.filter((t) => t.recovered >= p99);
  const phases: Record<string, PhaseFigures> = {};
  for (const ph of PHASES) {
    const d = finite(tracks.map(ph.duration));
    const k = ph.fromKill ? finite(tracks.map(ph.fromKill)) : [];
    phases[ph.key] = {
      p50: pct(d, 50), p99: pct(d, 99), tailMedian: median(finite(tail.map(ph.duration))),
      fromKillP50: pct(k, 50), fromKillP99: pct(k, 99),
    };
  }
  return { clients: tracks.length, tailClients: tail.length, redialled: tracks.filter((t) => t.dials > 1).length, phases };
}

/** The breakdown table: each figure the median over the repetitions (min–max). */
export function breakdownTable(all: readonly (RecoveryBreakdown | undefined)[]): string {
  const runs = all.filter((b): b is RecoveryBreakdown => b !== undefined && b.clients > 0);
  if (runs.length === 0) return '';
  const s = (f: (p: PhaseFigures) => number, key: string): string => fmtSpread(spread(runs.map((b) => f(b.phases[key]!))), 0);
  const rows = PHASES.map((ph) => [
    ph.label,
    ph.fromKill ? `${s((p) => p.fromKillP50, ph.key)} / ${s((p) => p.fromKillP99, ph.key)}` : '—',
    `${s((p) => p.p50, ph.key)} / ${s((p) => p.p99, ph.key)}`,
    s((p) => p.tailMedian, ph.key),
  ]);
  const n = (f: (b: RecoveryBreakdown) => number): string => fmtSpread(spread(runs.map(f)), 0);
  return [
    table(['phase', 'ms from the kill, p50 / p99', 'duration ms, p50 / p99', 'tail: median duration ms'], rows, ['l', 'r', 'r', 'r']),
    '',
    `Over the recovered clients (${n((b) => b.clients)} per repetition); the tail = those at or above the p99 of time to recovered `
      + `(${n((b) => b.tailClients)}). Clients that needed more than one dial after the loss: ${n((b) => b.redialled)}. `
      + 'Durations add up to the time to recovered; percentiles of parts do not add up to the percentile of the whole, the tail medians roughly do.',
  ].join('\n');
}
