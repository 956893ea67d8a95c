/**
 * Issue 13, the emulation transports across supervisors: a client streams from supervisor A while
 * its commands (`POST /emulation`) reach supervisor B — as behind a load balancer without
 * stickiness. B forwards them over the Redis control bus to A's node; the client subscribes,
 * publishes and gets presence as on one supervisor. A `node` naming a supervisor that is not running
 * is 404, and the client reconnects.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Centrifuge } from 'centrifuge';
import { EventSource } from 'eventsource';
import { openAdmin } from './support/admin-helpers.js';
import { startRedis } from './support/redis-server.js';
import type { RunningRedis } from './support/redis-server.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

describe('emulation transports across two supervisors on one Redis', { timeout: 90_000 }, () => {
  let redis: RunningRedis;
  let a: TestCluster | undefined;
  let b: TestCluster | undefined;
  const clients: Centrifuge[] = [];

  before(async () => {
    redis = await startRedis();
    const engine = { type: 'redis' as const, redis: { address: redis.url, prefix: `t${process.pid}-${randomUUID().slice(0, 8)}` } };
    a = await startTestCluster({ name: 'sb-emu-a', nodes: 1, engine });
    b = await startTestCluster({ name: 'sb-emu-b', nodes: 1, engine, client: { tokenHmacSecret: a.config.client.tokenHmacSecret } });
    // B forwards only to a supervisor it has heard from.
    const adminB = await openAdmin(b);
    await adminB.snapshotWhere((s) => (s.supervisors ?? []).some((v) => v.id === 'sb-emu-a'), 10_000, 'sb-emu-a in B\'s view');
  });

  after(async () => {
    for (const c of clients) c.disconnect();
    await a?.stop();
    await b?.stop();
    await redis?.stop();
  });

  for (const transport of ['http_stream', 'sse'] as const) {
    it(`runs the commands of a ${transport} stream held by A that reach B: subscribe, publish, presence`, async () => {
      const c = new Centrifuge([{ transport, endpoint: `http://127.0.0.1:${a!.handle.port}/connection/${transport}` }], {
        eventsource: EventSource,
        emulationEndpoint: `http://127.0.0.1:${b!.handle.port}/emulation`,
        token: await a!.token(`user-${transport}`),
        minReconnectDelay: 100,
        maxReconnectDelay: 500,
      });
      c.on('error', () => undefined);
      clients.push(c);
      const connected = new Promise<void>((resolve) => c.once('connected', () => resolve()));
      c.connect();
      await connected;
      const channel = `chat:across-${transport}`;
      const sub = c.newSubscription(channel);
      const got: unknown[] = [];
      sub.on('publication', (ctx) => got.push(ctx.data));
      await new Promise<void>((resolve, reject) => {
        sub.once('subscribed', () => resolve());
        sub.once('unsubscribed', (ctx) => reject(new Error(`unsubscribed ${ctx.code}`)));
        sub.subscribe();
      });
      await sub.publish({ from: 'client' });
      const r = await b!.api('publish', { channel, data: { from: 'api on B' } });
      assert.equal(r.status, 200, r.text);
      await waitFor(() => got.length === 2, { what: 'both publications', timeoutMs: 10_000 });
      assert.deepEqual(got, [{ from: 'client' }, { from: 'api on B' }]);
      const presence = await sub.presence();
      assert.deepEqual(Object.values(presence.clients).map((p) => p.user), [`user-${transport}`]);
      assert.equal(c.state, 'connected', 'one connection all along');
    });
  }
});
