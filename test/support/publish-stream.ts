/**
 * A publication stream under faults: a bounded backend publisher through the HTTP API that numbers
 * its publications (`{ seq }`), and per-client recorders that keep what each real `centrifuge`
 * client saw (publications with seq, offset and time; connects, resubscribes, recoveries), with
 * an exactly-once, in-order check by seq and offset. Times are `Date.now()`: the cluster runs in
 * the test's process, so they compare with the `at` of admin events.
 */
import assert from 'node:assert/strict';
import type { Centrifuge, Options, SubscribedContext, SubscriptionOptions } from 'centrifuge';
import type { TestCluster } from './test-cluster.js';
import { sleep, waitFor } from './test-cluster.js';

export const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** `p50 X ms / max Y ms (n)` of some durations. */
export function describeTimes(times: readonly number[]): string {
  if (times.length === 0) return 'none';
  const sorted = [...times].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(0)} ms / max ${sorted.at(-1)!.toFixed(0)} ms (${sorted.length})`;
}

export interface PublishStreamOptions {
  everyMs?: number;
  /** Hard bounds, whatever happens. */
  max?: number;
  deadlineMs?: number;
}

/** A backend publishing `{ seq }` (1, 2, …) to one channel through the HTTP API until told to stop. */
export class PublishStream {
  sent = 0;
  /** Offsets the publish replies carried, by seq − 1. */
  readonly offsets: number[] = [];
  /** When each publish request started (by seq − 1). */
  readonly startedAt: number[] = [];
  readonly finished: Promise<void>;
  private limit: number;
  private failure: unknown = null;
  private readonly everyMs: number;
  private readonly deadline: number;

  constructor(private readonly cluster: TestCluster, readonly channel: string, opts: PublishStreamOptions = {}) {
    this.everyMs = opts.everyMs ?? 20;
    this.limit = opts.max ?? 1000;
    this.deadline = Date.now() + (opts.deadlineMs ?? 30_000);
    this.finished = this.run();
    this.finished.catch((e: unknown) => {
      this.failure = e;
    });
  }

  /** Publishes no further than `seq`. */
  stopAt(seq: number): void {
    this.limit = Math.min(this.limit, seq);
  }

  /** Stops as soon as possible (the request in flight completes). */
  stop(): void {
    this.stopAt(this.sent + 1);
  }

  async waitSent(n: number, timeoutMs = 10_000): Promise<void> {
    await waitFor(() => {
      if (this.failure) throw this.failure;
      return this.sent >= n;
    }, { timeoutMs, what: `${n} publications` });
  }

  /** The first seq whose publish started at or after `t` (it reached the broker after `t`), or null. */
  firstStartedAfter(t: number): number | null {
    const i = this.startedAt.findIndex((s) => s >= t);
    return i < 0 ? null : i + 1;
  }

  private async run(): Promise<void> {
    while (this.sent < this.limit && Date.now() < this.deadline) {
      const seq = this.sent + 1;
      this.startedAt.push(Date.now());
      const res = await this.cluster.api('publish', { channel: this.channel, data: { seq } });
      assert.equal(res.status, 200, res.text);
      const offset = (res.body as { result?: { offset?: number } }).result?.offset;
      assert.equal(typeof offset, 'number', `publish reply without an offset: ${res.text}`);
      this.offsets.push(offset!);
      this.sent = seq;
      await sleep(this.everyMs);
    }
  }
}

export interface Received {
  seq: number;
  offset: number | undefined;
  at: number;
}

export interface Stamped<T> {
  at: number;
  ctx: T;
}

/** One real client subscribed to one channel, and everything it saw. */
export class StreamRecorder {
  readonly received: Received[] = [];
  /** Client id of every connection it made, in order. */
  readonly clientIds: string[] = [];
  /** Losses of an established connection (code and reason of the `connecting` event). */
  readonly reconnects: Stamped<{ code: number; reason: string }>[] = [];
  /** `subscribing` events after the first subscribe (resubscribes). */
  readonly resubscribes: Stamped<{ code: number; reason: string }>[] = [];
  readonly subscribed: Stamped<SubscribedContext>[] = [];

  private constructor(readonly user: string, readonly client: Centrifuge) {}

  static async start(
    cluster: TestCluster, user: string, channel: string,
    opts: { client?: Partial<Options>; sub?: Partial<SubscriptionOptions> } = {},
  ): Promise<StreamRecorder> {
    const client = await cluster.client(user, opts.client ?? {});
    const r = new StreamRecorder(user, client);
    client.on('connected', (ctx) => r.clientIds.push(ctx.client));
    client.on('connecting', (ctx) => {
      if (r.clientIds.length > 0) r.reconnects.push({ at: Date.now(), ctx: { code: ctx.code, reason: ctx.reason } });
    });
    const sub = client.newSubscription(channel, opts.sub ?? {});
    sub.on('subscribing', (ctx) => {
      if (r.subscribed.length > 0) r.resubscribes.push({ at: Date.now(), ctx: { code: ctx.code, reason: ctx.reason } });
    });
    sub.on('subscribed', (ctx) => r.subscribed.push({ at: Date.now(), ctx }));
    sub.on('publication', (ctx) => {
      r.received.push({ seq: (ctx.data as { seq: number }).seq, offset: ctx.offset, at: Date.now() });
    });
    client.connect();
    await client.ready(5000);
    sub.subscribe();
    await sub.ready(5000);
    return r;
  }

  /** The id of its current (latest) connection. */
  get clientId(): string {
    return this.clientIds.at(-1) ?? '';
  }

  get seqs(): number[] {
    return this.received.map((r) => r.seq);
  }

  /** Subscribed events after `t`. */
  subscribedAfter(t: number): SubscribedContext[] {
    return this.subscribed.filter((s) => s.at >= t).map((s) => s.ctx);
  }

  /** When it was first subscribed again with every missed publication recovered, after `t`. */
  recoveredAfter(t: number): number | null {
    return this.subscribed.find((s) => s.at >= t && s.ctx.wasRecovering && s.ctx.recovered)?.at ?? null;
  }

  /** When it received publication `seq` (first time), or null. */
  receivedAt(seq: number): number | null {
    return this.received.find((r) => r.seq === seq)?.at ?? null;
  }

  /** Whether it has every publication 1..total (duplicates and order aside). */
  hasAll(total: number): boolean {
    const seen = new Set(this.seqs);
    for (let seq = 1; seq <= total; seq++) if (!seen.has(seq)) return false;
    return true;
  }
}

/**
 * What is wrong with a received stream against 1..total with offsets equal to seqs (a fresh channel
 * published only by the stream): missing, duplicated and out-of-order seqs, offsets that do not
 * match; '' when it is exactly once and in order.
 */
export function streamProblems(received: readonly Received[], total: number): string {
  const problems: string[] = [];
  const counts = new Map<number, number>();
  for (const r of received) counts.set(r.seq, (counts.get(r.seq) ?? 0) + 1);
  const missing = range(1, total).filter((seq) => !counts.has(seq));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([seq, n]) => `${seq}×${n}`);
  const extra = [...counts.keys()].filter((seq) => seq < 1 || seq > total);
  if (missing.length > 0) problems.push(`missing ${short(missing)}`);
  if (duplicated.length > 0) problems.push(`duplicated ${short(duplicated)}`);
  if (extra.length > 0) problems.push(`unexpected ${short(extra)}`);
  const disorder = received.findIndex((r, i) => i > 0 && r.seq <= received[i - 1]!.seq);
  if (disorder > 0) problems.push(`out of order at #${disorder}: ${received[disorder - 1]!.seq} then ${received[disorder]!.seq}`);
  const wrongOffset = received.find((r) => r.offset !== r.seq);
  if (wrongOffset) problems.push(`seq ${wrongOffset.seq} came with offset ${wrongOffset.offset}`);
  return problems.join('; ');
}

function short(items: readonly (number | string)[]): string {
  return items.length <= 12 ? `[${items.join(', ')}]` : `[${items.slice(0, 12).join(', ')}, … ${items.length} in all]`;
}
