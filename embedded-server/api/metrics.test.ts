import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseExposition } from '../../test/support/prometheus-text.js';
import type { Exposition } from '../../test/support/prometheus-text.js';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeStats } from '../../shared/ipc/node-ipc.js';
import { NODE_STATES } from '../../shared/admin/admin-model.js';
import type { Metrics } from './metrics.js';
import { createMetrics } from './metrics.js';
import type { MetricsNode, MetricsSource } from './metrics-source.js';

const NODE_GAUGES = [
  'switchboard_node_up', 'switchboard_node_state', 'switchboard_connections', 'switchboard_node_users',
  'switchboard_subscriptions', 'switchboard_node_resident_memory_bytes', 'switchboard_node_heap_used_bytes',
  'switchboard_node_event_loop_delay_p99_seconds',
];
const NODE_COUNTERS = [
  'switchboard_node_restarts_total', 'switchboard_messages_received_total', 'switchboard_messages_sent_total',
  'switchboard_bytes_received_total', 'switchboard_bytes_sent_total', 'switchboard_node_cpu_seconds_total',
];

const stats = (o: Partial<NodeStats> = {}): NodeStats => ({
  connections: 0, users: 0, subscriptions: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0,
  cpuMicros: 0, rss: 0, heapUsed: 0, loopDelayP50: 0, loopDelayP99: 0, ...o,
});

/** What the fake supervisor reports; tests change it between scrapes. */
interface World {
  nodes: MetricsNode[];
  channels: number;
  users: number;
  publications: number;
}

interface Harness {
  world: World;
  metrics: Metrics;
  url: string;
  scrape(): Promise<Exposition>;
  node(id: string): MetricsNode;
}

const servers: Server[] = [];

after(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function start(nodes: MetricsNode[] = []): Promise<Harness> {
  const world: World = { nodes, channels: 0, users: 0, publications: 0 };
  const source: MetricsSource = {
    nodes: () => world.nodes, channels: () => world.channels, users: () => world.users, publications: () => world.publications,
  };
  const metrics = createMetrics(source);
  const server = createServer((req, res) => metrics.handle(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  const scrape = async (): Promise<Exposition> => {
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), metrics.registry.contentType);
    return parseExposition(await res.text());
  };
  const node = (id: string): MetricsNode => {
    const found = world.nodes.find((n) => n.id === id);
    assert.ok(found, `no node ${id}`);
    return found;
  };
  return { world, metrics, url, scrape, node };
}

const healthy = (id: string, s: Partial<NodeStats> = {}): MetricsNode => ({ id, state: 'healthy', restarts: 0, stats: stats(s) });

describe('metrics endpoint', () => {
  it('answers a scrape that parses as Prometheus text and declares every switchboard metric with its type', async () => {
    const h = await start([healthy('n1', { connections: 3 }), healthy('n2')]);
    const scrape = await h.scrape();
    for (const name of NODE_GAUGES) assert.equal(scrape.types.get(name), 'gauge', name);
    for (const name of [...NODE_COUNTERS, 'switchboard_publications_total', 'switchboard_api_requests_total']) {
      assert.equal(scrape.types.get(name), 'counter', name);
    }
    assert.equal(scrape.types.get('switchboard_channels'), 'gauge');
    assert.equal(scrape.types.get('switchboard_users'), 'gauge');
    assert.equal(scrape.types.get('switchboard_supervisor_process_cpu_user_seconds_total'), 'counter');
    assert.equal(scrape.types.get('switchboard_supervisor_nodejs_heap_size_used_bytes'), 'gauge');
    for (const name of [...NODE_GAUGES, ...NODE_COUNTERS]) {
      for (const node of ['n1', 'n2']) assert.ok(scrape.samples.some((x) => x.name === name && x.labels.node === node), `${name} ${node}`);
    }
  });

  it('reports each node from its last report: health, a one-hot state, gauges and converted units', async () => {
    const h = await start([
      healthy('n1', { connections: 3, users: 2, subscriptions: 5, rss: 1000, heapUsed: 500, loopDelayP99: 12, cpuMicros: 2_500_000 }),
      { id: 'n2', state: 'hung', restarts: 1, stats: stats({ connections: 4 }) },
    ]);
    h.world.channels = 7;
    h.world.users = 9;
    const s = await h.scrape();
    assert.deepEqual([s.value('switchboard_node_up', { node: 'n1' }), s.value('switchboard_node_up', { node: 'n2' })], [1, 0]);
    for (const state of NODE_STATES) {
      assert.equal(s.value('switchboard_node_state', { node: 'n2', state }), state === 'hung' ? 1 : 0, state);
    }
    assert.equal(s.value('switchboard_connections', { node: 'n1' }), 3);
    assert.equal(s.value('switchboard_connections', { node: 'n2' }), 4);
    assert.equal(s.value('switchboard_node_users', { node: 'n1' }), 2);
    assert.equal(s.value('switchboard_subscriptions', { node: 'n1' }), 5);
    assert.equal(s.value('switchboard_node_resident_memory_bytes', { node: 'n1' }), 1000);
    assert.equal(s.value('switchboard_node_heap_used_bytes', { node: 'n1' }), 500);
    assert.equal(s.value('switchboard_node_event_loop_delay_p99_seconds', { node: 'n1' }), 0.012);
    assert.equal(s.value('switchboard_node_cpu_seconds_total', { node: 'n1' }), 2.5);
    assert.equal(s.value('switchboard_node_restarts_total', { node: 'n2' }), 1);
    assert.deepEqual([s.value('switchboard_channels'), s.value('switchboard_users')], [7, 9]);
  });

  it('moves the counters with the counters of the source', async () => {
    const h = await start([healthy('n1', { messagesIn: 10, messagesOut: 20, bytesIn: 100, bytesOut: 200 })]);
    h.world.publications = 4;
    const first = await h.scrape();
    assert.equal(first.value('switchboard_messages_received_total', { node: 'n1' }), 10);
    assert.equal(first.value('switchboard_publications_total'), 4);
    h.node('n1').stats = stats({ messagesIn: 15, messagesOut: 27, bytesIn: 150, bytesOut: 260 });
    h.world.publications = 6;
    const second = await h.scrape();
    assert.equal(second.value('switchboard_messages_received_total', { node: 'n1' }), 15);
    assert.equal(second.value('switchboard_messages_sent_total', { node: 'n1' }), 27);
    assert.equal(second.value('switchboard_bytes_received_total', { node: 'n1' }), 150);
    assert.equal(second.value('switchboard_bytes_sent_total', { node: 'n1' }), 260);
    assert.equal(second.value('switchboard_publications_total'), 6);
  });

  it('keeps a counter monotonic when a restarted node reports totals that start again from 0', async () => {
    const h = await start([healthy('n1', { messagesIn: 100 })]);
    const received = async () => (await h.scrape()).value('switchboard_messages_received_total', { node: 'n1' });
    assert.equal(await received(), 100);
    const n1 = h.node('n1');
    // Down: the old process's last report stays; nothing is counted twice.
    n1.state = 'down';
    assert.equal(await received(), 100);
    // Restarting: no report from the new process yet.
    Object.assign(n1, { state: 'restarting', restarts: 1, stats: null });
    assert.equal(await received(), 100);
    Object.assign(n1, { state: 'healthy', stats: stats({ messagesIn: 30 }) });
    assert.equal(await received(), 130);
    n1.stats = stats({ messagesIn: 40 });
    assert.equal(await received(), 140);
    // A drop without a changed restart count is a restart too.
    n1.stats = stats({ messagesIn: 5 });
    assert.equal(await received(), 145);
    assert.equal((await h.scrape()).value('switchboard_node_restarts_total', { node: 'n1' }), 1);
  });

  it('counts the whole new total when a restarted node overtakes its old total between two scrapes', async () => {
    const h = await start([healthy('n1', { messagesIn: 100 })]);
    const received = async () => (await h.scrape()).value('switchboard_messages_received_total', { node: 'n1' });
    assert.equal(await received(), 100);
    Object.assign(h.node('n1'), { restarts: 1, stats: stats({ messagesIn: 250 }) });
    assert.equal(await received(), 350);
    h.node('n1').stats = stats({ messagesIn: 260 });
    assert.equal(await received(), 360);
  });

  it('reads 0 clients and leaves the process gauges out while a node has no process', async () => {
    const h = await start([{ id: 'n1', state: 'down', restarts: 0, stats: stats({ connections: 8, rss: 1000, messagesIn: 3 }) }]);
    const s = await h.scrape();
    assert.equal(s.value('switchboard_node_up', { node: 'n1' }), 0);
    assert.equal(s.value('switchboard_connections', { node: 'n1' }), 0);
    assert.equal(s.value('switchboard_node_resident_memory_bytes', { node: 'n1' }), undefined);
    assert.equal(s.value('switchboard_node_event_loop_delay_p99_seconds', { node: 'n1' }), undefined);
    assert.equal(s.value('switchboard_messages_received_total', { node: 'n1' }), 3);
  });

  it('drops every series of a removed node, and starts an id added again from its new totals', async () => {
    const h = await start([healthy('n1', { messagesIn: 50 }), healthy('n2', { messagesIn: 7 })]);
    await h.scrape();
    h.world.nodes = [h.node('n2')];
    const without = await h.scrape();
    assert.equal(without.samples.some((x) => x.labels.node === 'n1'), false);
    assert.equal(without.value('switchboard_messages_received_total', { node: 'n2' }), 7);
    h.world.nodes.push(healthy('n1', { messagesIn: 2 }));
    assert.equal((await h.scrape()).value('switchboard_messages_received_total', { node: 'n1' }), 2);
  });

  it('counts server API requests by method and outcome, folding unknown methods into one label', async () => {
    const h = await start();
    h.metrics.recordApiRequest('publish', 'ok');
    h.metrics.recordApiRequest('publish', 'ok');
    h.metrics.recordApiRequest('publish', 'unauthorized');
    h.metrics.recordApiRequest('../../etc/passwd', 'not_found');
    const s = await h.scrape();
    assert.equal(s.value('switchboard_api_requests_total', { method: 'publish', outcome: 'ok' }), 2);
    assert.equal(s.value('switchboard_api_requests_total', { method: 'publish', outcome: 'unauthorized' }), 1);
    assert.equal(s.value('switchboard_api_requests_total', { method: 'unknown', outcome: 'not_found' }), 1);
  });

  it('answers 405 with Allow: GET, HEAD to a POST, and HEAD with the headers only', async () => {
    const h = await start([healthy('n1')]);
    const post = await fetch(h.url, { method: 'POST', body: '' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    await post.text();
    const head = await fetch(h.url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), h.metrics.registry.contentType);
    assert.equal(await head.text(), '');
  });

  it('keeps clusters in one process apart, each in its own registry', async () => {
    const a = await start([healthy('a1', { messagesIn: 1 })]);
    const b = await start([healthy('b1', { messagesIn: 2 })]);
    const [sa, sb] = [await a.scrape(), await b.scrape()];
    assert.equal(sa.value('switchboard_messages_received_total', { node: 'b1' }), undefined);
    assert.equal(sb.value('switchboard_messages_received_total', { node: 'b1' }), 2);
  });
});
