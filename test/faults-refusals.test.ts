/**
 * Fault requests the admin API must refuse (issue 3): a node that does not exist (404), a node
 * that is down (409), and a second fault on a node while a hang or a partition is in progress (409).
 * The faults it does inject heal by themselves (SIGCONT is sent), and `stop()` would continue a
 * stopped node anyway.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminClient, AdminRequestError } from './support/admin-client.js';
import { faultClusterOptions } from './support/publish-stream.js';
import { startTestCluster } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

describe('fault requests the cluster must refuse', () => {
  let cluster: TestCluster;
  let admin: AdminClient;

  const refused = async (promise: Promise<unknown>, code: number, what: string): Promise<void> => {
    await assert.rejects(promise, (e: unknown) => {
      assert.ok(e instanceof AdminRequestError, `${what}: ${String(e)}`);
      assert.equal(e.error.code, code, `${what}: ${e.message}`);
      return true;
    }, what);
  };

  before(async () => {
    cluster = await startTestCluster(faultClusterOptions({ autoRestart: false }));
    admin = cluster.track(await AdminClient.connect(cluster.handle));
  });
  after(() => cluster?.stop());

  it('answers 404 for a node that does not exist', async () => {
    await refused(admin.request('node.kill', { node: 'node-99' }), 404, 'kill');
    await refused(admin.request('node.hang', { node: 'node-99', seconds: 1 }), 404, 'hang');
    await refused(admin.request('node.partition', { node: 'node-99', seconds: 1 }), 404, 'partition');
    await refused(admin.request('node.drop', { node: 'node-99' }), 404, 'drop');
  });

  it('answers 409 for a node that is down', async () => {
    const since = Date.now();
    await admin.request('node.kill', { node: 'node-3' });
    await admin.snapshotWhere((s) => s.at >= since && s.nodes.some((n) => n.id === 'node-3' && n.state === 'down'), 5000, 'node-3 down');
    await refused(admin.request('node.kill', { node: 'node-3' }), 409, 'kill');
    await refused(admin.request('node.hang', { node: 'node-3', seconds: 1 }), 409, 'hang');
    await refused(admin.request('node.partition', { node: 'node-3', seconds: 1 }), 409, 'partition');
    await refused(admin.request('node.drop', { node: 'node-3' }), 409, 'drop');
  });

  it('answers 409 for a second fault while one is in progress, and heals the first', async () => {
    const since = Date.now();
    await admin.request('node.hang', { node: 'node-1', seconds: 2 });
    await admin.request('node.partition', { node: 'node-2', seconds: 2 });
    for (const node of ['node-1', 'node-2']) {
      await refused(admin.request('node.hang', { node, seconds: 1 }), 409, `hang ${node}`);
      await refused(admin.request('node.partition', { node, seconds: 1 }), 409, `partition ${node}`);
      await refused(admin.request('node.drop', { node }), 409, `drop ${node}`);
    }
    for (const node of ['node-1', 'node-2']) {
      await admin.eventWhere((e) => e.type === 'fault.healed' && e.node === node && e.at >= since, 5000, `${node} healed`);
    }
    // Continued (SIGCONT) and reporting again.
    await admin.snapshotWhere((s) => s.nodes.filter((n) => n.id !== 'node-3').every((n) => n.state === 'healthy' && n.fault === undefined), 5000, 'nodes 1 and 2 healthy');
    const injected = admin.events.filter((e) => e.type === 'fault.injected' && e.at >= since);
    assert.deepEqual(injected.map((e) => e.type === 'fault.injected' && `${e.fault} ${e.node}`), ['hang node-1', 'partition node-2']);
  });
});
