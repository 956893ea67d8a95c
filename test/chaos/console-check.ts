/**
 * The console's figures against the fleet's own counts, once a second: connections and
 * subscriptions in the admin API's snapshot must equal what the bots count. Both sides report on
 * their own one-second clocks, so while the fleet's figure keeps changing (a reconnect wave) the two
 * may differ; once the fleet's figure has stood still for longer than `TOLERANCE_MS`, the console
 * must show exactly it (issue 11 §1: "exact within 2 s of a change"). A change is dated by the
 * sample that first showed it.
 */

/** A mismatch may last this long. */
export const TOLERANCE_MS = 2_000;

export type Figure = 'connections' | 'subscriptions';

export interface FigurePair {
  fleet: number;
  console: number;
}

export interface ConsoleViolation {
  figure: Figure;
  /** Ms after the soak started when the fleet's figure took the value the console did not show. */
  sinceMs: number;
  /** From then until the sample that ended the mismatch (or the last one). */
  forMs: number;
  /** The pair when it was flagged. */
  fleet: number;
  console: number;
  /** The console's per-node figures over the mismatch (as `sample` was given them), oldest first. */
  trail: string[];
}

/** Samples of per-node detail kept for a violation's trail. */
const TRAIL_LENGTH = 8;

export class ConsoleCheck {
  samples = 0;
  mismatchedSamples = 0;
  readonly violations: ConsoleViolation[] = [];
  /** The longest mismatch seen (from its first sample), violation or not. */
  longestMs = 0;
  private readonly openSince: Record<Figure, number | null> = { connections: null, subscriptions: null };
  private readonly flagged: Record<Figure, ConsoleViolation | null> = { connections: null, subscriptions: null };

  /** The last samples, described, for a violation's trail. */
  private readonly recent: string[] = [];
  private readonly lastFleet: Record<Figure, number> = { connections: -1, subscriptions: -1 };
  /** When the fleet's figure took its current value (the sample that first showed it). */
  private readonly changedAt: Record<Figure, number> = { connections: 0, subscriptions: 0 };

  constructor(private readonly startedAt: number) {}

  /** One second's comparison; `now` is when both figures were read; `detail` describes the console's side. */
  sample(now: number, figures: Record<Figure, FigurePair>, detail = ''): void {
    this.samples++;
    this.recent.push(`+${((now - this.startedAt) / 1000).toFixed(1)} s fleet ${figures.connections.fleet}/${figures.subscriptions.fleet}: ${detail}`);
    if (this.recent.length > TRAIL_LENGTH) this.recent.shift();
    let mismatched = false;
    for (const figure of ['connections', 'subscriptions'] as const) {
      const { fleet, console } = figures[figure];
      if (fleet !== this.lastFleet[figure]) {
        this.lastFleet[figure] = fleet;
        this.changedAt[figure] = now;
      }
      if (fleet === console) {
        this.close(figure, now);
        continue;
      }
      mismatched = true;
      const since = (this.openSince[figure] ??= now);
      this.longestMs = Math.max(this.longestMs, now - since);
      const flagged = this.flagged[figure];
      if (flagged) {
        flagged.forMs = now - flagged.sinceMs - this.startedAt;
        if (flagged.trail.length < TRAIL_LENGTH * 2) flagged.trail.push(this.recent[this.recent.length - 1]!);
      } else if (now - this.changedAt[figure] > TOLERANCE_MS) {
        const v: ConsoleViolation = { figure, sinceMs: this.changedAt[figure] - this.startedAt, forMs: now - this.changedAt[figure], fleet, console, trail: [...this.recent] };
        this.violations.push(v);
        this.flagged[figure] = v;
      }
    }
    if (mismatched) this.mismatchedSamples++;
  }

  private close(figure: Figure, now: number): void {
    const since = this.openSince[figure];
    if (since === null) return;
    this.longestMs = Math.max(this.longestMs, now - since);
    const flagged = this.flagged[figure];
    if (flagged) flagged.forMs = now - flagged.sinceMs - this.startedAt;
    this.openSince[figure] = null;
    this.flagged[figure] = null;
  }
}
