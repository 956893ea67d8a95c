/**
 * Fleets started elsewhere (`switchboard simulate`), as their reports tell the supervisor about
 * them. Nothing is stored about their health: contact is derived from the age of the last report
 * (STYLE.md §6). An entry goes 60 s after a final status, or after 5 minutes of silence; at most 20
 * are kept. While any is listed, listeners get the list once a second, and once more when the last
 * one goes, so a console clears it.
 */
import type { ExternalFleet, FleetReport } from '../../shared/admin/external-fleet-model.js';
import {
  FLEET_OVER_KEPT_MS, FLEET_SILENT_KEPT_MS, MAX_EXTERNAL_FLEETS, isFleetOver,
} from '../../shared/admin/external-fleet-model.js';

const PUSH_EVERY_MS = 1_000;

interface Entry {
  key: string;
  report: FleetReport;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface ExternalFleetsOptions {
  /** The clock (Unix ms); tests hand in their own. */
  now?: () => number;
  /** At most this many fleets (default MAX_EXTERNAL_FLEETS). */
  max?: number;
}

export class ExternalFleets {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(fleets: ExternalFleet[]) => void>();
  private readonly now: () => number;
  private readonly max: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: ExternalFleetsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.max = options.max ?? MAX_EXTERNAL_FLEETS;
  }

  /** Takes one report; a new fleet past the bound replaces the one silent for longest. */
  report(report: FleetReport): ExternalFleet {
    const now = this.now();
    this.prune(now);
    const key = fleetKey(report);
    const known = this.entries.get(key);
    if (!known && this.entries.size >= this.max) this.evictStalest();
    const entry: Entry = { key, report, firstSeenAt: known?.firstSeenAt ?? now, lastSeenAt: now };
    this.entries.set(key, entry);
    this.startPushing();
    return view(entry, now);
  }

  /** The fleets still listed, first seen first. */
  list(): ExternalFleet[] {
    const now = this.now();
    this.prune(now);
    return [...this.entries.values()].sort((a, b) => a.firstSeenAt - b.firstSeenAt || a.key.localeCompare(b.key)).map((e) => view(e, now));
  }

  /** The list once a second while any fleet is listed, and once more when none is left. Returns a dispose. */
  onList(listener: (fleets: ExternalFleet[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the pushes (the supervisor is stopping). Idempotent. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  private startPushing(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.push(), PUSH_EVERY_MS);
    this.timer.unref();
  }

  private push(): void {
    const fleets = this.list();
    if (fleets.length === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    for (const l of this.listeners) l(fleets);
  }

  private prune(now: number): void {
    for (const [key, e] of this.entries) {
      const silent = now - e.lastSeenAt;
      if (silent > FLEET_SILENT_KEPT_MS || (isFleetOver(e.report.status) && silent > FLEET_OVER_KEPT_MS)) this.entries.delete(key);
    }
  }

  private evictStalest(): void {
    let stalest: Entry | undefined;
    for (const e of this.entries.values()) if (!stalest || e.lastSeenAt < stalest.lastSeenAt) stalest = e;
    if (stalest) this.entries.delete(stalest.key);
  }
}

/** `<host>/<pid>/<fleet id>`: two CLI fleets (both called `cli`) differ by their process. */
export function fleetKey(report: FleetReport): string {
  return `${report.host}/${report.pid}/${report.status.id}`;
}

function view(e: Entry, now: number): ExternalFleet {
  return {
    key: e.key, host: e.report.host, pid: e.report.pid, status: e.report.status,
    firstSeenAt: e.firstSeenAt, lastSeenAt: e.lastSeenAt, reportAgeMs: Math.max(0, now - e.lastSeenAt),
  };
}
