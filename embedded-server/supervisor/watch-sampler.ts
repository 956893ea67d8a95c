/**
 * Sampling of a watched channel's publications, per watcher: a token bucket lets at most
 * `perSecond` publications through (spread over the second, with a small burst), and every
 * publication is counted, sent or not, so each push can say how many the channel really had.
 * Pure: the caller passes the time.
 */
import type { ActivitySampling } from '../../shared/admin/admin-model.js';

/** Publications a watch carries per second at most. */
export const WATCH_PUBS_PER_SEC = 100;
/** Publications a quiet watch may send at once before the rate applies. */
export const WATCH_BURST = 20;

export class WatchSampler {
  private tokens: number;
  private refilledAt: number;
  private since: number;
  private publications = 0;
  private sent = 0;

  constructor(
    private readonly perSecond = WATCH_PUBS_PER_SEC,
    private readonly burst = WATCH_BURST,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.refilledAt = now;
    this.since = now;
  }

  /** Counts one publication; true when it is to be sent. */
  offer(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.perSecond) / 1000);
    this.refilledAt = now;
    this.publications++;
    if (this.tokens < 1) return false;
    this.tokens--;
    this.sent++;
    return true;
  }

  /** The counts since the previous take (null when there was no publication), and a new interval. */
  take(now: number): ActivitySampling | null {
    const counted = this.publications === 0 ? null
      : { ms: Math.max(0, now - this.since), publications: this.publications, sent: this.sent, limitPerSec: this.perSecond };
    this.since = now;
    this.publications = 0;
    this.sent = 0;
    return counted;
  }
}
