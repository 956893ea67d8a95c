import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { ClientInfo } from '../../../shared/protocol/client-protocol.js';
import { startRedis } from '../../../test/support/redis-server.js';
import type { RunningRedis } from '../../../test/support/redis-server.js';
import { RedisPresence } from './redis-presence.js';

const TTL_MS = 200;
const ANN: ClientInfo = { user: '42', client: 'c1', conn_info: { name: 'Ann' } };
const BOB: ClientInfo = { user: '43', client: 'c2' };
const ANON: ClientInfo = { user: '', client: 'c3' };
const OWNER_A = 'sb-a/node-1#0';
const OWNER_B = 'sb-b/node-1#0';

describe('redis presence', () => {
  let redis: RunningRedis;
  const connections: Redis[] = [];
  const connect = (): Redis => {
    const c = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    connections.push(c);
    return c;
  };
  /** A presence on a connection of its own, under a prefix fresh for the test (or the one given). */
  const presence = (prefix = `t-${randomUUID()}`): RedisPresence => new RedisPresence(connect(), undefined, prefix, { ttlMs: TTL_MS });

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await Promise.all(connections.map((c) => c.quit()));
    await redis.stop();
  });

  it('lists entries keyed by client id and counts anonymous users once in stats', async () => {
    const p = presence();
    await p.add('room', ANN, OWNER_A);
    await p.add('room', ANON, OWNER_A);
    await p.add('room', { user: '', client: 'c4' }, OWNER_B);
    assert.deepEqual(await p.list('room'), { c1: ANN, c3: ANON, c4: { user: '', client: 'c4' } });
    assert.deepEqual(await p.stats('room'), { num_clients: 3, num_users: 2 });
    await p.remove('room', 'c1');
    assert.deepEqual(Object.keys(await p.list('room')).sort(), ['c3', 'c4']);
    assert.deepEqual(await p.list('nobody-here'), {});
  });

  it('purges an entry on read once its TTL passed, and owes its leave once from expire()', async () => {
    const p = presence();
    await p.add('room', ANN, OWNER_A);
    await sleep(TTL_MS + 100);
    assert.deepEqual(await p.stats('room'), { num_clients: 0, num_users: 0 });
    assert.deepEqual(await p.list('room'), {});
    assert.deepEqual(await p.expire(), [{ channel: 'room', info: ANN }]);
    assert.deepEqual(await p.expire(), []);
  });

  it('keeps an entry its owner refreshes well past the TTL, and ignores refreshes from another owner', async () => {
    const p = presence();
    await p.add('room', ANN, OWNER_A);
    await p.add('room', BOB, OWNER_A);
    for (let i = 0; i < 5; i++) {
      await sleep(TTL_MS / 2);
      await p.refresh(OWNER_A, [{ channel: 'room', client: 'c1' }]);
      await p.refresh(OWNER_B, [{ channel: 'room', client: 'c2' }]);
    }
    assert.deepEqual(await p.list('room'), { c1: ANN });
  });

  it('does not bring back an expired entry when its owner refreshes it late', async () => {
    const p = presence();
    await p.add('room', ANN, OWNER_A);
    await sleep(TTL_MS + 100);
    await p.refresh(OWNER_A, [{ channel: 'room', client: 'c1' }]);
    assert.deepEqual(await p.list('room'), {});
  });

  it('removes every entry of one owner across channels and leaves the other owner\'s', async () => {
    const p = presence();
    await p.add('room', ANN, OWNER_A);
    await p.add('lobby', ANN, OWNER_A);
    await p.add('room', BOB, OWNER_B);
    const removed = await p.removeOwner(OWNER_A);
    assert.deepEqual(removed.sort((x, y) => x.channel.localeCompare(y.channel)), [
      { channel: 'lobby', info: ANN },
      { channel: 'room', info: ANN },
    ]);
    assert.deepEqual(await p.list('room'), { c2: BOB });
    assert.deepEqual(await p.list('lobby'), {});
    assert.deepEqual(await p.removeOwner(OWNER_A), [], 'nothing twice');
    assert.deepEqual(await p.removeOwner(OWNER_B), [{ channel: 'room', info: BOB }]);
  });

  it('hands an entry re-added by a new owner to that owner, so the old owner\'s removal keeps it', async () => {
    const p = presence();
    await p.add('room', ANN, OWNER_A);
    await p.add('room', ANN, OWNER_B);
    assert.deepEqual(await p.removeOwner(OWNER_A), []);
    assert.deepEqual(await p.list('room'), { c1: ANN });
  });

  it('answers an expired entry to exactly one of two supervisors sweeping the same Redis', async () => {
    const prefix = `t-${randomUUID()}`;
    const a = presence(prefix);
    const b = presence(prefix);
    await a.add('room', ANN, OWNER_A);
    await b.add('hall', BOB, OWNER_B);
    await sleep(TTL_MS + 100);
    const [fromA, fromB] = await Promise.all([a.expire(), b.expire()]);
    const all = [...fromA, ...fromB].sort((x, y) => x.channel.localeCompare(y.channel));
    assert.deepEqual(all, [{ channel: 'hall', info: BOB }, { channel: 'room', info: ANN }]);
    assert.deepEqual([...(await a.expire()), ...(await b.expire())], []);
  });

  it('drops a channel from the sweep index once its last entry is gone, and leaves no key behind', async () => {
    const prefix = `t-${randomUUID()}`;
    const p = presence(prefix);
    await p.add('room', ANN, OWNER_A);
    await sleep(TTL_MS + 100);
    assert.equal((await p.expire()).length, 1);
    assert.deepEqual(await connect().keys(`${prefix}.*`), []);
  });

  it('sets an expiry on every key it writes, so entries of a vanished cluster do not stay forever', async () => {
    const prefix = `t-${randomUUID()}`;
    const p = presence(prefix);
    await p.add('room', ANN, OWNER_A);
    const c = connect();
    const perEntry = (await c.keys(`${prefix}.*`)).filter((k) => !k.endsWith('.presence.channels'));
    assert.equal(perEntry.length, 3, 'hash, sorted set and owner set');
    for (const key of perEntry) {
      const ttl = await c.pttl(key);
      assert.ok(ttl > 0 && ttl <= 2 * TTL_MS + 10_000, `${key} expires (pttl ${ttl})`);
    }
  });
});
