/**
 * Pure rules of the Simulator view's start form (tested without React): the draft checked against
 * the admin API's bounds (SIM_LIMITS) before anything is sent, durations as the CLI reads them,
 * what a run will do, and a refused start in words. A run's figures: simulator-run.model.ts.
 */
import { AdminErrors } from '../../../shared/admin/admin-api.js';
import type { SimProfile, SimulatorParams } from '../../../shared/admin/simulator-model.js';
import { DEFAULT_BOTS_PER_PROCESS, SIM_LIMITS, drainMs } from '../../../shared/admin/simulator-model.js';
import { parseDuration } from '../../../shared/duration.js';
import { fmtInt, fmtRate } from '../format.js';

/** What each profile does, in one line (docs/simulator.md, "Profiles"). */
export const PROFILE_HINTS: Record<SimProfile, string> = {
  chat: 'Rooms: bots publish in turns, with typing indicators and join/leave pushes.',
  feed: 'The simulator publishes through the HTTP API, as a backend would; bots only subscribe.',
  flaky: 'Chat bots that drop their sockets abruptly and come back with recovery: nothing may be lost.',
  slow: 'Chat bots that stop reading for seconds at a time (8 KB publications): backpressure shows.',
};

/** The form as typed: numbers stay text until they are checked. */
export interface SimDraft {
  profile: SimProfile;
  clients: string;
  channels: string;
  rate: string;
  /** A duration: "10s", "2m", "1h30m"; a bare number is seconds. */
  ramp: string;
  duration: string;
}

export type SimField = Exclude<keyof SimDraft, 'profile'>;

/** The same defaults as the CLI and the admin API. */
export const DEFAULT_DRAFT: SimDraft = { profile: 'chat', clients: '1000', channels: '50', rate: '1', ramp: '10s', duration: '60s' };

export type DraftCheck =
  | { ok: true; params: SimulatorParams; warnings: string[] }
  | { ok: false; errors: Partial<Record<SimField, string>> };

/** Checks every field against its bounds; the params are exactly what `simulator.start` takes. */
export function checkDraft(d: SimDraft): DraftCheck {
  const read: Record<SimField, number | string> = {
    clients: whole(d.clients, SIM_LIMITS.clients),
    channels: whole(d.channels, SIM_LIMITS.channels),
    rate: decimal(d.rate, SIM_LIMITS.rate),
    ramp: seconds(d.ramp, SIM_LIMITS.rampSeconds),
    duration: seconds(d.duration, SIM_LIMITS.durationSeconds),
  };
  const errors: Partial<Record<SimField, string>> = {};
  for (const [field, v] of Object.entries(read) as [SimField, number | string][]) if (typeof v === 'string') errors[field] = v;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const n = read as Record<SimField, number>;
  const params: SimulatorParams = {
    profile: d.profile, clients: n.clients, channels: n.channels, rate: n.rate, rampSeconds: n.ramp, durationSeconds: n.duration,
  };
  return { ok: true, params, warnings: warningsFor(params) };
}

/** Allowed but probably not meant: the fleet caps channels at clients, and a ramp can eat the run. */
function warningsFor(p: SimulatorParams): string[] {
  const out: string[] = [];
  if (p.channels > p.clients) out.push(`${fmtInt(p.channels)} channels for ${fmtInt(p.clients)} ${p.clients === 1 ? 'client' : 'clients'}: the fleet uses ${fmtInt(p.clients)}, one bot each.`);
  if (p.rate > 0 && publishSeconds(p) <= 0) {
    out.push(`Nothing will be published: the ramp (${fmtSeconds(p.rampSeconds)}) and the final drain (${fmtSeconds(drainSeconds(p.durationSeconds))}) fill the whole ${fmtSeconds(p.durationSeconds)}.`);
  }
  return out;
}

const LIMIT_OF = { clients: 'clients', channels: 'channels', rate: 'rate', ramp: 'rampSeconds', duration: 'durationSeconds' } as const;

/** The range a field takes, as its hint shows it: "1 to 20,000", "1s to 24h". */
export function fieldRange(field: SimField): string {
  const fmt = field === 'ramp' || field === 'duration' ? fmtSeconds : fmtInt;
  const b = SIM_LIMITS[LIMIT_OF[field]];
  return `${fmt(b.min)} to ${fmt(b.max)}`;
}

/** Digits with optional thousands separators ("20,000", "20 000", "20_000"). */
function whole(text: string, b: { min: number; max: number }): number | string {
  const t = text.trim().replace(/[,_ ]/g, '');
  if (t === '') return 'Required';
  if (!/^\d+$/.test(t)) return 'A whole number, like 500';
  return inBounds(Number(t), b, fmtInt);
}

/** A plain decimal: a comma is not taken for a decimal point, nor dropped. */
function decimal(text: string, b: { min: number; max: number }): number | string {
  const t = text.trim();
  if (t === '') return 'Required';
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(t)) return 'A number, like 2 or 0.5';
  return inBounds(Number(t), b, fmtInt);
}

function seconds(text: string, b: { min: number; max: number }): number | string {
  const s = parseSeconds(text);
  if (s === null) return text.trim() === '' ? 'Required' : 'A duration, like 30s, 2m or 1h30m';
  return inBounds(s, b, fmtSeconds);
}

function inBounds(n: number, b: { min: number; max: number }, fmt: (n: number) => string): number | string {
  if (n < b.min) return `At least ${fmt(b.min)}`;
  if (n > b.max) return `At most ${fmt(b.max)}`;
  return n;
}

/**
 * "90", "90s", "1m30s", "1m 30s", "1.5h", "500ms" → seconds; null when it is not a duration. The
 * CLI's and the config file's own parser (shared/duration.ts); spaces between parts are allowed.
 */
export function parseSeconds(text: string): number | null {
  const parsed = parseDuration(text.replace(/\s+/g, ''));
  return parsed.ok ? parsed.value / 1000 : null;
}

/** 45 → "45s", 90 → "1m 30s", 86400 → "24h", 0.5 → "0.5s". */
export function fmtSeconds(seconds: number): string {
  if (seconds < 60) return `${fmtRate(seconds)}s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', rest > 0 ? `${rest}s` : ''].filter(Boolean).join(' ');
}

const exact = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** The run's last part, without publications (the fleet's own rule). */
export const drainSeconds = (durationSeconds: number): number => drainMs(durationSeconds * 1000) / 1000;

/** Seconds between the end of the ramp and the drain: when publications are sent. */
export const publishSeconds = (p: SimulatorParams): number => p.durationSeconds - p.rampSeconds - drainSeconds(p.durationSeconds);

/** What a run will do, as the form's summary line says it. */
export interface RunPlan {
  processes: number;
  /** Channels the fleet really uses (capped at clients). */
  channels: number;
  /** Bots per channel: [smallest, largest]. */
  perChannel: [number, number];
  publicationsPerSec: number;
  /** Deliveries on the data channels (typing not included). */
  deliveriesPerSec: number;
  publishSeconds: number;
}

export function planRun(p: SimulatorParams): RunPlan {
  const channels = Math.min(p.channels, p.clients);
  return {
    processes: Math.ceil(p.clients / DEFAULT_BOTS_PER_PROCESS),
    channels,
    perChannel: [Math.floor(p.clients / channels), Math.ceil(p.clients / channels)],
    publicationsPerSec: p.rate * channels,
    deliveriesPerSec: p.rate * p.clients,
    publishSeconds: Math.max(0, publishSeconds(p)),
  };
}

/** "1,000 bots in 1 process · 50 channels of 20 · 50 publications/s → ≈ 1,000 deliveries/s · publishing for ≈ 45s". */
export function describePlan(p: SimulatorParams): string {
  const plan = planRun(p);
  const [lo, hi] = plan.perChannel;
  const parts = [
    `${fmtInt(p.clients)} ${p.clients === 1 ? 'bot' : 'bots'} in ${plan.processes} bot ${plan.processes === 1 ? 'process' : 'processes'}`,
    `${fmtInt(plan.channels)} ${plan.channels === 1 ? 'channel' : 'channels'} of ${lo === hi ? fmtInt(lo) : `${fmtInt(lo)}–${fmtInt(hi)}`}`,
  ];
  if (p.rate === 0) return [...parts, 'connections only, nothing published'].join(' · ');
  const typing = p.profile === 'chat' ? ' (plus typing)' : '';
  parts.push(`${fmtRate(plan.publicationsPerSec)} publications/s → ≈ ${fmtRate(plan.deliveriesPerSec)} deliveries/s${typing}`);
  parts.push(`publishing for ≈ ${fmtSeconds(plan.publishSeconds)}`);
  return parts.join(' · ');
}

/** "20 chat clients on 2 channels, 2/s per channel, ramp 1s, 1m 30s". */
export function describeParams(p: SimulatorParams): string {
  return `${fmtInt(p.clients)} ${p.profile} ${p.clients === 1 ? 'client' : 'clients'} on ${fmtInt(p.channels)} ${p.channels === 1 ? 'channel' : 'channels'}, `
    + `${exact.format(p.rate)}/s per channel, ramp ${fmtSeconds(p.rampSeconds)}, ${fmtSeconds(p.durationSeconds)}`;
}

/** Why a start failed, in words an operator can act on. `code` is the admin API's (0: not sent or no answer). */
export function describeRefusal(code: number, message: string): string {
  if (code === AdminErrors.conflict) return `The cluster refused the start (409, conflict): ${message}`;
  if (code === AdminErrors.badRequest) return `The cluster refused the parameters (400): ${message}`;
  if (code === 0) return `Not started: ${message}`;
  return `The cluster could not start the fleet (${code}): ${message}`;
}
