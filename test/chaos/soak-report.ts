/**
 * What a chaos soak found, the verdict drawn from it, and the text `npm run chaos` prints. The
 * verdict uses the fleet's own counts (embedded-server/simulator/stream-tracker.ts): nothing lost,
 * duplicated or out of order, every delivery owed by the channels' tops made, no bot given up; no
 * death nobody injected; the console's figures never off for longer than the tolerance; the cluster
 * healed once the faults stopped; the event ring within its capacity.
 */
import type { SimulatorParams, SimulatorStatus } from '../../shared/admin/simulator-model.js';
import type { ConsoleViolation } from './console-check.js';
import { TOLERANCE_MS } from './console-check.js';
import type { Death } from './death-watch.js';
import type { InjectionRecord, KindTally } from './injector.js';
import type { StreamTops } from './cluster-probe.js';
import type { ChaosFaultKind } from './schedule.js';

/** The supervisor's event ring holds at most this many events (embedded-server/supervisor/event-log.ts). */
export const EVENT_RING_CAPACITY = 10_000;

export interface FleetOutcome {
  profile: 'chat' | 'feed';
  params: SimulatorParams;
  final: SimulatorStatus;
  tops: StreamTops;
  /** Every bot was subscribed when publishing began (so each owes its channel's whole stream). */
  allSubscribedBeforePublishing: boolean;
}

export interface SoakReport {
  seed: number;
  minutes: number;
  bots: number;
  steps: number;
  faults: Record<ChaosFaultKind, KindTally>;
  injections: InjectionRecord[];
  fleets: FleetOutcome[];
  console: { samples: number; mismatchedSamples: number; longestMismatchMs: number; violations: ConsoleViolation[] };
  deaths: Death[];
  /** Node processes that ended (all injected unless listed in `deaths`). */
  nodeEnds: number;
  /** The most nodes seen at once without a serving process (down, restarting, starting), and not healthy at all (hung, partitioned too). */
  nodesAtOnce: { down: number; notHealthy: number };
  startedNodePids: number[];
  /** Ms after the faults stopped (the end of the soak) until every node was healthy and every bot connected and subscribed; null: not within the settle time. */
  healedAfterMs: number | null;
  /** `recovered: false` answers the supervisor gave, by reason (from its events). */
  notRecoveredWhy: Record<string, number>;
  supervisor: { pid: number; rssStart: number; rssEnd: number; rssMax: number; ringStart: number; ringEnd: number };
}

/** The fleet's counts added over chat and feed. */
export function totals(r: SoakReport): Record<'sent' | 'received' | 'owed' | 'publications' | 'lost' | 'duplicated' | 'outOfOrder' | 'recovered' | 'notRecovered' | 'refused' | 'reconnects' | 'errors', number> {
  const t = { sent: 0, received: 0, owed: 0, publications: 0, lost: 0, duplicated: 0, outOfOrder: 0, recovered: 0, notRecovered: 0, refused: 0, reconnects: 0, errors: 0 };
  for (const f of r.fleets) {
    const c = f.final.counts;
    t.sent += c.sent; t.received += c.received; t.lost += c.lost; t.duplicated += c.duplicated; t.outOfOrder += c.outOfOrder;
    t.recovered += c.recovered; t.notRecovered += c.notRecovered; t.refused += c.refused; t.reconnects += c.reconnects; t.errors += c.errors;
    t.owed += f.tops.owed; t.publications += f.tops.publications;
  }
  return t;
}

/** Every way the soak failed, in words; empty when it passed. */
export function verdict(r: SoakReport): string[] {
  const t = totals(r);
  const out: string[] = [];
  if (t.lost > 0) out.push(`${t.lost} publications lost (a hole no recovery filled)`);
  if (t.duplicated > 0) out.push(`${t.duplicated} publications delivered twice`);
  if (t.outOfOrder > 0) out.push(`${t.outOfOrder} publications delivered out of order`);
  for (const f of r.fleets) {
    const c = f.final.counts;
    if (f.final.state !== 'finished') out.push(`the ${f.profile} fleet ${f.final.state}${f.final.message ? `: ${f.final.message}` : ''}`);
    if (!f.allSubscribedBeforePublishing) out.push(`the ${f.profile} fleet began publishing before every bot subscribed`);
    // Deliveries owed by the tops, less what a `recovered: false` told the bots they would miss.
    else if (c.notRecovered === 0 && c.received !== f.tops.owed) out.push(`the ${f.profile} bots got ${c.received} distinct publications; the channels' tops owe ${f.tops.owed}`);
    if (c.sent > f.tops.publications) out.push(`the ${f.profile} fleet had ${c.sent} publications accepted but the channels hold ${f.tops.publications}`);
  }
  if (t.refused > 0) out.push(`${t.refused} bots were refused or given up (a terminal close)`);
  for (const d of r.deaths) out.push(`+${(d.atMs / 1000).toFixed(1)} s: ${d.what}`);
  for (const v of r.console.violations) {
    out.push(`+${(v.sinceMs / 1000).toFixed(1)} s: the console's ${v.figure} (${v.console}) differed from the fleet's (${v.fleet}) for ${(v.forMs / 1000).toFixed(1)} s (> ${TOLERANCE_MS / 1000} s); console per node (connections/subscriptions):\n      ${v.trail.join('\n      ')}`);
  }
  if (r.healedAfterMs === null) out.push('the cluster did not heal (every node healthy, every bot connected and subscribed) after the faults stopped');
  if (r.supervisor.ringEnd > EVENT_RING_CAPACITY) out.push(`the event ring holds ${r.supervisor.ringEnd} events (capacity ${EVENT_RING_CAPACITY})`);
  return out;
}

const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;

/** The report as text (figures first, then the verdict). */
export function describe(r: SoakReport): string {
  const t = totals(r);
  const kinds = Object.entries(r.faults).map(([k, v]) => `${k} ${v.injected}${v.refused ? ` (+${v.refused} refused)` : ''}${v.skipped ? ` (+${v.skipped} skipped)` : ''}`);
  const why = Object.entries(r.notRecoveredWhy).map(([k, n]) => `${k}: ${n}`).join(', ') || 'none';
  const failures = verdict(r);
  return [
    `chaos seed ${r.seed}: ${r.minutes.toFixed(2)} min of faults, ${r.steps} steps, ${r.bots} bots (chat + feed) on 3 nodes`,
    `faults injected: ${kinds.join(', ')}; node processes ended: ${r.nodeEnds}; at once: ${r.nodesAtOnce.down} nodes down, ${r.nodesAtOnce.notHealthy} not healthy`,
    `publications ${t.publications} (accepted ${t.sent}), deliveries checked ${t.received} of ${t.owed} owed; lost ${t.lost}, duplicated ${t.duplicated}, out of order ${t.outOfOrder}`,
    `resubscribes recovered ${t.recovered}, not recovered ${t.notRecovered} (why, from the supervisor: ${why}); reconnects ${t.reconnects}, bot errors ${t.errors}, bots given up ${t.refused}`,
    `console vs fleet: ${r.console.samples} samples, ${r.console.mismatchedSamples} mismatched for a moment, longest ${(r.console.longestMismatchMs / 1000).toFixed(1)} s, violations ${r.console.violations.length}`,
    `healed ${r.healedAfterMs === null ? 'not within the settle time' : `${(r.healedAfterMs / 1000).toFixed(1)} s after the faults stopped`}`,
    `supervisor pid ${r.supervisor.pid}: RSS ${mb(r.supervisor.rssStart)} at start, ${mb(r.supervisor.rssEnd)} at end (max ${mb(r.supervisor.rssMax)}); event ring ${r.supervisor.ringStart} → ${r.supervisor.ringEnd} (capacity ${EVENT_RING_CAPACITY})`,
    failures.length === 0 ? 'verdict: PASS' : `verdict: FAIL (rerun with CHAOS_SEED=${r.seed})\n  - ${failures.join('\n  - ')}`,
  ].join('\n');
}
