/**
 * Fleets started elsewhere (`switchboard simulate` in a terminal): the report such a fleet sends the
 * supervisor about once a second (`POST /switchboard/fleet-status`, with the server API key), its one
 * codec, and the entry the admin API lists (`simulator.fleets`, push `simulator.fleets`). The route
 * is Switchboard's own, beside — not part of — the Centrifugo-compatible `/api/<method>` surface.
 * docs/simulator.md describes it.
 */
import { z } from 'zod';
import type { Result } from '../result.js';
import { err, ok } from '../result.js';
import type { SimulatorStatus } from './simulator-model.js';
import { SIM_LIMITS, SIM_PROFILES } from './simulator-model.js';

/** Where a fleet reports its status, on the client port. */
export const FLEET_STATUS_PATH = '/switchboard/fleet-status';

/** The largest report body taken (a status is about 1 KiB). */
export const FLEET_REPORT_MAX_BYTES = 16 * 1024;

/** A fleet not heard from for longer than this has lost contact (its figures are its last ones). */
export const FLEET_LOST_AFTER_MS = 5_000;
/** A fleet that ended (finished or failed) is listed this long after its last report. */
export const FLEET_OVER_KEPT_MS = 60_000;
/** A fleet silent for this long is dropped, whatever its state. */
export const FLEET_SILENT_KEPT_MS = 5 * 60_000;
/** At most this many fleets are listed; a new one past it replaces the longest silent. */
export const MAX_EXTERNAL_FLEETS = 20;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const ms = z.number().min(0).max(1e12);
const within = (b: { min: number; max: number }) => z.number().min(b.min).max(b.max);
const latency = z.strictObject({ samples: count, p50Ms: ms, p99Ms: ms, maxMs: ms });

const counts = z.strictObject({
  connected: count, subscribed: count, sent: count, received: count, lost: count, duplicated: count, outOfOrder: count,
  recovered: count, notRecovered: count, reconnects: count, drops: count, slowCloses: count, refused: count, errors: count,
  typingSent: count, typingReceived: count, joins: count, leaves: count, latency, latencyRecent: latency,
});

const status = z.strictObject({
  id: z.string().min(1).max(64),
  params: z.strictObject({
    profile: z.enum(SIM_PROFILES),
    clients: within(SIM_LIMITS.clients).int(),
    channels: within(SIM_LIMITS.channels).int(),
    rate: within(SIM_LIMITS.rate),
    rampSeconds: within(SIM_LIMITS.rampSeconds),
    durationSeconds: within(SIM_LIMITS.durationSeconds),
  }),
  state: z.enum(['starting', 'ramping', 'running', 'draining', 'finished', 'failed']),
  startedAt: z.number().int().min(0).max(1e13),
  elapsedMs: ms,
  pids: z.array(z.number().int().min(1).max(2 ** 32)).min(1).max(64),
  counts,
  message: z.string().max(500).optional(),
});

/** One report: the fleet's status and the process that sends it. */
export const FLEET_REPORT = z.strictObject({
  /** The reporting (coordinating) process: with `host` and the fleet id it tells two fleets apart. */
  pid: z.number().int().min(1).max(2 ** 32),
  /** The machine it runs on (its host name). */
  host: z.string().min(1).max(255),
  status,
});

export interface FleetReport {
  pid: number;
  host: string;
  status: SimulatorStatus;
}

/** A fleet started elsewhere, as the supervisor last heard of it. */
export interface ExternalFleet {
  /** `<host>/<pid>/<fleet id>`: unique per reporting process. */
  key: string;
  host: string;
  pid: number;
  status: SimulatorStatus;
  /** Supervisor clock, Unix ms. */
  firstSeenAt: number;
  lastSeenAt: number;
  /**
   * How old the last report was when this list was made. A console adds the time since it got the
   * list (its own clock), so a clock difference between the machines does not matter.
   */
  reportAgeMs: number;
}

/** The body a fleet sends (the codec's encoding side). */
export function encodeFleetReport(report: FleetReport): string {
  return JSON.stringify(report);
}

/** Parses and validates one report body; the error says what is wrong and where. */
export function decodeFleetReport(text: string): Result<FleetReport, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err('the body is not JSON: expected {"pid", "host", "status"}');
  }
  const parsed = FLEET_REPORT.safeParse(raw);
  if (parsed.success) return ok(parsed.data satisfies FleetReport);
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return err(`${where}${issue?.message ?? 'invalid'}`);
}

/** Over: the fleet's final status (it will not report again). */
export const isFleetOver = (s: SimulatorStatus): boolean => s.state === 'finished' || s.state === 'failed';

/** The fleet's contact, from the age of its last report (STYLE.md §6). */
export function fleetContact(ageMs: number): { lost: boolean; ageS: number } {
  return { lost: ageMs > FLEET_LOST_AFTER_MS, ageS: Math.max(0, Math.floor(ageMs / 1000)) };
}
