/**
 * `startCluster` with `engine.type: "redis"` (issue 10 §2): it builds the Redis engine from the
 * config, refuses to start with a clear error when that Redis cannot be used, and its stop() quits
 * both of the engine's connections.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { defaultClusterConfig, startCluster } from '../embedded-server/index.js';
import { startRedis } from './support/redis-server.js';
import type { RunningRedis } from './support/redis-server.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';

const redisEngine = (address: string, prefix: string) => ({ type: 'redis' as const, redis: { address, prefix } });

describe('a cluster on the Redis engine', () => {
  let redis: RunningRedis;
  let probe: Redis;
  before(async () => {
    redis = await startRedis();
    probe = new Redis(redis.url);
  });
  after(async () => {
    await probe.quit();
    await redis.stop();
  });

  const connectionsNamed = async (prefix: string): Promise<string[]> => {
    const list = await probe.client('LIST') as string;
    return [...list.matchAll(/ name=(\S+)/g)].map((m) => m[1]!).filter((n) => n.startsWith(`${prefix}-`)).sort();
  };

  it('opens a command and a pub/sub connection to the Redis the config names, and quits both on stop', async () => {
    const prefix = `t${process.pid}-startup`;
    const cluster = await startTestCluster({ nodes: 1, engine: redisEngine(redis.url, prefix) });
    try {
      assert.deepEqual(await connectionsNamed(prefix), [`${prefix}-commands`, `${prefix}-pubsub`]);
      const published = await cluster.api('publish', { channel: 'chat:startup', data: { n: 1 } });
      assert.equal(published.status, 200);
      assert.equal(await probe.exists(`${prefix}.meta.{chat:startup}`), 1, 'the stream meta lives in Redis');
    } finally {
      await cluster.stop();
    }
    await waitFor(async () => (await connectionsNamed(prefix)).length === 0, { timeoutMs: 5000, what: 'the engine connections to close' });
  });

  it('refuses to start, naming the address, when nothing listens there', async () => {
    const port = await closedPort();
    const config = defaultClusterConfig({ nodes: 1, engine: redisEngine(`redis://127.0.0.1:${port}`, 'unused') });
    await assert.rejects(startCluster(config), new RegExp(`redis engine: cannot connect to redis://127.0.0.1:${port}`));
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
