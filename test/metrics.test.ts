/**
 * `/metrics` and `/healthz` on a real 3-node cluster (issue 3, "Tested by: a scrape parses as
 * Prometheus text and its counters move with traffic"). Traffic comes from real centrifuge clients
 * and the server HTTP API; the node-reported values are awaited (bounded), never timed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiResult } from './support/api-calls.js';
import { parseExposition } from './support/prometheus-text.js';
import type { Exposition } from './support/prometheus-text.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import type { Subscribed } from './support/real-clients.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const NODE_GAUGES = [
  'switchboard_node_up', 'switchboard_node_state', 'switchboard_connections', 'switchboard_node_users',
  'switchboard_subscriptions', 'switchboard_node_resident_memory_bytes', 'switchboard_node_heap_used_bytes',
  'switchboard_node_event_loop_delay_p99_seconds',
];
const NODE_COUNTERS = [
  'switchboard_node_restarts_total', 'switchboard_messages_received_total', 'switchboard_messages_sent_total',
  'switchboard_bytes_received_total', 'switchboard_bytes_sent_total', 'switchboard_node_cpu_seconds_total',
];
const PUBLISH_OK = { method: 'publish', outcome: 'ok' };

describe('/metrics and /healthz on a 3-node cluster', () => {
  let cluster: TestCluster;
  let metricsUrl: string;

  const scrape = async (): Promise<Exposition> => {
    const res = await fetch(metricsUrl);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parseExposition(await res.text());
  };

  /** Scrapes until `check` holds (bounded); answers that scrape. */
  const scrapeUntil = async (check: (s: Exposition) => boolean, what: string): Promise<Exposition> => {
    let last: Exposition | undefined;
    await waitFor(async () => check((last = await scrape())), { timeoutMs: 10_000, intervalMs: 100, what });
    return last!;
  };

  const nodeIds = (): string[] => cluster.handle.nodes().map((n) => n.id);

  before(async () => {
    cluster = await startTestCluster();
    metricsUrl = `http://127.0.0.1:${cluster.handle.port}/metrics`;
  });
  after(() => cluster.stop());

  it('answers a scrape that parses as Prometheus text and has every node series for every node', async () => {
    const s = await scrapeUntil(
      (x) => nodeIds().every((id) => x.value('switchboard_node_up', { node: id }) === 1),
      'every node to be up in the scrape',
    );
    for (const name of NODE_GAUGES) assert.equal(s.types.get(name), 'gauge', name);
    for (const name of [...NODE_COUNTERS, 'switchboard_publications_total', 'switchboard_api_requests_total']) {
      assert.equal(s.types.get(name), 'counter', name);
    }
    assert.equal(s.types.get('switchboard_channels'), 'gauge');
    assert.equal(s.types.get('switchboard_users'), 'gauge');
    for (const id of nodeIds()) {
      for (const name of [...NODE_GAUGES, ...NODE_COUNTERS]) {
        assert.ok(s.samples.some((x) => x.name === name && x.labels.node === id), `${name} for ${id}`);
      }
      assert.equal(s.value('switchboard_node_state', { node: id, state: 'healthy' }), 1, `${id} is in state healthy`);
      assert.equal(s.sum('switchboard_node_state', { node: id }), 1, `${id} is in exactly one state`);
    }
  });

  it('moves the gauges and counters with connections, subscriptions and publications', async () => {
    const before = await scrape();
    const users = ['mia', 'noah', 'olga'];
    const channel = 'chat:metrics';
    const subs: Subscribed[] = [];
    for (const user of users) {
      const { client } = await connectClient(cluster, user);
      subs.push(await subscribeTo(client, channel));
    }

    const connected = await scrapeUntil(
      (x) => x.sum('switchboard_connections') === users.length && x.sum('switchboard_subscriptions') === users.length,
      'the nodes to report the new connections and subscriptions',
    );
    assert.equal(connected.sum('switchboard_connections'), users.length);
    assert.equal(connected.value('switchboard_users'), users.length);
    assert.equal(connected.value('switchboard_channels'), 1);
    assert.ok(connected.sum('switchboard_messages_received_total') > before.sum('switchboard_messages_received_total'));

    const n = 20;
    for (let i = 1; i <= n; i++) await apiResult(cluster, 'publish', { channel, data: { i } });
    await waitFor(() => subs.every((s) => s.got.length === n), { what: `every client to receive ${n} publications` });
    for (const s of subs) assert.deepEqual(s.got.map((p) => (p.data as { i: number }).i), Array.from({ length: n }, (_, i) => i + 1));

    const sentBefore = connected.sum('switchboard_messages_sent_total');
    const bytesBefore = connected.sum('switchboard_bytes_sent_total');
    const published = await scrapeUntil(
      (x) => x.sum('switchboard_messages_sent_total') >= sentBefore + n * users.length,
      'the nodes to report the publications they sent',
    );
    assert.ok(published.sum('switchboard_messages_sent_total') - sentBefore >= n * users.length);
    assert.ok(published.sum('switchboard_bytes_sent_total') > bytesBefore);
    assert.ok(published.value('switchboard_publications_total')! - before.value('switchboard_publications_total')! >= n);
    assert.equal(
      (published.value('switchboard_api_requests_total', PUBLISH_OK) ?? 0) - (before.value('switchboard_api_requests_total', PUBLISH_OK) ?? 0),
      n,
    );
  });

  it('answers /healthz with 200 while the nodes are healthy', async () => {
    await scrapeUntil((x) => nodeIds().every((id) => x.value('switchboard_node_up', { node: id }) === 1), 'every node to be up');
    const res = await fetch(`http://127.0.0.1:${cluster.handle.port}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('refuses a POST to /metrics with 405 and names the allowed methods', async () => {
    const res = await fetch(metricsUrl, { method: 'POST' });
    await res.text();
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  });
});
