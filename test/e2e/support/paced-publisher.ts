/**
 * A paced load on one channel through the server HTTP API: every TICK_MS one `batch` request of
 * publish commands (parallel), so that `perSecond` publications a second reach the broker with
 * few HTTP requests. Bounded: at most MAX_IN_FLIGHT requests at once, at most `maxMs` of running,
 * and `stop()` waits for what is in flight. Reports the rate it really achieved.
 */
import type { TestCluster } from '../../support/test-cluster.js';
import type { Json } from '../../../shared/protocol/client-protocol.js';

const TICK_MS = 100;
const MAX_IN_FLIGHT = 8;

export class PacedPublisher {
  published = 0;
  errors = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<void>>();
  private startedAt = 0;
  private stoppedAt = 0;
  private seq = 0;

  constructor(
    private readonly cluster: TestCluster,
    private readonly channel: string,
    private readonly perSecond: number,
    private readonly data: (n: number) => Json,
    private readonly maxMs = 90_000,
  ) {}

  start(): void {
    this.startedAt = Date.now();
    const perTick = Math.max(1, Math.round((this.perSecond * TICK_MS) / 1000));
    this.timer = setInterval(() => {
      if (Date.now() - this.startedAt > this.maxMs) return void this.halt();
      if (this.inFlight.size >= MAX_IN_FLIGHT) return; // the server is behind: the achieved rate says so
      const commands = Array.from({ length: perTick }, () => ({ publish: { channel: this.channel, data: this.data(++this.seq) } }));
      const sent = this.send(commands).finally(() => this.inFlight.delete(sent));
      this.inFlight.add(sent);
    }, TICK_MS);
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<void> {
    this.halt();
    await Promise.all([...this.inFlight]);
  }

  /** Publications per second accepted so far (up to the stop). */
  get rate(): number {
    const end = this.stoppedAt || Date.now();
    return this.published / Math.max(0.001, (end - this.startedAt) / 1000);
  }

  private halt(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stoppedAt ||= Date.now();
  }

  private async send(commands: unknown[]): Promise<void> {
    try {
      const res = await this.cluster.api('batch', { commands, parallel: true });
      const replies = (res.body as { replies?: { publish?: unknown }[] } | undefined)?.replies ?? [];
      const ok = replies.filter((r) => r.publish !== undefined).length;
      this.published += ok;
      this.errors += commands.length - ok;
    } catch {
      this.errors += commands.length;
    }
  }
}
