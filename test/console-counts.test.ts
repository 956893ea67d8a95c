/**
 * The console's connection and subscription figures follow the clients without waiting for a
 * node's next stats report: a node reports as soon as (within 200 ms) its counts change, so the
 * snapshot is at most about a second behind. Found by the chaos soak (docs/reliability.md "Chaos"):
 * with reports only once a stats interval, the console trailed the fleet by more than 2 s after a
 * node was killed while another was removed, and a removed node's drained clients stayed counted.
 */
import { after, before, describe, it } from 'node:test';
import { AdminClient } from './support/admin-client.js';
import type { TestCluster } from './support/test-cluster.js';
import { startTestCluster } from './support/test-cluster.js';

/** Far longer than the waits below: without early reports, nothing would show before the next one. */
const STATS_INTERVAL_MS = 30_000;

let cluster: TestCluster;
let admin: AdminClient;

describe('the console\'s connection and subscription counts', () => {
  before(async () => {
    cluster = await startTestCluster({ nodes: 1, statsIntervalMs: STATS_INTERVAL_MS, nodeUnresponsiveTimeoutMs: 4 * STATS_INTERVAL_MS });
    admin = cluster.track(await AdminClient.connect(cluster.handle));
  });
  after(() => cluster.stop());

  it('count new connections and subscriptions before the node\'s next stats report is due', async () => {
    const clients = await Promise.all(['ann', 'bob', 'cy'].map((user) => cluster.client(user)));
    for (const c of clients) {
      c.newSubscription(`chat:counts-${c === clients[0] ? 'a' : 'b'}`).subscribe();
      c.connect();
    }
    await admin.snapshotWhere((s) => s.totals.connections === 3 && s.totals.subscriptions === 3, 5_000, 'the console to count 3 connections and 3 subscriptions');
  });

  it('stop counting disconnected clients before the node\'s next stats report is due', async () => {
    const c = await cluster.client('dee');
    c.connect();
    await admin.snapshotWhere((s) => s.totals.connections === 4, 5_000, 'the fourth connection');
    c.disconnect();
    await admin.snapshotWhere((s) => s.totals.connections === 3, 5_000, 'the console to drop the closed connection');
  });
});
