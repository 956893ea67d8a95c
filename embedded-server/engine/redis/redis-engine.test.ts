import assert from 'node:assert/strict';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startRedis } from '../../../test/support/redis-server.js';
import type { RunningRedis } from '../../../test/support/redis-server.js';
import type { BrokerEvent, StreamOptions } from '../../broker/broker.js';
import { describeEngine } from '../engine-contract.js';
import type { Engine } from '../engine.js';
import { createRedisEngine } from './redis-engine.js';

const HISTORY: StreamOptions = { size: 1000, ttlMs: 60_000, metaTtlMs: 3_600_000 };

let redis: RunningRedis;
let seq = 0;
// A fresh prefix per engine: tests on the shared redis-server never see each other's keys.
const freshPrefix = (): string => `t${process.pid}-${++seq}`;
before(async () => { redis = await startRedis(); });
after(async () => { await redis.stop(); });

describeEngine('redis', (opts) => createRedisEngine({ url: redis.url, prefix: freshPrefix(), presenceTtlMs: opts.presenceTtlMs }));

describe('redis engine: Redis specifics', () => {
  const engines: Engine[] = [];
  const servers: RunningRedis[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('gives concurrent publishers on two engines distinct, consecutive offsets under one epoch', async () => {
    const prefix = freshPrefix();
    const a = await createRedisEngine({ url: redis.url, prefix });
    const b = await createRedisEngine({ url: redis.url, prefix });
    engines.push(a, b);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).broker.publish('race', i, { stream: HISTORY })),
    );
    assert.deepEqual(results.map((r) => r.offset).sort((x, y) => x! - y!), Array.from({ length: 200 }, (_, i) => i + 1));
    assert.equal(new Set(results.map((r) => r.epoch)).size, 1);
    const all = await a.broker.history('race', { limit: -1, reverse: false }, HISTORY);
    assert.deepEqual(all.ok && all.value.publications.map((p) => p.offset), Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('drops each publication once it is older than the TTL, not only the whole stream', async () => {
    const engine = await createRedisEngine({ url: redis.url, prefix: freshPrefix() });
    engines.push(engine);
    const short: StreamOptions = { size: 10, ttlMs: 400, metaTtlMs: 3_600_000 };
    await engine.broker.publish('ttl', 'old', { stream: short });
    await sleep(250);
    const { epoch } = await engine.broker.publish('ttl', 'new', { stream: short });
    await sleep(250);
    const read = await engine.broker.history('ttl', { limit: -1, reverse: false }, short);
    assert.deepEqual(read, { ok: true, value: { publications: [{ data: 'new', offset: 2 }], offset: 2, epoch } });
  });

  it('delivers a publication made through one engine to another engine on the same prefix', async () => {
    const prefix = freshPrefix();
    const a = await createRedisEngine({ url: redis.url, prefix });
    const b = await createRedisEngine({ url: redis.url, prefix });
    engines.push(a, b);
    const heard: BrokerEvent[] = [];
    b.broker.onEvent((e) => void heard.push(e));
    await b.broker.subscribe('chat');
    const { epoch } = await a.broker.publish('chat', { x: 1 }, { stream: HISTORY });
    for (let i = 0; i < 100 && heard.length === 0; i++) await sleep(20);
    assert.deepEqual(heard, [{ kind: 'pub', channel: 'chat', pub: { data: { x: 1 }, offset: 1 }, epoch }]);
  });

  it('delivers a channel\'s events only between subscribe and unsubscribe', async () => {
    const engine = await createRedisEngine({ url: redis.url, prefix: freshPrefix() });
    engines.push(engine);
    const heard: unknown[] = [];
    engine.broker.onEvent((e) => void heard.push(e.kind === 'pub' ? e.pub.data : e.kind));
    await engine.broker.publish('chat', 'before', { stream: null });
    await engine.broker.subscribe('chat');
    await engine.broker.publish('chat', 'during', { stream: null });
    for (let i = 0; i < 100 && heard.length === 0; i++) await sleep(20);
    await engine.broker.unsubscribe('chat');
    await engine.broker.publish('chat', 'after', { stream: HISTORY });
    await sleep(100);
    assert.deepEqual(heard, ['during']);
  });

  it('resubscribes every channel after reconnectSubscriber, and says so once the subscriptions are live', async () => {
    const prefix = freshPrefix();
    const a = await createRedisEngine({ url: redis.url, prefix, log: () => undefined });
    const b = await createRedisEngine({ url: redis.url, prefix });
    engines.push(a, b);
    let resubscribed = 0;
    b.onResubscribed!(() => void resubscribed++);
    const heard: unknown[] = [];
    b.broker.onEvent((e) => void heard.push(e.kind === 'pub' ? e.pub.data : e.kind));
    await b.broker.subscribe('chat');
    await b.reconnectSubscriber!();
    for (let i = 0; i < 100 && resubscribed === 0; i++) await sleep(20);
    assert.equal(resubscribed, 1);
    await a.broker.publish('chat', 'after', { stream: HISTORY });
    for (let i = 0; i < 100 && heard.length === 0; i++) await sleep(20);
    assert.deepEqual(heard, ['after']);
  });

  it('starts a new epoch when Redis lost the stream meta, so an old position is unrecoverable, never a partial replay', async () => {
    const prefix = freshPrefix();
    const engine = await createRedisEngine({ url: redis.url, prefix });
    engines.push(engine);
    for (let i = 1; i <= 3; i++) await engine.broker.publish('chat', i, { stream: HISTORY });
    const before = await engine.broker.position('chat', HISTORY);
    const probe = new Redis(redis.url);
    await probe.del(`${prefix}.meta.{chat}`); // as after a restart without persistence, or an evicted meta
    await probe.quit();
    const next = await engine.broker.publish('chat', 'fresh', { stream: HISTORY });
    assert.equal(next.offset, 1);
    assert.notEqual(next.epoch, before.epoch);
    const stale = await engine.broker.history('chat', { limit: -1, reverse: false, since: before }, HISTORY);
    assert.equal(stale.ok ? 0 : stale.error.code, 112);
    const all = await engine.broker.history('chat', { limit: -1, reverse: false }, HISTORY);
    assert.deepEqual(all.ok && all.value.publications, [{ data: 'fresh', offset: 1 }], 'the old epoch\'s publications are gone');
  });

  it('refuses to start on a Redis whose maxmemory-policy is allkeys-*, saying why', async () => {
    const evicting = await startRedis({ args: ['--maxmemory-policy', 'allkeys-lru'] });
    servers.push(evicting);
    await assert.rejects(createRedisEngine({ url: evicting.url }), /maxmemory-policy allkeys-lru.*evict channel history/);
  });

  it('fails to start with a clear error when nothing listens at the address', async () => {
    const port = await closedPort();
    await assert.rejects(createRedisEngine({ url: `redis://127.0.0.1:${port}`, log: () => undefined }), new RegExp(`cannot connect to redis://127.0.0.1:${port}`));
  });

  it('fails a publish fast and clearly while redis-server is down, and stops without hanging', async () => {
    const doomed = await startRedis();
    servers.push(doomed);
    const lines: string[] = [];
    const engine = await createRedisEngine({ url: doomed.url, log: (l) => void lines.push(l) });
    await engine.broker.publish('chat', 1, { stream: HISTORY });
    await doomed.stop();
    for (let i = 0; i < 100 && lines.length === 0; i++) await sleep(20);
    const started = Date.now();
    await assert.rejects(engine.broker.publish('chat', 2, { stream: HISTORY }), /publish to "chat" failed: Redis at 127.0.0.1:\d+ is unreachable/);
    await assert.rejects(engine.broker.position('chat', HISTORY), /unreachable/);
    assert.ok(Date.now() - started < 3_000, `failed after ${Date.now() - started} ms`);
    await engine.stop();
    await engine.stop();
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
