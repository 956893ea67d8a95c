/**
 * A Redis Sentinel failover under a publication stream (issue 10 §2, "Redis restart or failover"):
 * a master redis-server, a replica of it (`--replicaof`) and two sentinels watching them, all
 * started by the test on free ports; a cluster whose engine finds the master through the sentinels;
 * real `centrifuge` clients subscribed with recovery to a history channel; a backend publishing
 * through the HTTP API all along. The master is SIGKILLed; the sentinels promote the replica.
 *
 * The cluster must follow the sentinels to the promoted replica and publish again, no process dying,
 * each publish during the switch failing at once with an error. The promoted replica may lack the
 * master's last acknowledged writes, so every channel moves to a new epoch (redis-generation.ts:
 * `master_replid2` is set on a promoted replica): each client then has either every publication
 * exactly once and in order, or an explicit `recovered: false` — never a silent hole.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createRedisEngine } from '../embedded-server/index.js';
import { AdminClient } from './support/admin-client.js';
import { freePort } from './support/free-port.js';
import { Publisher, captureStderr } from './support/attempt-publisher.js';
import { CLIENT_OPTIONS, StreamRecorder, SUB_OPTIONS, describeTimes, faultClusterOptions, range } from './support/publish-stream.js';
import { startRedis, startSentinel } from './support/redis-server.js';
import type { RunningRedis, RunningSentinel } from './support/redis-server.js';
import { alive, sleep, startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const MASTER_NAME = 'sbmaster';
const CHANNEL = 'chat:sentinel';
const CLIENTS = 4;
const BEFORE_KILL = 20;
const AFTER_FAILOVER = 20;
/** A generous bound on one publish answered while there is no master (the promise: fail fast, never hang). */
const FAIL_FAST_MS = 2_000;
/** Ends the wait for the first publish on the promoted replica (down-after 1 s + election + promotion + reconnect, on a busy machine). */
const FAILOVER_WAIT_MS = 30_000;

/** `SENTINEL <sub> <args>` on one sentinel, over a short-lived connection. */
async function askSentinel(s: RunningSentinel, ...args: string[]): Promise<unknown> {
  const conn = new Redis({ host: '127.0.0.1', port: s.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  conn.on('error', () => undefined);
  try {
    await conn.connect();
    return await conn.call('SENTINEL', ...args);
  } finally {
    conn.disconnect();
  }
}

/** A flat `[k1, v1, k2, v2, …]` reply as a map. */
const fields = (flat: unknown): Map<string, string> => {
  const list = flat as string[];
  const m = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) m.set(list[i]!, list[i + 1]!);
  return m;
};

describe('a Redis Sentinel failover under a publication stream', () => {
  let master: RunningRedis | undefined;
  let replica: RunningRedis | undefined;
  const sentinels: RunningSentinel[] = [];
  let cluster: TestCluster | undefined;
  let admin: AdminClient | undefined;
  let publisher: Publisher | undefined;
  let recorders: StreamRecorder[] = [];
  let stderr: string[] = [];
  let pidsBefore: number[] = [];
  let pidsAfter: number[] = [];
  let addressBefore = '';
  let addressAfter = '';
  let oldEpoch = '';
  /** SIGKILL sent to the master; the master gone; the first publish accepted on the promoted replica (its reply). */
  let killAt = 0;
  let deadAt = 0;
  let firstBackAt = 0;
  let firstBackStartedAt = 0;

  before(async () => {
    master = await startRedis();
    replica = await startRedis({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    for (let i = 0; i < 2; i++) sentinels.push(await startSentinel({ masterName: MASTER_NAME, masterPort: master.port, downAfterMs: 1_000, failoverTimeoutMs: 3_000 }));
    // A failover needs a replica the sentinels know and see in sync.
    await waitFor(async () => {
      const replicas = await Promise.all(sentinels.map((s) => askSentinel(s, 'REPLICAS', MASTER_NAME).catch(() => [])));
      return replicas.every((list) => (list as unknown[]).some((r) => fields(r).get('master-link-status') === 'ok'));
    }, { timeoutMs: 20_000, what: 'every sentinel to see the replica in sync' });

    const engine = {
      type: 'redis' as const,
      redis: {
        address: 'redis://127.0.0.1:6379', // the default the config resolver fills in; unused with Sentinel
        prefix: `t${process.pid}-${randomUUID().slice(0, 8)}`,
        sentinel: { addresses: sentinels.map((s) => s.address), masterName: MASTER_NAME },
      },
    };
    cluster = await startTestCluster({ ...faultClusterOptions({ nodes: 2, engine }), name: 'sb-sentinel' });
    admin = cluster.track(await AdminClient.connect(cluster.handle));
    addressBefore = admin.snapshot.engine?.address ?? '';

    recorders = await Promise.all(range(1, CLIENTS).map((i) =>
      StreamRecorder.start(cluster!, `user-${i}`, CHANNEL, { client: CLIENT_OPTIONS, sub: SUB_OPTIONS })));
    publisher = new Publisher(cluster, CHANNEL, { everyMs: 20, max: 3_000, deadlineMs: 60_000 });
    const capture = captureStderr();
    try {
      await publisher.waitAccepted(BEFORE_KILL, 0);
      const lastBefore = publisher.accepted.at(-1)!.seq;
      await waitFor(() => recorders.every((r) => r.seqs.includes(lastBefore)), { timeoutMs: 5000, what: 'the stream at every client' });
      oldEpoch = publisher.accepted[0]!.epoch!;
      pidsBefore = cluster.pids();

      killAt = Date.now();
      await master.down('crash');
      deadAt = Date.now();
      await waitFor(() => publisher!.acceptedAfter(deadAt).length > 0, { timeoutMs: FAILOVER_WAIT_MS, what: 'a publish accepted on the promoted replica' });
      const firstBack = publisher.acceptedAfter(deadAt)[0]!;
      firstBackStartedAt = firstBack.startedAt;
      firstBackAt = firstBack.startedAt + firstBack.ms;
      await publisher.waitAccepted(AFTER_FAILOVER, firstBackStartedAt);
      await publisher.stop();
      const top = publisher.accepted.at(-1)!.seq;
      // Bounded: a client that never gets there fails the checks, not this wait.
      await waitFor(() => recorders.every((r) => r.seqs.includes(top)), { timeoutMs: 10_000, what: 'every client at the top' }).catch(() => undefined);
      await sleep(300); // room for a late duplicate to show
      addressAfter = admin.snapshots.at(-1)?.engine?.address ?? '';
      pidsAfter = cluster.pids();
    } finally {
      capture.restore();
      stderr = capture.lines;
      await publisher.stop();
    }
  });

  after(async () => {
    await publisher?.stop();
    await cluster?.stop();
    for (const s of sentinels) await s.stop();
    await replica?.stop();
    await master?.stop();
  });

  it('keeps every process alive, and fails each publish during the switch at once with an error naming the master', () => {
    assert.deepEqual(pidsAfter, pidsBefore, 'the same node processes before and after');
    assert.ok(pidsAfter.every(alive), 'every node process alive');
    assert.ok(cluster!.handle.nodes().length === 2);

    const failed = publisher!.failedBetween(deadAt, firstBackStartedAt);
    assert.ok(failed.length >= 5, `only ${failed.length} publishes were tried during the switch`);
    assert.deepEqual([...new Set(failed.map((a) => a.error!.code))], [100], 'the HTTP API answers error 100 (internal, temporary)');
    const slowest = Math.max(...failed.map((a) => a.ms));
    assert.ok(slowest < FAIL_FAST_MS, `a publish took ${slowest} ms to fail`);
    const named = stderr.filter((l) => l.includes(`redis engine: publish to "${CHANNEL}" failed: Redis master "${MASTER_NAME}" (from sentinels) is unreachable`));
    assert.ok(named.length >= 1, `no log line names the master:\n${stderr.slice(0, 10).join('\n')}`);
    console.log(`sentinel failover: ${failed.length} publishes failed during the switch, each in ${describeTimes(failed.map((a) => a.ms))} `
      + `(error ${failed[0]!.error!.code} "${failed[0]!.error!.message}"); the first publish accepted on the promoted replica answered `
      + `${firstBackAt - killAt} ms after the master was SIGKILLed`);
  });

  it('follows the sentinels to the promoted replica, as the engine tile shows (sentinels and master name, no credentials)', () => {
    const sentinelList = sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
    assert.equal(addressBefore, `sentinel ${sentinelList} master "${MASTER_NAME}" at 127.0.0.1:${master!.port}`);
    assert.equal(addressAfter, `sentinel ${sentinelList} master "${MASTER_NAME}" at 127.0.0.1:${replica!.port}`);
  });

  it('moves the channel to a new epoch, because the promoted replica may lack acknowledged writes', () => {
    const after = publisher!.acceptedAfter(deadAt);
    assert.ok(after.length >= AFTER_FAILOVER);
    assert.deepEqual([...new Set(after.map((a) => a.epoch))].length, 1, 'one epoch after the failover');
    assert.notEqual(after[0]!.epoch, oldEpoch);
    const offsets = after.map((a) => a.offset!);
    assert.ok(offsets.every((o, i) => i === 0 || o === offsets[i - 1]! + 1), `offsets ${offsets.join(',')}`);
    assert.ok(stderr.some((l) => /a replica of the server recorded before was promoted .*every channel starts a new epoch/.test(l)),
      `no log line tells of the promotion:\n${stderr.filter((l) => l.includes('redis engine')).slice(0, 10).join('\n')}`);
  });

  it('gives every client each publication exactly once and in order, or an explicit recovered:false — never a silent hole', () => {
    const accepted = publisher!.accepted;
    const newEpoch = publisher!.acceptedAfter(deadAt)[0]!.epoch!;
    const offsetInNew = new Map(accepted.filter((a) => a.epoch === newEpoch).map((a) => [a.seq, a.offset!]));
    const topNew = Math.max(...offsetInNew.values());
    // A publish in flight when the master died may have reached it without its reply reaching the publisher.
    const inFlight = new Set(publisher!.attempts.filter((a) => a.error && a.startedAt < deadAt).map((a) => a.seq));
    const toldLost: number[] = [];
    for (const r of recorders) {
      const seqs = r.seqs;
      assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!), `${r.user}: duplicated or out of order: ${seqs.join(',')}`);
      const extra = seqs.filter((s) => !accepted.some((a) => a.seq === s) && !inFlight.has(s));
      assert.deepEqual(extra, [], `${r.user}: publications nobody published`);

      const again = r.subscribed.filter((s) => s.at >= killAt);
      const lost = again.find((s) => !s.ctx.recovered);
      if (lost === undefined) {
        // No recovered:false: then nothing may be missing.
        const missing = accepted.filter((a) => !seqs.includes(a.seq)).map((a) => a.seq);
        assert.deepEqual(missing, [], `${r.user}: a silent hole (never told recovered:false)`);
        continue;
      }
      toldLost.push(lost.at - firstBackAt);
      assert.equal(lost.ctx.wasRecovering, true, `${r.user}: recovered:false without having asked to recover`);
      assert.equal(lost.ctx.streamPosition?.epoch, newEpoch, `${r.user}: told recovered:false under the old epoch`);
      // From its new position on, every publication of the new epoch, once, in order.
      const from = lost.ctx.streamPosition!.offset;
      const fresh = r.received.filter((p) => p.at >= lost.at && offsetInNew.has(p.seq));
      assert.deepEqual(fresh.map((p) => p.offset), range(from + 1, topNew), `${r.user}: the new epoch from offset ${from + 1}`);
      assert.deepEqual(fresh.map((p) => p.offset), fresh.map((p) => offsetInNew.get(p.seq)), `${r.user}: offsets as the publisher got them`);
      for (const later of again.filter((s) => s.at > lost.at)) {
        assert.deepEqual({ recovered: later.ctx.recovered, epoch: later.ctx.streamPosition?.epoch }, { recovered: true, epoch: newEpoch }, r.user);
      }
    }
    console.log(`sentinel failover: ${toldLost.length} of ${recorders.length} clients told recovered:false `
      + `(${describeTimes(toldLost)} after the first publish on the promoted replica), the others had every publication`);
  });
  it('refuses to start, saying so, when no sentinel knows the master name or none answers', async () => {
    const sentinel = { addresses: sentinels.map((s) => s.address), masterName: 'nosuchmaster' };
    await assert.rejects(createRedisEngine({ sentinel, log: () => undefined }),
      new RegExp(`cannot connect to sentinel .* master "nosuchmaster": no sentinel named a master: sentinel 127\\.0\\.0\\.1:${sentinels[0]!.port} knows no master named "nosuchmaster"`));
    const nobody = await freePort();
    await assert.rejects(createRedisEngine({ sentinel: { addresses: [{ host: '127.0.0.1', port: nobody }], masterName: MASTER_NAME }, log: () => undefined }),
      new RegExp(`cannot connect to sentinel 127\\.0\\.0\\.1:${nobody} master "${MASTER_NAME}": no sentinel named a master: sentinel 127\\.0\\.0\\.1:${nobody} is unreachable`));
  });
});
