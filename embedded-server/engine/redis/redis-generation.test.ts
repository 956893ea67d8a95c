/**
 * The Redis engine across restarts and a failover of its redis-server (redis-generation.ts): what
 * the link health says, and when the channel epochs survive — each case on a real redis-server
 * that the test stops and starts again on the same port and directory, and a real replica promoted
 * with REPLICAOF NO ONE that then takes over the address.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startRedis } from '../../../test/support/redis-server.js';
import type { RunningRedis } from '../../../test/support/redis-server.js';
import type { StreamOptions } from '../../broker/broker.js';
import type { Engine } from '../engine.js';
import { createRedisEngine, withoutCredentials } from './redis-engine.js';
import { NO_REPLID, infoFields, judge } from './redis-generation.js';
import type { GenerationRecord, ServerState } from './redis-generation.js';

const HISTORY: StreamOptions = { size: 1000, ttlMs: 60_000, metaTtlMs: 3_600_000 };

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
  return Date.now() - started;
}

/** Publishes until the engine's command connection takes it again (bounded); answers the reply. */
async function publishOnceBack(engine: Engine, data: unknown): Promise<{ offset?: number; epoch?: string }> {
  let last: unknown;
  const started = Date.now();
  while (Date.now() - started < 10_000) {
    try {
      return await engine.broker.publish('chat', data as never, { stream: HISTORY });
    } catch (e) {
      last = e;
      await sleep(50);
    }
  }
  throw new Error(`no publish accepted within 10 s: ${String(last)}`);
}

const record = (over: Partial<GenerationRecord> = {}): GenerationRecord => ({ runId: 'run-a', replid: 'repl-a', durable: false, gen: 'g1', ...over });
const server = (over: Partial<ServerState> = {}): ServerState => ({ runId: 'run-a', role: 'master', replid: 'repl-a', replid2: NO_REPLID, durable: false, ...over });

describe('redis engine generation: the rule', () => {
  it('keeps the generation while the redis-server process is the same one', () => {
    assert.equal(judge(record(), server()).keep, true);
  });

  it('keeps it across a restart of a server that fsyncs every write before acknowledging it', () => {
    assert.equal(judge(record({ durable: true }), server({ runId: 'run-b', replid: 'repl-b', durable: true })).keep, true);
  });

  it('starts a new one after a restart of a server that may come back with an older state', () => {
    const verdict = judge(record({ durable: false }), server({ runId: 'run-b', replid: 'repl-b', durable: true }));
    assert.equal(verdict.keep, false);
    assert.match(verdict.reason, /does not fsync every write/);
  });

  it('starts a new one on a promoted replica, even one whose master fsynced every write', () => {
    const verdict = judge(record({ durable: true }), server({ runId: 'run-b', replid: 'repl-b', replid2: 'repl-a', durable: true }));
    assert.equal(verdict.keep, false);
    assert.match(verdict.reason, /replica of the server recorded before was promoted/);
  });

  it('starts a new one when nothing was recorded', () => {
    assert.equal(judge(null, server()).keep, false);
  });

  it('reads INFO fields and leaves out section headers', () => {
    const fields = infoFields('# Replication\r\nrole:master\r\nmaster_replid:abc\r\n\r\n');
    assert.deepEqual([...fields], [['role', 'master'], ['master_replid', 'abc']]);
  });

  it('names the address without its credentials when it cannot connect', async () => {
    await assert.rejects(
      createRedisEngine({ url: 'redis://someone:hunter2@127.0.0.1:1', log: () => undefined }),
      (e: Error) => e.message.startsWith('redis engine: cannot connect to redis://127.0.0.1:1:') && !e.message.includes('hunter2'),
    );
  });

  it('shows an address without its credentials', () => {
    assert.equal(withoutCredentials('redis://user:secret@10.0.0.5:6380/2'), 'redis://10.0.0.5:6380/2');
    assert.equal(withoutCredentials('redis://:secret@10.0.0.5:6380'), 'redis://10.0.0.5:6380');
    assert.equal(withoutCredentials('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379');
  });
});

describe('redis engine generation: restarts and a failover of a real redis-server', () => {
  const engines: Engine[] = [];
  const servers: RunningRedis[] = [];
  const probes: Redis[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
    for (const p of probes.splice(0)) p.disconnect();
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  async function engineOn(redis: RunningRedis, lines: string[] = []): Promise<Engine> {
    const engine = await createRedisEngine({ url: redis.url, prefix: 'gen', log: (l) => void lines.push(l), pingIntervalMs: 100 });
    engines.push(engine);
    return engine;
  }

  it('reports its link, round trip and reconnects through a stop and a restart of redis-server', async () => {
    const redis = await startRedis();
    servers.push(redis);
    const engine = await engineOn(redis);
    await until(() => engine.health!().rttMs !== null, 'a first round trip');
    const up = engine.health!();
    assert.deepEqual({ address: up.address, link: up.link, reconnects: up.reconnects }, { address: redis.url, link: 'connected', reconnects: 0 });
    assert.ok(up.rttMs! >= 0);

    await redis.down();
    await until(() => engine.health!().link !== 'connected', 'the link to leave connected');
    const down = engine.health!();
    assert.equal(down.link, 'reconnecting');
    assert.equal(down.rttMs, null);

    await redis.up();
    const backMs = await until(() => {
      const h = engine.health!();
      return h.link === 'connected' && h.rttMs !== null;
    }, 'the link to be connected again');
    const back = engine.health!();
    assert.ok(back.reconnects >= 1, `reconnects ${back.reconnects}`);
    console.log(`health after the restart: connected with a round trip ${back.rttMs} ms ${backMs} ms after redis-server was ready; reconnects ${back.reconnects}`);
  });

  it('refuses a subscribe at once while Redis is down, and leaves no subscription behind for a channel dropped meanwhile', async () => {
    const redis = await startRedis();
    servers.push(redis);
    const engine = await engineOn(redis);
    let back = 0;
    engine.onResubscribed!(() => void back++);
    await engine.broker.subscribe('kept');
    await engine.broker.subscribe('dropped');
    await redis.down();
    await until(() => engine.health!().link !== 'connected', 'the link to drop');
    const started = Date.now();
    await assert.rejects(engine.broker.subscribe('new'), /subscribe to "new" failed: Redis at 127.0.0.1:\d+ is unreachable/);
    assert.ok(Date.now() - started < 1_000, `refused after ${Date.now() - started} ms`);
    await engine.broker.unsubscribe('dropped');
    await redis.up();
    await until(() => back >= 1, 'the subscriptions to be live again');
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    probes.push(probe);
    await until(async () => {
      const channels = (await probe.call('PUBSUB', 'CHANNELS', 'gen.client.*')) as string[];
      return channels.length === 1;
    }, 'the dropped channel to be unsubscribed', 3_000).catch(() => undefined);
    assert.deepEqual(await probe.call('PUBSUB', 'CHANNELS', 'gen.client.*'), ['gen.client.{kept}']);
  });

  it('keeps every epoch and offset across a graceful restart and a crash of a server with appendfsync always', async () => {
    const redis = await startRedis({ persistence: 'aof' });
    servers.push(redis);
    const lines: string[] = [];
    const engine = await engineOn(redis, lines);
    const first = await engine.broker.publish('chat', 1, { stream: HISTORY });
    await engine.broker.publish('chat', 2, { stream: HISTORY });

    await redis.down('graceful');
    await redis.up();
    const third = await publishOnceBack(engine, 3);
    assert.deepEqual(third, { offset: 3, epoch: first.epoch });

    await redis.down('crash');
    await redis.up();
    const fourth = await publishOnceBack(engine, 4);
    assert.deepEqual(fourth, { offset: 4, epoch: first.epoch });
    const all = await engine.broker.history('chat', { limit: -1, reverse: false, since: { offset: 0, epoch: first.epoch! } }, HISTORY);
    assert.deepEqual(all.ok && all.value.publications.map((p) => [p.offset, p.data]), [[1, 1], [2, 2], [3, 3], [4, 4]]);
    assert.ok(lines.some((l) => /fsyncs every write.*epochs kept/.test(l)), lines.join('\n'));
  });

  it('starts new epochs after a restart of a server that may have lost writes, with offsets going on', async () => {
    // AOF everysec: the data is back after a graceful restart, but a crash could have lost the last
    // second of it, and the two cannot be told apart.
    const redis = await startRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'everysec'] });
    servers.push(redis);
    const lines: string[] = [];
    const engine = await engineOn(redis, lines);
    const before = await engine.broker.publish('chat', 1, { stream: HISTORY });
    await redis.down('graceful');
    await redis.up();
    const after = await publishOnceBack(engine, 2);
    assert.notEqual(after.epoch, before.epoch);
    assert.equal(after.offset, 2, 'offsets go on rising under the new epoch');
    const stale = await engine.broker.history('chat', { limit: -1, reverse: false, since: { offset: 1, epoch: before.epoch! } }, HISTORY);
    assert.equal(stale.ok ? 'recoverable' : stale.error.code, 112);
    assert.ok(lines.some((l) => /does not fsync every write.*new epoch/.test(l)), lines.join('\n'));
  });

  it('starts new epochs when a replica that missed writes is promoted and takes over the address', async () => {
    // No 5 s wait before the full sync that Redis 7 makes by default for diskless replication.
    const master = await startRedis({ persistence: 'aof', args: ['--repl-diskless-sync-delay', '0'] });
    servers.push(master);
    const replica = await startRedis({ persistence: 'aof', args: ['--replicaof', '127.0.0.1', String(master.port)] });
    servers.push(replica);
    const toMaster = new Redis(master.url, { maxRetriesPerRequest: 0, lazyConnect: true });
    const toReplica = new Redis(replica.url, { maxRetriesPerRequest: 0, lazyConnect: true });
    probes.push(toMaster, toReplica);
    await Promise.all([toMaster.connect(), toReplica.connect()]);
    await until(async () => infoFields(await toReplica.info('replication')).get('master_link_status') === 'up', 'the replica to sync');

    const lines: string[] = [];
    const engine = await engineOn(master, lines);
    let resubscribed = 0;
    engine.onResubscribed!(() => void resubscribed++);
    await engine.broker.subscribe('chat');
    const replicated: { offset?: number; epoch?: string }[] = [];
    for (let i = 1; i <= 3; i++) replicated.push(await engine.broker.publish('chat', i, { stream: HISTORY }));
    assert.equal(Number(await toMaster.call('WAIT', '1', '5000')), 1, 'the replica acknowledged the first writes');
    const epoch = replicated[0]!.epoch!;
    // WAIT counts a replica that acknowledged the offset, even one that starts a full resync right
    // after (it empties its dataset to load the new copy); promoted then, it would hold nothing.
    await until(async () => {
      const r = infoFields(await toReplica.info('replication'));
      return r.get('master_link_status') === 'up' && r.get('master_sync_in_progress') === '0' && await toReplica.dbsize() === 3;
    }, 'the replica to hold the first writes, with no sync in progress');

    // The replica is promoted (as Sentinel would) before it got the next writes; the master still acknowledges them.
    await toReplica.call('REPLICAOF', 'NO', 'ONE');
    // The replicated keys (generation record, meta, stream) are on the promoted replica: the writes it missed are the only loss.
    assert.equal(await toReplica.dbsize(), 3, 'the promoted replica holds what was replicated');
    const promoted = infoFields(await toReplica.info('replication'));
    const masterReplid = infoFields(await toMaster.info('replication')).get('master_replid');
    assert.equal(promoted.get('master_replid2'), masterReplid, 'a promoted replica keeps its master\'s replication id as master_replid2');
    const lost = [];
    for (let i = 4; i <= 5; i++) lost.push(await engine.broker.publish('chat', i, { stream: HISTORY }));
    assert.deepEqual(lost.map((p) => [p.offset, p.epoch]), [[4, epoch], [5, epoch]]);

    // The master dies; the promoted replica takes over its address.
    await master.down('crash');
    await toReplica.config('SET', 'port', String(master.port));
    assert.equal(await toReplica.dbsize(), 3, 'the replica keeps its data across the port change');
    const after = await publishOnceBack(engine, 'after');
    assert.notEqual(after.epoch, epoch, 'a new epoch: offsets 4 and 5 are handed out again');
    assert.equal(after.offset, 4);
    const stale = await engine.broker.history('chat', { limit: -1, reverse: false, since: { offset: 5, epoch } }, HISTORY);
    assert.equal(stale.ok ? 'recoverable' : stale.error.code, 112);
    const read = await engine.broker.history('chat', { limit: -1, reverse: false }, HISTORY);
    assert.deepEqual(read.ok && read.value.publications.map((p) => p.data), [1, 2, 3, 'after']);
    assert.ok(lines.some((l) => /was promoted.*new epoch/.test(l)), lines.join('\n'));
    await until(() => resubscribed >= 1, 'the resubscribed notice');
  });
});
