/**
 * A publication stream under faults: a bounded backend publisher through the HTTP API that numbers
 * its publications (`{ seq }`), and per-client recorders that keep what each real `centrifuge`
 * client saw (publications with seq, offset and time; connects, resubscribes, recoveries), with
 * an exactly-once, in-order check by seq and offset. Times are `Date.now()`: the cluster runs in
 * the test's process, so they compare with the `at` of admin events.
 *
 * Then the bench of the fault tests (`test/faults-*.test.ts`): a 3-node cluster with fast pings,
 * 15 recorders on one channel, the node a fault will hit and its clients, and the checks and the
 * report every fault shares.
 */
import assert from 'node:assert/strict';
import type { Centrifuge, Options, SubscribedContext, SubscriptionOptions } from 'centrifuge';
import type { AdminEvent, ClusterSnapshot, NodeSnapshot } from '../../shared/admin/admin-model.js';
import { defaultChannelSettings } from '../../embedded-server/index.js';
import { AdminClient } from './admin-client.js';
import { settledCounts } from './cluster-nodes.js';
import type { TestCluster, TestClusterOptions } from './test-cluster.js';
import { sleep, startTestCluster, waitFor } from './test-cluster.js';

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

// ─── The fault bench ─────────────────────────────────────────────────────────────────────────

/** The channel of the stream (namespace `chat`: force_recovery) and how many clients listen. */
export const CHANNEL = 'chat:faults';
export const CLIENTS = 15;
/** Publications before the fault, and after every affected client is back. */
export const BEFORE_FAULT = 25;
export const AFTER_BACK = 25;
export const STREAM = { everyMs: 20, max: 800, deadlineMs: 40_000 };
export const CLIENT_OPTIONS = { minReconnectDelay: 100, maxReconnectDelay: 500, maxServerPingDelay: 1000 };
export const SUB_OPTIONS = { minResubscribeDelay: 100, maxResubscribeDelay: 500 };

/**
 * Fast pings and stats; chat history long enough for a few seconds of the stream (the default 100
 * would legitimately answer recovered:false after a 3 s hang at 50 publications a second).
 */
export function faultClusterOptions(extra: TestClusterOptions = {}): TestClusterOptions {
  const channels = defaultChannelSettings();
  channels.namespaces.chat = { ...channels.namespaces.chat!, historySize: 1000 };
  return { nodes: 3, statsIntervalMs: 250, client: { pingIntervalMs: 1000, pongTimeoutMs: 500 }, channels, ...extra };
}

/** A cluster, an admin connection, the recorders, and the node the fault will hit. */
export interface Bench {
  cluster: TestCluster;
  admin: AdminClient;
  recorders: StreamRecorder[];
  victim: string;
  victimPid: number;
  /** Connections of the victim before the fault. */
  victimConnections: number;
  /** The recorders connected to the victim. */
  affected: StreamRecorder[];
  unaffected: StreamRecorder[];
}

/** Starts the bench; the node with the most clients is the victim. Stops the cluster if it fails. */
export async function setUpBench(extra: TestClusterOptions = {}): Promise<Bench> {
  const cluster = await startTestCluster(faultClusterOptions(extra));
  try {
    const admin = cluster.track(await AdminClient.connect(cluster.handle));
    const recorders = await Promise.all(range(1, CLIENTS).map((i) => StreamRecorder.start(
      cluster, `user-${i}`, CHANNEL, { client: CLIENT_OPTIONS, sub: SUB_OPTIONS },
    )));
    const counts = await settledCounts(cluster, CLIENTS);
    const [victim, victimConnections] = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a));
    const page = await admin.request('connections.query', { filter: { node: victim }, limit: 1000 });
    const onVictim = new Set(page.items.map((row) => row.client));
    const affected = recorders.filter((r) => onVictim.has(r.clientId));
    assert.equal(affected.length, victimConnections, `${victim} reports ${victimConnections} connections, the registry ${onVictim.size}`);
    const node = cluster.handle.nodes().find((n) => n.id === victim)!;
    assert.equal(node.state, 'healthy');
    const unaffected = recorders.filter((r) => !onVictim.has(r.clientId));
    return { cluster, admin, recorders, victim, victimPid: node.pid, victimConnections, affected, unaffected };
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

/**
 * Publishes a little more once every affected client is back, stops the stream and waits (bounded)
 * for every client to have it all; a loss shows in the tests, not as a timeout here. Answers the total.
 */
export async function finishStream(b: Bench, publisher: PublishStream): Promise<number> {
  await publisher.waitSent(publisher.sent + AFTER_BACK);
  publisher.stop();
  await publisher.finished;
  const total = publisher.sent;
  await waitFor(() => b.recorders.every((r) => r.hasAll(total)), { timeoutMs: 10_000, what: 'every client to have every publication' })
    .catch(() => undefined);
  await sleep(300); // room for a late duplicate to show
  return total;
}

/** The victim in every snapshot taken since `t`, oldest first. */
export function nodeSince(admin: AdminClient, node: string, t: number): (NodeSnapshot & { at: number })[] {
  return admin.snapshots
    .filter((s: ClusterSnapshot) => s.at >= t)
    .flatMap((s) => s.nodes.filter((n) => n.id === node).map((n) => ({ ...n, at: s.at })));
}

/** Consecutive duplicates removed: `healthy, hung, hung, healthy` → `healthy → hung → healthy`. */
export function statePath(states: readonly string[]): string {
  return states.filter((s, i) => i === 0 || s !== states[i - 1]).join(' → ');
}

/** Events about `node` since `t`, in order. */
export function nodeEvents(admin: AdminClient, node: string, t: number): AdminEvent[] {
  return admin.events.filter((e) => e.at >= t && 'node' in e && e.node === node).sort((a, b) => a.seq - b.seq);
}

export function eventIndex(events: readonly AdminEvent[], check: (e: AdminEvent) => boolean, what: string): number {
  const i = events.findIndex(check);
  assert.ok(i >= 0, `no ${what} event among: ${events.map((e) => e.type).join(', ')}`);
  return i;
}

/** Every client got 1..total exactly once, in order, with offsets equal to seqs. */
export function checkStreams(b: Bench, total: number): void {
  const problems = b.recorders
    .map((r) => ({ r, problem: streamProblems(r.received, total) }))
    .filter((x) => x.problem !== '')
    .map(({ r, problem }) => `${r.user}${b.affected.includes(r) ? ` (on ${b.victim})` : ''}: ${problem}`);
  assert.deepEqual(problems, [], `of ${total} publications:\n${problems.join('\n')}`);
}

/** The publisher got offsets 1..N in order. */
export function checkPublisher(publisher: PublishStream, total: number): void {
  assert.ok(total >= BEFORE_FAULT + AFTER_BACK, `only ${total} publications went out`);
  assert.deepEqual(publisher.offsets, range(1, total));
}

/**
 * Clients of the other nodes kept their first connection and subscription. A server close for a
 * missed pong (3012) is let pass: with a 500 ms pong timeout it says the test's process was slow
 * to answer a ping (a loaded machine), not that the fault reached another node.
 */
export function checkUntouched(b: Bench): void {
  for (const r of b.unaffected) {
    const slow = r.reconnects.filter((x) => x.ctx.code === 3012).length;
    assert.deepEqual(r.reconnects.map((x) => x.ctx).filter((c) => c.code !== 3012), [], `${r.user} lost its connection`);
    assert.equal(r.clientIds.length, 1 + slow, `${r.user} reconnected`);
    assert.equal(r.subscribed.length, 1 + slow, `${r.user} resubscribed`);
  }
}

/**
 * Prints how long the affected clients took, from `from` (the injection), to be subscribed again
 * with recovered:true and to get the first publication sent after `healedAt` (the kill or drop
 * itself, the end of a hang or partition): the stream reaches them live again.
 */
export function reportHeal(fault: string, b: Bench, from: number, healedAt: number, publisher: PublishStream, note = ''): void {
  const recovered = b.affected.map((r) => r.recoveredAfter(from)).filter((t): t is number => t !== null).map((t) => t - from);
  const fresh = publisher.firstStartedAfter(healedAt);
  const caughtUp = fresh === null ? [] : b.affected.map((r) => r.receivedAt(fresh)).filter((t): t is number => t !== null).map((t) => t - from);
  console.log(`fault ${fault} on ${b.victim} (${b.victimConnections} of ${CLIENTS} clients), from injection: `
    + `subscribed again with recovered:true ${describeTimes(recovered)}; `
    + `got the first publication sent after the heal ${describeTimes(caughtUp)}${note ? `; ${note}` : ''}`);
}

/** Every subscribe of `r` since `t` recovered, and there was at least one. */
export function checkRecoveredSince(r: StreamRecorder, t: number): void {
  const again = r.subscribedAfter(t);
  assert.ok(again.length >= 1, `${r.user}: not subscribed again`);
  for (const ctx of again) {
    assert.deepEqual({ wasRecovering: ctx.wasRecovering, recovered: ctx.recovered }, { wasRecovering: true, recovered: true }, r.user);
  }
}
