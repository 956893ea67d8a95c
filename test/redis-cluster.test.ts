/**
 * Two supervisors on one redis-server (issue 10 §2): a real centrifuge client subscribed through
 * supervisor A gets what is published through supervisor B's HTTP API, and B's HTTP API sees the
 * presence of A's clients — everything crossing through Redis, nothing through memory.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { PublicationContext } from 'centrifuge';
import { apiResult } from './support/api-calls.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import { startRedis } from './support/redis-server.js';
import type { RunningRedis } from './support/redis-server.js';
import { sleep, startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const PUBLICATIONS = 30;

describe('two supervisors on one Redis', () => {
  let redis: RunningRedis;
  let a: TestCluster | undefined;
  let b: TestCluster | undefined;

  before(async () => {
    redis = await startRedis();
    const engine = { type: 'redis' as const, redis: { address: redis.url, prefix: `t${process.pid}-${randomUUID().slice(0, 8)}` } };
    a = await startTestCluster({ name: 'sb-a', nodes: 1, engine });
    b = await startTestCluster({ name: 'sb-b', nodes: 1, engine });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await redis.stop();
  });

  it('delivers every publication made through B\'s HTTP API to a client subscribed through A, once each and in order', async () => {
    const ann = await connectClient(a!, 'ann');
    const { got } = await subscribeTo(ann.client, 'chat:across');
    for (let n = 1; n <= PUBLICATIONS; n++) await apiResult(b!, 'publish', { channel: 'chat:across', data: { n } });
    await waitFor(() => got.length >= PUBLICATIONS, { timeoutMs: 10_000, what: `${PUBLICATIONS} publications at the client` });
    await sleep(200); // a duplicate would arrive right behind the last one
    const seen = got.map((p: PublicationContext) => ({ n: (p.data as { n: number }).n, offset: p.offset }));
    assert.deepEqual(seen, Array.from({ length: PUBLICATIONS }, (_, i) => ({ n: i + 1, offset: i + 1 })));
  });

  it('shows a client connected through A in the presence that B\'s HTTP API answers', async () => {
    const bob = await connectClient(a!, 'bob');
    await subscribeTo(bob.client, 'chat:who');
    const { presence } = await apiResult<{ presence: Record<string, { user: string; client: string }> }>(b!, 'presence', { channel: 'chat:who' });
    assert.deepEqual(Object.values(presence).map((i) => ({ user: i.user, client: i.client })), [{ user: 'bob', client: bob.id }]);
    assert.deepEqual(await apiResult(b!, 'presence_stats', { channel: 'chat:who' }), { num_clients: 1, num_users: 1 });
  });
});
