/**
 * redis-server restarted under a publication stream (issue 10 §2, "Redis restart or failover"): a
 * cluster on a redis-server the test starts, real `centrifuge` clients subscribed with recovery to a
 * history channel, a backend publishing through the HTTP API all along. Some clients stay connected
 * through the outage; others lose their connection when Redis goes down and come back after it is up.
 *
 * Without persistence Redis comes back empty: the channel has a new epoch, so every client is told
 * `recovered: false` and gets nothing of the old epoch. With AOF (appendfsync always) it comes back
 * with every acknowledged write: epochs are kept and the clients recover everything, exactly once.
 * Either way no process dies, and a publish during the outage fails at once with an error.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Subscription } from 'centrifuge';
import { connectClient } from './support/real-clients.js';
import { CLIENT_OPTIONS, StreamRecorder, SUB_OPTIONS, describeTimes, faultClusterOptions, range } from './support/publish-stream.js';
import { startRedis } from './support/redis-server.js';
import type { RunningRedis } from './support/redis-server.js';
import { Publisher, captureStderr } from './support/attempt-publisher.js';
import { alive, sleep, startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const STAYERS = 3;
const RETURNERS = 3;
const BEFORE_DOWN = 20;
const OUTAGE_MS = 1_500;
/** Accepted publications after Redis is back, before the returners reconnect, and after. */
const WHILE_AWAY = 15;
const AFTER_RETURN = 20;
/** A generous bound on one publish answered while Redis is down (the promise: fail fast, never hang). */
const FAIL_FAST_MS = 2_000;

interface Run {
  channel: string;
  redis: RunningRedis;
  publisher: Publisher;
  stayers: StreamRecorder[];
  returners: StreamRecorder[];
  pidsBefore: number[];
  pidsAfter: number[];
  /** Redis went down, was ready again, the returners reconnected. */
  downAt: number;
  upAt: number;
  returnedAt: number;
  /** Publications before the outage (their epoch and last seq). */
  oldEpoch: string;
  lastBeforeDown: number;
  /** A client publish during the outage: how it failed, and how long it took. */
  clientPublish: { code: number | undefined; ms: number };
  stderr: string[];
}

/**
 * The stream, the outage and the return on a fresh cluster: returns what happened once every client
 * had time to settle. The caller checks it.
 */
async function restartUnderStream(cluster: TestCluster, redis: RunningRedis, channel: string, probeChannel: string): Promise<Run> {
  const recorders = await Promise.all(range(1, STAYERS + RETURNERS).map((i) =>
    StreamRecorder.start(cluster, `user-${i}`, channel, { client: CLIENT_OPTIONS, sub: SUB_OPTIONS })));
  const stayers = recorders.slice(0, STAYERS);
  const returners = recorders.slice(STAYERS);
  const probe = await connectClient(cluster, 'prober', CLIENT_OPTIONS);
  const probeSub: Subscription = probe.client.newSubscription(probeChannel);
  probeSub.subscribe();
  await probeSub.ready(5000);

  const publisher = new Publisher(cluster, channel, { everyMs: 20, max: 2_000, deadlineMs: 40_000 });
  const stderr = captureStderr();
  try {
    await publisher.waitAccepted(BEFORE_DOWN, 0);
    const lastBeforeDown = publisher.accepted.at(-1)!.seq;
    await waitFor(() => recorders.every((r) => r.seqs.includes(lastBeforeDown)), { timeoutMs: 5000, what: 'the stream at every client' });
    const oldEpoch = publisher.accepted[0]!.epoch!;
    const pidsBefore = cluster.pids();

    const downAt = Date.now();
    for (const r of returners) r.client.disconnect();
    await redis.down('graceful');
    const probeStarted = Date.now();
    const clientPublish = await probeSub.publish({ probe: 1 }).then(
      () => ({ code: undefined, ms: Date.now() - probeStarted }),
      (e: { code?: number }) => ({ code: e.code, ms: Date.now() - probeStarted }),
    );
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    await redis.up();
    const upAt = Date.now();

    await publisher.waitAccepted(WHILE_AWAY, upAt);
    const returnedAt = Date.now();
    for (const r of returners) r.client.connect();
    await publisher.waitAccepted(AFTER_RETURN, returnedAt);
    await publisher.stop();
    const top = publisher.accepted.at(-1)!.seq;
    // Bounded: a client that never gets there fails the checks, not this wait.
    await waitFor(() => recorders.every((r) => r.seqs.includes(top)) && returners.every((r) => r.subscribedAfter(returnedAt).length > 0), {
      timeoutMs: 10_000, what: 'every client back on the stream',
    }).catch(() => undefined);
    await sleep(300); // room for a late duplicate to show
    probe.client.disconnect();
    return {
      channel, redis, publisher, stayers, returners, pidsBefore, pidsAfter: cluster.pids(),
      downAt, upAt, returnedAt, oldEpoch, lastBeforeDown, clientPublish, stderr: stderr.lines,
    };
  } finally {
    stderr.restore();
    await publisher.stop();
  }
}

/** What every run must show: no process died, and each publish during the outage failed fast with an error. */
function checkOutage(run: Run, label: string): void {
  assert.deepEqual(run.pidsAfter, run.pidsBefore, 'the same node processes before and after');
  assert.ok(run.pidsAfter.every(alive), 'every node process alive');

  const failed = run.publisher.failedBetween(run.downAt, run.upAt);
  assert.ok(failed.length >= 5, `only ${failed.length} publishes were tried during the outage`);
  assert.deepEqual([...new Set(failed.map((a) => a.error!.code))], [100], 'the HTTP API answers error 100 (internal, temporary)');
  const slowest = Math.max(...failed.map((a) => a.ms));
  assert.ok(slowest < FAIL_FAST_MS, `a publish took ${slowest} ms to fail`);
  const { port } = run.redis;
  const named = run.stderr.filter((l) => l.includes(`redis engine: publish to "${run.channel}" failed: Redis at 127.0.0.1:${port} is unreachable`));
  assert.ok(named.length >= 1, `no log line names Redis and its address:\n${run.stderr.slice(0, 10).join('\n')}`);
  assert.equal(run.clientPublish.code, 100, `a client publish during the outage answered ${String(run.clientPublish.code)}`);
  assert.ok(run.clientPublish.ms < FAIL_FAST_MS, `a client publish took ${run.clientPublish.ms} ms to fail`);

  const firstBack = run.publisher.acceptedAfter(run.upAt)[0]!;
  console.log(`${label}: ${failed.length} HTTP API publishes failed during the outage, each in ${describeTimes(failed.map((a) => a.ms))} `
    + `(error ${failed[0]!.error!.code} "${failed[0]!.error!.message}"); a client publish failed in ${run.clientPublish.ms} ms; `
    + `the first publish accepted again started ${firstBack.startedAt - run.upAt} ms after redis-server was ready; `
    + `log: ${named[0]!.replace(/^.*?(redis engine: publish)/, '$1').replace(/ \| at .*$/, '')}`);
}

describe('redis-server restarted under a publication stream', () => {
  describe('without persistence', () => {
    let redis: RunningRedis;
    let cluster: TestCluster | undefined;
    let run: Run;

    before(async () => {
      redis = await startRedis();
      const engine = { type: 'redis' as const, redis: { address: redis.url, prefix: `t${process.pid}-${randomUUID().slice(0, 8)}` } };
      cluster = await startTestCluster({ ...faultClusterOptions({ nodes: 2, engine }), name: 'sb-restart' });
      run = await restartUnderStream(cluster, redis, 'chat:restart-empty', 'chat:restart-empty-probe');
    });
    after(async () => {
      await cluster?.stop();
      await redis.stop();
    });

    it('keeps every process alive, and fails each publish during the outage at once with an error', () => {
      checkOutage(run, 'no persistence');
    });

    it('starts a new epoch once Redis is back empty, with offsets from 1', () => {
      const after = run.publisher.acceptedAfter(run.upAt);
      assert.ok(after.every((a) => a.epoch === after[0]!.epoch), 'one epoch after the restart');
      assert.notEqual(after[0]!.epoch, run.oldEpoch);
      assert.deepEqual(after.map((a) => a.offset), range(1, after.length));
    });

    it('tells every client recovered:false and replays nothing of the old epoch, then delivers the new one from its position', () => {
      const newEpoch = run.publisher.acceptedAfter(run.upAt);
      const offsetOf = new Map(newEpoch.map((a) => [a.seq, a.offset!]));
      const top = newEpoch.at(-1)!.offset!;
      const times: number[] = [];
      for (const r of [...run.stayers, ...run.returners]) {
        // The first subscribe after the restart learns the new epoch; a later one (a node that saw a
        // position ahead of its own) recovers within it.
        const again = r.subscribed.filter((s) => s.at >= run.downAt);
        assert.ok(again.length >= 1, `${r.user}: not subscribed again after the restart`);
        const ctx = again[0]!.ctx;
        assert.deepEqual({ wasRecovering: ctx.wasRecovering, recovered: ctx.recovered }, { wasRecovering: true, recovered: false }, r.user);
        assert.notEqual(ctx.streamPosition?.epoch, run.oldEpoch, `${r.user}: subscribed again under the old epoch`);
        for (const later of again.slice(1)) {
          assert.deepEqual({ recovered: later.ctx.recovered, epoch: later.ctx.streamPosition?.epoch }, { recovered: true, epoch: ctx.streamPosition?.epoch }, r.user);
        }
        times.push(again[0]!.at - (run.returners.includes(r) ? run.returnedAt : run.upAt));

        const seqs = r.seqs;
        assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!), `${r.user}: duplicated or out of order: ${seqs.join(',')}`);
        const oldAfterRestart = r.received.filter((p) => p.at >= run.upAt && !offsetOf.has(p.seq));
        assert.deepEqual(oldAfterRestart.map((p) => p.seq), [], `${r.user}: got publications of the old epoch after the restart`);
        const fresh = r.received.filter((p) => offsetOf.has(p.seq));
        assert.deepEqual(fresh.map((p) => p.offset), range(ctx.streamPosition!.offset + 1, top), `${r.user}: the new epoch from its position on`);
        assert.deepEqual(fresh.map((p) => p.offset), fresh.map((p) => offsetOf.get(p.seq)), `${r.user}: offsets as the publisher got them`);
      }
      console.log(`no persistence: subscribed again with recovered:false — the ${STAYERS} connected clients ${describeTimes(times.slice(0, STAYERS))} after redis-server was ready, `
        + `the ${RETURNERS} reconnecting ones ${describeTimes(times.slice(STAYERS))} after their connect()`);
    });
  });

  describe('with AOF (appendfsync always)', () => {
    let redis: RunningRedis;
    let cluster: TestCluster | undefined;
    let run: Run;

    before(async () => {
      redis = await startRedis({ persistence: 'aof' });
      const engine = { type: 'redis' as const, redis: { address: redis.url, prefix: `t${process.pid}-${randomUUID().slice(0, 8)}` } };
      cluster = await startTestCluster({ ...faultClusterOptions({ nodes: 2, engine }), name: 'sb-restart-aof' });
      run = await restartUnderStream(cluster, redis, 'chat:restart-aof', 'chat:restart-aof-probe');
    });
    after(async () => {
      await cluster?.stop();
      await redis.stop();
    });

    it('keeps every process alive, and fails each publish during the outage at once with an error', () => {
      checkOutage(run, 'AOF');
    });

    it('keeps the epoch, and offsets go on where they stopped', () => {
      const accepted = run.publisher.accepted;
      assert.deepEqual([...new Set(accepted.map((a) => a.epoch))], [run.oldEpoch]);
      const offsets = accepted.map((a) => a.offset!);
      assert.ok(offsets.every((o, i) => i === 0 || o > offsets[i - 1]!), `offsets ${offsets.join(',')}`);
    });

    it('gives every client each accepted publication exactly once and in order, those that reconnected with recovered:true', () => {
      const accepted = run.publisher.accepted;
      const top = accepted.at(-1)!.offset!;
      const offsetOf = new Map(accepted.map((a) => [a.seq, a.offset!]));
      // A publish in flight while Redis was shutting down (it flushes the AOF first, for a while on a busy
      // machine) may have been written and kept without its reply reaching the publisher.
      const inFlight = new Set(run.publisher.attempts.filter((a) => a.error && a.startedAt < run.downAt + 1_000).map((a) => a.seq));
      const times: number[] = [];
      for (const r of [...run.stayers, ...run.returners]) {
        assert.deepEqual(r.received.map((p) => p.offset), range(1, top), `${r.user}: offsets 1..${top} once each, in order`);
        const missing = accepted.filter((a) => !r.seqs.includes(a.seq)).map((a) => a.seq);
        assert.deepEqual(missing, [], `${r.user}: accepted publications missing`);
        const extra = r.received.filter((p) => !offsetOf.has(p.seq) && !inFlight.has(p.seq)).map((p) => p.seq);
        assert.deepEqual(extra, [], `${r.user}: publications nobody published`);
        assert.ok(r.received.every((p) => !offsetOf.has(p.seq) || offsetOf.get(p.seq) === p.offset), `${r.user}: offsets as the publisher got them`);

        const again = r.subscribed.filter((s) => s.at >= run.downAt);
        for (const s of again) {
          assert.deepEqual({ wasRecovering: s.ctx.wasRecovering, recovered: s.ctx.recovered }, { wasRecovering: true, recovered: true }, r.user);
        }
        if (run.returners.includes(r)) {
          assert.ok(again.length >= 1, `${r.user}: not subscribed again after its reconnect`);
          times.push(again[0]!.at - run.returnedAt);
        }
      }
      const resubscribes = run.stayers.map((r) => r.subscribed.filter((s) => s.at >= run.downAt).length);
      const startedAt = new Map(run.publisher.attempts.map((a) => [a.seq, a.startedAt]));
      const replayed = run.returners.map((r) => r.received.filter((p) => p.at >= run.returnedAt && startedAt.get(p.seq)! < run.returnedAt).length);
      console.log(`AOF: the ${RETURNERS} reconnecting clients subscribed with recovered:true ${describeTimes(times)} after their connect(), `
        + `recovering ${replayed.join(', ')} publications; the connected ones resubscribed ${resubscribes.join(', ')} times (each recovered:true); `
        + `${accepted.length} publications accepted in all`);
    });
  });
});
