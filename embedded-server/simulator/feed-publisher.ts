/**
 * The feed profile's backend: publishes to every feed channel through the server HTTP API
 * (PROTOCOL.md §10, `POST /api/publish` with X-API-Key) at the set rate, as an application server
 * would. Bounded: a capped number of requests in flight, and `stop()` aborts what is left.
 */
import { messageData, monotonicMicros } from './bot-frames.js';
import type { BotTallies, SimTarget } from './sim-ipc.js';

const TICK_MS = 50;
const MAX_IN_FLIGHT = 64;
/** The publisher that represents "the backend" in payloads (bots have indices ≥ 0). */
const BACKEND = -1;

export class FeedPublisher {
  private timer: NodeJS.Timeout | null = null;
  private credit = 0;
  private next = 0;
  private seq = 0;
  private inFlight = 0;
  private lastTick = 0;
  private readonly abort = new AbortController();
  private idle: (() => void) | null = null;

  constructor(
    private readonly target: SimTarget,
    private readonly channels: string[],
    /** Publications per second per channel. */
    private readonly rate: number,
    private readonly tallies: BotTallies,
  ) {}

  start(): void {
    if (this.timer !== null || this.rate <= 0) return;
    this.lastTick = Date.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Stops publishing; waits (up to `graceMs`) for requests in flight, then aborts them. */
  async stop(graceMs = 3_000): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.inFlight === 0) return;
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (this.idle = resolve)),
      new Promise<void>((resolve) => (grace = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(grace);
    this.abort.abort();
  }

  private tick(): void {
    const now = Date.now();
    const perSecond = this.rate * this.channels.length;
    // At most a second's worth is owed: a stalled server is not flooded afterwards.
    this.credit = Math.min(perSecond, this.credit + (perSecond * (now - this.lastTick)) / 1000);
    this.lastTick = now;
    while (this.credit >= 1 && this.inFlight < MAX_IN_FLIGHT) {
      this.credit--;
      const channel = this.channels[this.next]!;
      this.next = (this.next + 1) % this.channels.length;
      void this.publish(channel);
    }
  }

  private async publish(channel: string): Promise<void> {
    this.inFlight++;
    const data = messageData(monotonicMicros(), BACKEND, ++this.seq, '');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.target.apiKey !== '') headers['x-api-key'] = this.target.apiKey;
    try {
      const res = await fetch(`${this.target.apiUrl.replace(/\/+$/, '')}/publish`, {
        method: 'POST', headers, body: `{"channel":${JSON.stringify(channel)},"data":${data}}`, signal: this.abort.signal,
      });
      const body = (await res.json()) as { result?: unknown };
      if (res.ok && body.result !== undefined) this.tallies.sent++;
      else this.tallies.errors++;
    } catch {
      this.tallies.errors++;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    }
  }
}
