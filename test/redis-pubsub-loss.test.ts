/**
 * A supervisor's Redis pub/sub connection killed under a publication stream (issue 10 §2,
 * `CLIENT KILL TYPE pubsub`): publications sent while it was down never reach it. The supervisor
 * notices the connection came back (an `engine.resubscribed` event), ioredis resubscribes, and
 * its nodes reconcile positions, so every client recovers what it missed: nothing lost, nothing twice.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { openAdmin, eventAfter, eventMark } from './support/admin-helpers.js';
import { CLIENT_OPTIONS, PublishStream, StreamRecorder, SUB_OPTIONS, faultClusterOptions, streamProblems } from './support/publish-stream.js';
import { startRedis } from './support/redis-server.js';
import type { RunningRedis } from './support/redis-server.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const CHANNEL = 'chat:pubsub-loss';
const CLIENTS = 5;
const BEFORE_KILL = 25;
/** Publications after the kill: the first ones go out while A's subscription is down. */
const AFTER_KILL = 5;

describe('a supervisor whose Redis pub/sub connection is killed', () => {
  let redis: RunningRedis;
  let killer: Redis | undefined;
  let a: TestCluster | undefined;
  let b: TestCluster | undefined;

  before(async () => {
    redis = await startRedis();
    killer = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await killer.connect();
    const engine = { type: 'redis' as const, redis: { address: redis.url, prefix: `t${process.pid}-${randomUUID().slice(0, 8)}` } };
    // Stats every 2 s puts the nodes' own position check 10 s apart: the recovery must come from the resubscribe.
    const options = faultClusterOptions({ nodes: 1, statsIntervalMs: 2000, engine });
    a = await startTestCluster({ ...options, name: 'sb-a' });
    b = await startTestCluster({ ...options, name: 'sb-b' });
  });
  after(async () => {
    killer?.disconnect();
    await a?.stop();
    await b?.stop();
    await redis.stop();
  });

  it('notices, resubscribes, and its clients end with every publication once and in order', async () => {
    const admin = await openAdmin(a!);
    const recorders = await Promise.all(Array.from({ length: CLIENTS }, (_, i) =>
      StreamRecorder.start(a!, `u${i}`, CHANNEL, { client: CLIENT_OPTIONS, sub: SUB_OPTIONS })));
    const publisher = new PublishStream(b!, CHANNEL, { everyMs: 20, max: 400, deadlineMs: 30_000 });
    await publisher.waitSent(BEFORE_KILL);
    await waitFor(() => recorders.every((r) => r.received.length >= BEFORE_KILL), { timeoutMs: 5000, what: 'the stream at every client' });

    const mark = eventMark(admin);
    const killed = await killer!.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    publisher.stopAt(publisher.sent + AFTER_KILL);
    assert.ok(Number(killed) >= 2, `CLIENT KILL TYPE pubsub killed ${String(killed)} connections, expected both supervisors'`);

    const event = await eventAfter(admin, mark, 'engine.resubscribed', (e) => e.supervisor === 'sb-a', 5000);
    assert.equal(event.cause, 'dropped');
    await publisher.finished;
    const total = publisher.sent;
    await waitFor(() => recorders.every((r) => r.hasAll(total)), {
      timeoutMs: 5000, what: `all ${total} publications at every client (${recorders.map((r) => r.received.length).join(', ')})`,
    });
    for (const r of recorders) assert.equal(streamProblems(r.received, total), '', `${r.user}: ${streamProblems(r.received, total)}`);
    // The nodes' reconcile healed it: each client resubscribed with recovery on its own connection.
    assert.ok(recorders.every((r) => r.clientIds.length === 1), 'a client had to reconnect');
  });
});
