/**
 * Alerts across two supervisors on one Redis (issue 14): each supervisor's rules judge every node its
 * console shows, on every kind. What only the other supervisor counts — its server API's failed
 * publishes, its nodes' slow consumers and unrecovered resubscribes — reaches it in that supervisor's
 * heartbeat. A publish refused by A's server API fires B's publish-errors alert, with A's count.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { AdminClient } from './support/admin-client.js';
import { openAdmin } from './support/admin-helpers.js';
import { apiError } from './support/api-calls.js';
import { startRedis } from './support/redis-server.js';
import type { RunningRedis } from './support/redis-server.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

describe('alerts across two supervisors on one Redis', () => {
  let redis: RunningRedis;
  let a: TestCluster | undefined;
  let b: TestCluster | undefined;
  let adminB: AdminClient;

  before(async () => {
    redis = await startRedis();
    const engine = { type: 'redis' as const, redis: { address: redis.url, prefix: `t${process.pid}-${randomUUID().slice(0, 8)}` } };
    a = await startTestCluster({ name: 'sb-a', nodes: 1, engine });
    b = await startTestCluster({ name: 'sb-b', nodes: 1, engine });
    adminB = await openAdmin(b);
    await adminB.snapshotWhere((s) => s.nodes.some((n) => n.id === 'sb-a/node-1' && n.state === 'healthy'), 10_000, 'A\'s node in B\'s view');
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await redis.stop();
  });

  it('fires B\'s publish-errors alert for a publish A\'s server API refused, counted by A and carried in its heartbeat', async () => {
    const before = await adminB.request('alerts.list', { limit: 10 });
    assert.deepEqual(before.firing.filter((f) => f.rule === 'publish-errors'), [], 'nothing failed yet');
    const refused = await apiError(a!, 'publish', { channel: '', data: { n: 1 } });
    assert.ok(refused.code > 0, 'A refused the publish');

    let text = '';
    await waitFor(async () => {
      const { firing } = await adminB.request('alerts.list', { limit: 10 });
      const alert = firing.find((f) => f.rule === 'publish-errors');
      text = alert?.text ?? '';
      return alert !== undefined && alert.value >= 1;
    }, { timeoutMs: 10_000, intervalMs: 200, what: 'B\'s publish-errors alert' });
    assert.match(text, /^cluster: publish errors 1\/min over 0\/min$/);
    assert.ok(adminB.alerts.some((p) => p.firing.some((f) => f.rule === 'publish-errors')), 'B\'s console was pushed the alert');
    const onB = await adminB.request('alerts.list', { limit: 10 });
    assert.equal(onB.firing.filter((f) => f.rule === 'publish-errors').length, 1, 'one alert for the cluster, not one per supervisor');
  });
});
