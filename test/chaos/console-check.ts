/**
 * The console's figures against the fleet's own counts, once a second: connections and
 * subscriptions in the admin API's snapshot must equal what the bots count. Both sides report once
 * a second, so a mismatch is allowed for a moment after a change; one that lasts longer than
 * `TOLERANCE_MS` is a violation (issue 11 §1: "exact within 2 s of a change").
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
  /** Ms after the soak started when the mismatch began. */
  sinceMs: number;
  /** How long it lasted (to the sample that ended it, or the end of the soak). */
  forMs: number;
  /** The pair when it was flagged. */
  fleet: number;
  console: number;
}

export class ConsoleCheck {
  samples = 0;
  mismatchedSamples = 0;
  readonly violations: ConsoleViolation[] = [];
  /** The longest mismatch seen, violation or not. */
  longestMs = 0;
  private readonly openSince: Record<Figure, number | null> = { connections: null, subscriptions: null };
  private readonly flagged: Record<Figure, ConsoleViolation | null> = { connections: null, subscriptions: null };

  constructor(private readonly startedAt: number) {}

  /** One second's comparison; `now` is when both figures were read. */
  sample(now: number, figures: Record<Figure, FigurePair>): void {
    this.samples++;
    let mismatched = false;
    for (const figure of ['connections', 'subscriptions'] as const) {
      const { fleet, console } = figures[figure];
      if (fleet === console) {
        this.close(figure, now);
        continue;
      }
      mismatched = true;
      const since = (this.openSince[figure] ??= now);
      const forMs = now - since;
      this.longestMs = Math.max(this.longestMs, forMs);
      const flagged = this.flagged[figure];
      if (flagged) flagged.forMs = forMs;
      else if (forMs > TOLERANCE_MS) {
        const v: ConsoleViolation = { figure, sinceMs: since - this.startedAt, forMs, fleet, console };
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
    if (flagged) flagged.forMs = now - since;
    this.openSince[figure] = null;
    this.flagged[figure] = null;
  }
}
