/**
 * The metrics history across a restart of the cluster: a real cluster with a data directory runs with
 * clients, one of its nodes is killed, the cluster stops; a new cluster on the same directory answers
 * `metrics.history` with the seconds from before the restart and the kill as a marker.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultClusterConfig, startCluster } from '../embedded-server/index.js';
import type { ClusterConfig } from '../embedded-server/index.js';
import type { MetricsHistory } from '../shared/admin/metrics-history-model.js';
import { AdminClient, AdminRequestError } from './support/admin-client.js';
import { TestCluster, waitFor } from './support/test-cluster.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sb-history-it-'));
const config = (): ClusterConfig => ({ ...defaultClusterConfig(), nodes: 2, statsIntervalMs: 250, restartBackoffMinMs: 100, autoRestart: false });

async function runCluster(): Promise<{ cluster: TestCluster; admin: AdminClient }> {
  const c = config();
  const cluster = new TestCluster(await startCluster(c, { dataDir }), c);
  const admin = cluster.track(await AdminClient.connect(cluster.handle));
  return { cluster, admin };
}

describe('metrics history across a cluster restart', () => {
  let before1: { startedAt: number; stoppedAt: number; killedAt: number; peak: number };
  let history: MetricsHistory;
  let second: { cluster: TestCluster; admin: AdminClient } | undefined;

  before(async () => {
    const first = await runCluster();
    try {
      const startedAt = Date.now();
      const clients = await Promise.all(['ann', 'bob', 'cid'].map((u) => first.cluster.client(u)));
      for (const c of clients) {
        c.newSubscription('chat:history').subscribe();
        c.connect();
      }
      await first.admin.snapshotWhere((s) => s.totals.connections === 3, 10_000, 'three clients connected');
      // About 5 s of samples with the clients connected.
      const seen = first.admin.snapshots.length;
      await waitFor(() => first.admin.snapshots.length >= seen + 5, { timeoutMs: 15_000, what: 'five more snapshots' });
      await first.admin.request('node.kill', { node: 'node-2' });
      const down = await first.admin.eventWhere((e) => e.type === 'node.down' && e.node === 'node-2', 10_000, 'node-2 down');
      const afterKill = first.admin.snapshots.length;
      await waitFor(() => first.admin.snapshots.length >= afterKill + 2, { timeoutMs: 10_000, what: 'two snapshots after the kill' });
      before1 = { startedAt, stoppedAt: 0, killedAt: down.at, peak: 3 };
    } finally {
      await first.cluster.stop();
    }
    before1.stoppedAt = Date.now();
    second = await runCluster();
    history = await second.admin.request('metrics.history', { from: Date.now() - 60_000, to: Date.now() });
  });

  after(async () => {
    await second?.cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers the last minute from the 1 s tier, with the seconds from before the restart', () => {
    assert.equal(history.tier, '1s');
    const earlier = history.total.filter((p) => p.at < before1.stoppedAt);
    assert.ok(earlier.length >= 5, `${earlier.length} seconds from before the restart`);
    assert.ok(earlier.some((p) => p.connections === before1.peak), 'the seconds with the three clients connected');
    assert.ok(history.nodes['node-1']!.some((p) => p.at < before1.stoppedAt && p.rssBytes > 0), "node-1's seconds, with its memory");
  });

  it('marks the node killed before the restart, and the restart itself', () => {
    const kill = history.markers.find((m) => m.type === 'fault.injected' && m.node === 'node-2');
    assert.ok(kill, `a kill marker among ${JSON.stringify(history.markers)}`);
    assert.match(kill.text, /kill node-2/);
    assert.ok(Math.abs(kill.at - before1.killedAt) < 5000, 'at the time of the kill');
    assert.ok(history.markers.some((m) => m.type === 'node.down' && m.node === 'node-2'));
    const types = history.markers.map((m) => m.type);
    assert.ok(types.indexOf('cluster.stopped') < types.lastIndexOf('cluster.started'), `stopped, then started again: ${types.join(', ')}`);
  });

  it('refuses a range that ends before it starts, with a clear error', async () => {
    const now = Date.now();
    await assert.rejects(second!.admin.request('metrics.history', { from: now, to: now - 1000 }), (e: unknown) => {
      assert.ok(e instanceof AdminRequestError);
      assert.equal(e.error.code, 400);
      assert.match(e.error.message, /"from" must be before "to"/);
      return true;
    });
  });
});
