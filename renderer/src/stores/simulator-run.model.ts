/**
 * Pure figures of a simulator run, from the fleet's status (tested without React): its phase and
 * progress, whether the console's figures agree with the fleet's own counts, which counts alarm,
 * and what `received` should reach.
 */
import type { SimulatorCounts, SimulatorParams, SimulatorState, SimulatorStatus } from '../../../shared/admin/simulator-model.js';
import { fmtInt } from '../format.js';

/** A run still going: one fleet at a time, so a new start waits for it. */
export const isActive = (state: SimulatorState): boolean => state !== 'finished' && state !== 'failed';

/** What each phase means, for the run's header. */
export const PHASE_HINTS: Record<SimulatorState, string> = {
  starting: 'forking the bot processes and minting their tokens',
  ramping: 'bots connecting, evenly over the ramp',
  running: 'publishing',
  draining: 'publishing stopped; deliveries in flight settle',
  finished: 'over: these are the final counts',
  failed: 'over: the fleet failed',
};

/**
 * How far the run is: 0…1 of its duration, and the time left (none once it ended; a run stopped
 * early keeps the share it ran). The duration counts from the ramp, so this is close, not exact.
 */
export function runProgress(s: SimulatorStatus): { fraction: number; leftMs: number } {
  const total = s.params.durationSeconds * 1000;
  const fraction = Math.min(1, Math.max(0, s.elapsedMs / total));
  return { fraction, leftMs: isActive(s.state) ? Math.max(0, total - s.elapsedMs) : 0 };
}

export type Tone = 'ok' | 'info' | 'warn' | 'bad';

/** The console's figure beside the fleet's: do they agree, and if not, why that may be. */
export interface Agreement {
  tone: Tone;
  text: string;
}

/**
 * Compares a cluster figure (from the snapshot) with the fleet's own count. Both sides report once
 * a second, so they may differ for a second while bots connect or leave; a steady difference means
 * other clients are connected too, or a figure is wrong.
 */
export function agreement(consoleCount: number | undefined, fleetCount: number, state: SimulatorState): Agreement {
  if (consoleCount === undefined) return { tone: 'info', text: 'waiting for the cluster\'s snapshot' };
  const diff = consoleCount - fleetCount;
  if (diff === 0) return { tone: 'ok', text: 'agree' };
  const moving = state === 'starting' || state === 'ramping';
  const what = diff > 0 ? `console counts ${fmtInt(diff)} more` : `console counts ${fmtInt(-diff)} fewer`;
  if (moving) return { tone: 'info', text: `${what} — settling while bots connect (both report once a second)` };
  return { tone: 'warn', text: diff > 0 ? `${what}: other clients, or bots not yet gone` : `${what}: a report behind, or connections the cluster lost` };
}

/** "console says 20 connections, fleet says 20 connected". */
export function agreementSentence(consoleCount: number | undefined, fleetCount: number, consoleNoun: string, fleetWord: string): string {
  const shown = consoleCount === undefined ? '—' : fmtInt(consoleCount);
  return `console says ${shown} ${consoleNoun}${consoleCount === 1 ? '' : 's'}, fleet says ${fmtInt(fleetCount)} ${fleetWord}`;
}

/** Counts that must stay 0 in a healthy run (bad), and those worth a look when they are not (warn). */
const ALARMS: Partial<Record<keyof SimulatorCounts, Tone>> = {
  lost: 'bad', duplicated: 'bad', outOfOrder: 'bad', notRecovered: 'warn', refused: 'warn', errors: 'warn',
};

/** The tone of a count: null when it is fine. */
export function countTone(key: keyof SimulatorCounts, value: number): Tone | null {
  return value > 0 ? ALARMS[key] ?? null : null;
}

/**
 * What `received` should reach once the deliveries settle: every publication reaches every bot of
 * its channel (the publisher too), so sent × bots per channel — only when the channels are of one
 * size. Null otherwise.
 */
export function expectedReceived(p: SimulatorParams, sent: number): number | null {
  const channels = Math.min(p.channels, p.clients);
  if (p.clients % channels !== 0) return null;
  return sent * (p.clients / channels);
}

/** Deliveries per second between two statuses of the same run; null without a previous one. */
export function receivedPerSec(prev: SimulatorStatus | null, cur: SimulatorStatus): number | null {
  if (!prev || prev.id !== cur.id) return null;
  const dt = (cur.elapsedMs - prev.elapsedMs) / 1000;
  if (dt <= 0) return null;
  return Math.max(0, (cur.counts.received - prev.counts.received) / dt);
}
