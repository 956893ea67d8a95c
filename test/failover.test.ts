/**
 * Failover (issue 2, "Tested by"): 30 real clients on one `chat:` channel over 3 nodes, a backend
 * publishing through the HTTP API, and the node with the most clients SIGKILLed mid-stream. The
 * scenario runs once in `before`; each test checks one promise it must have kept.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { Centrifuge, SubscribedContext } from 'centrifuge';
import { sleep, startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';
import { killNode, nodeInState, settledCounts } from './support/cluster-nodes.js';

const CHANNEL = 'chat:failover';
const CLIENTS = 30;
/** Publications before the kill, after it, and after every affected client recovered. */
const BEFORE_KILL = 40;
const AFTER_KILL = 60;
const AFTER_RECOVERY = 20;
const PUBLISH_EVERY_MS = 20;
/** Hard bounds of the publisher, whatever happens. */
const PUBLISH_MAX = 400;
const PUBLISH_DEADLINE_MS = 30_000;
const CLIENT_OPTIONS = { minReconnectDelay: 100, maxReconnectDelay: 500 };
const SUB_OPTIONS = { minResubscribeDelay: 100, maxResubscribeDelay: 500 };

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** One subscriber and everything it saw, stamped with `performance.now()`. */
class Watcher {
  readonly seqs: number[] = [];
  readonly offsets: (number | undefined)[] = [];
  /** Client id of every connection it made, in order. */
  readonly clientIds: string[] = [];
  readonly subscribed: { at: number; ctx: SubscribedContext }[] = [];
  /** When it first lost an established connection. */
  lostAt: number | null = null;

  private constructor(readonly client: Centrifuge) {}

  static async start(cluster: TestCluster, user: string): Promise<Watcher> {
    const client = await cluster.client(user, CLIENT_OPTIONS);
    const w = new Watcher(client);
    client.on('connected', (ctx) => w.clientIds.push(ctx.client));
    client.on('connecting', () => {
      if (w.clientIds.length > 0) w.lostAt ??= performance.now();
    });
    const sub = client.newSubscription(CHANNEL, SUB_OPTIONS);
    sub.on('subscribed', (ctx) => w.subscribed.push({ at: performance.now(), ctx }));
    sub.on('publication', (ctx) => {
      w.seqs.push((ctx.data as { seq: number }).seq);
      w.offsets.push(ctx.offset);
    });
    client.connect();
    await client.ready(5000);
    sub.subscribe();
    await sub.ready(5000);
    return w;
  }

  /** Subscribed events after `t`. */
  since(t: number): SubscribedContext[] {
    return this.subscribed.filter((s) => s.at > t).map((s) => s.ctx);
  }

  /** When it was first subscribed again with every missed publication recovered, after `t`. */
  recoveredAfter(t: number): number | null {
    return this.subscribed.find((s) => s.at > t && s.ctx.wasRecovering && s.ctx.recovered)?.at ?? null;
  }
}

/** A backend publishing `{ seq }` through the HTTP API every few ms until told to stop. */
class Publisher {
  sent = 0;
  readonly offsets: number[] = [];
  readonly finished: Promise<void>;
  private limit = PUBLISH_MAX;
  private failure: unknown = null;

  constructor(private readonly cluster: TestCluster) {
    this.finished = this.run();
    this.finished.catch((e: unknown) => {
      this.failure = e;
    });
  }

  /** Publishes no further than `seq`. */
  stopAt(seq: number): void {
    this.limit = Math.min(this.limit, seq);
  }

  async waitSent(n: number, timeoutMs = 10_000): Promise<void> {
    await waitFor(() => {
      if (this.failure) throw this.failure;
      return this.sent >= n;
    }, { timeoutMs, what: `${n} publications` });
  }

  private async run(): Promise<void> {
    const deadline = Date.now() + PUBLISH_DEADLINE_MS;
    while (this.sent < this.limit && Date.now() < deadline) {
      const seq = this.sent + 1;
      const res = await this.cluster.api('publish', { channel: CHANNEL, data: { seq } });
      assert.equal(res.status, 200, res.text);
      const offset = (res.body as { result?: { offset?: number } }).result?.offset;
      assert.equal(typeof offset, 'number', `publish reply without an offset: ${res.text}`);
      this.offsets.push(offset!);
      this.sent = seq;
      await sleep(PUBLISH_EVERY_MS);
    }
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('failover when the node with the most clients is SIGKILLed during a publication stream', () => {
  let cluster: TestCluster;
  let watchers: Watcher[];
  let victim: string;
  let victimClients: number;
  let victimPid: number;
  let killedAt: number;
  let total: number;
  let publisherOffsets: number[];

  before(async () => {
    cluster = await startTestCluster();
    watchers = await Promise.all(range(1, CLIENTS).map((i) => Watcher.start(cluster, `user-${i}`)));
    const counts = await settledCounts(cluster, CLIENTS);
    [victim, victimClients] = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a));
    const publisher = new Publisher(cluster);
    await publisher.waitSent(BEFORE_KILL);
    killedAt = performance.now();
    victimPid = killNode(cluster, victim);
    await publisher.waitSent(publisher.sent + AFTER_KILL);
    const affected = watchers.filter((w) => w.lostAt !== null);
    await waitFor(() => affected.every((w) => w.recoveredAfter(killedAt) !== null), {
      timeoutMs: 10_000, what: 'the clients of the killed node to recover',
    });
    publisher.stopAt(publisher.sent + AFTER_RECOVERY);
    await publisher.finished;
    total = publisher.sent;
    publisherOffsets = publisher.offsets;
    await waitFor(() => watchers.every((w) => w.seqs.length >= total), { timeoutMs: 10_000, what: 'every client to get every publication' });

    const times = affected.map((w) => w.recoveredAfter(killedAt)! - killedAt).sort((a, b) => a - b);
    const replayed = affected.filter((w) => w.since(killedAt).some((ctx) => ctx.hasRecoveredPublications)).length;
    console.log(`failover: ${times.length} clients back and recovered in p50 ${percentile(times, 50).toFixed(0)} ms / max ${times.at(-1)?.toFixed(0)} ms`
      + ` (${victim} had ${victimClients} of ${CLIENTS}; ${replayed} got missed publications replayed; ${total} publications, one every ${PUBLISH_EVERY_MS} ms)`);
  });
  after(() => cluster?.stop());

  it('published the whole stream, with offsets 1..N in order', () => {
    assert.ok(total >= BEFORE_KILL + AFTER_KILL + AFTER_RECOVERY, `only ${total} publications went out`);
    assert.deepEqual(publisherOffsets, range(1, total));
  });

  it('delivers every publication to every client exactly once and in order', () => {
    for (const [i, w] of watchers.entries()) {
      assert.deepEqual(w.seqs, range(1, total), `client ${i + 1} publications`);
      assert.deepEqual(w.offsets, range(1, total), `client ${i + 1} offsets`);
    }
  });

  it('reconnects exactly the clients of the killed node, each with wasRecovering and recovered true', () => {
    const affected = watchers.filter((w) => w.lostAt !== null);
    assert.equal(affected.length, victimClients, `${victim} had ${victimClients} clients`);
    for (const w of affected) {
      const after = w.since(killedAt);
      assert.ok(after.length >= 1, 'no subscribed event after the kill');
      for (const ctx of after) assert.deepEqual({ wasRecovering: ctx.wasRecovering, recovered: ctx.recovered }, { wasRecovering: true, recovered: true });
      assert.ok(w.clientIds.length >= 2, 'a client of the killed node never connected again');
    }
  });

  it('keeps the clients of the surviving nodes on their first connection and subscription', () => {
    for (const w of watchers.filter((x) => x.lostAt === null)) {
      assert.equal(w.clientIds.length, 1);
      assert.equal(w.subscribed.length, 1);
    }
  });

  it('restarts the killed node as a new process that becomes healthy', async () => {
    const node = await nodeInState(cluster, victim, 'healthy', { notPid: victimPid });
    assert.notEqual(node.pid, victimPid);
  });

  it("drops the dead connections' client ids from the channel's presence", async () => {
    const current = watchers.map((w) => w.clientIds.at(-1)!).sort();
    const dead = watchers.filter((w) => w.lostAt !== null).map((w) => w.clientIds[0]!);
    let present: string[] = [];
    await waitFor(async () => {
      const res = await cluster.api('presence', { channel: CHANNEL });
      assert.equal(res.status, 200, res.text);
      present = Object.keys((res.body as { result: { presence: Record<string, unknown> } }).result.presence).sort();
      return present.length === CLIENTS;
    }, { timeoutMs: 5000, what: `${CLIENTS} clients in presence` });
    assert.deepEqual(present, current);
    for (const id of dead) assert.ok(!present.includes(id), `dead client ${id} is still present`);
  });
});
