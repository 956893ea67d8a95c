/**
 * `GET /metrics` on the client port, as Centrifugo serves it: the cluster in Prometheus text
 * format (prom-client). Every value is read from the supervisor at scrape time, in the metrics'
 * `collect` callbacks, so a plain `registry.metrics()` is as fresh as an HTTP scrape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { NODE_STATES } from '../../shared/admin/admin-model.js';
import type { NodeState } from '../../shared/admin/admin-model.js';
import type { NodeStats } from '../../shared/ipc/node-ipc.js';
import { isApiMethod } from './api-types.js';
import type { ApiOutcome } from './http-api.js';
import type { MetricsNode, MetricsSource } from './metrics-source.js';

/** The `/metrics` endpoint and the counters the server API feeds. */
export interface Metrics {
  /** Answers `GET` and `HEAD` with a fresh scrape; any other HTTP method gets 405 with `Allow`. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Counts one server API request; a `method` that is no API method is counted as `unknown`. */
  recordApiRequest(method: string, outcome: ApiOutcome): void;
  /** This cluster's own registry (not prom-client's global one, so clusters never collide). */
  readonly registry: Registry;
}

const PREFIX = 'switchboard_';

/** States with no node process behind them. */
const NO_PROCESS: ReadonlySet<NodeState> = new Set<NodeState>(['down', 'restarting']);

/** A node's value for a gauge; null leaves the series out. */
type Reading = (node: MetricsNode) => number | null;

/** A figure of the node's live process; null when there is none, or no report from it yet. */
const fromProcess = (read: (s: NodeStats) => number): Reading =>
  (n) => (n.stats !== null && !NO_PROCESS.has(n.state) ? read(n.stats) : null);

/** Like `fromProcess`, but 0 without a process: a node that is not running holds no clients. */
const orZero = (read: (s: NodeStats) => number): Reading => (n) => fromProcess(read)(n) ?? 0;

const NODE_GAUGES: readonly (readonly [string, string, Reading])[] = [
  ['node_up', '1 while the node is healthy (reporting on time), else 0.', (n) => (n.state === 'healthy' ? 1 : 0)],
  ['connections', 'Client connections open on the node.', orZero((s) => s.connections)],
  ['node_users', 'Distinct users with a connection on the node.', orZero((s) => s.users)],
  ['subscriptions', 'Channel subscriptions of the clients on the node.', orZero((s) => s.subscriptions)],
  ['node_resident_memory_bytes', 'Resident set size of the node process.', fromProcess((s) => s.rss)],
  ['node_heap_used_bytes', 'V8 heap used by the node process.', fromProcess((s) => s.heapUsed)],
  [
    'node_event_loop_delay_p99_seconds',
    'Event-loop delay of the node process, 99th percentile over its last report period.',
    fromProcess((s) => s.loopDelayP99 / 1000),
  ],
];

/** Totals each node process counts from its start; the counters add them up across restarts. */
const NODE_TOTALS: readonly (readonly [string, string, (s: NodeStats) => number])[] = [
  ['messages_received_total', 'Protocol messages received from clients by the node.', (s) => s.messagesIn],
  ['messages_sent_total', 'Protocol messages sent to clients by the node.', (s) => s.messagesOut],
  ['bytes_received_total', 'Bytes received from clients by the node.', (s) => s.bytesIn],
  ['bytes_sent_total', 'Bytes sent to clients by the node.', (s) => s.bytesOut],
  ['node_cpu_seconds_total', 'CPU time (user + system) spent by the node processes.', (s) => s.cpuMicros / 1e6],
];

/** Builds the cluster's metrics over `source`, in a registry of their own. */
export function createMetrics(source: MetricsSource): Metrics {
  const registry = new Registry();
  const registers = [registry];
  for (const [name, help, read] of NODE_GAUGES) {
    new Gauge({
      name: PREFIX + name, help, labelNames: ['node'], registers,
      collect() {
        this.reset();
        for (const n of source.nodes()) {
          const value = read(n);
          if (value !== null && Number.isFinite(value)) this.set({ node: n.id }, value);
        }
      },
    });
  }
  new Gauge({
    name: `${PREFIX}node_state`,
    help: 'The node state: 1 on the series of its current state, 0 on the others.',
    labelNames: ['node', 'state'], registers,
    collect() {
      this.reset();
      for (const n of source.nodes()) for (const state of NODE_STATES) this.set({ node: n.id, state }, state === n.state ? 1 : 0);
    },
  });
  // The restart count is the supervisor's own, so only a node removed and added again resets it.
  nodeCounter(registry, source, 'node_restarts_total', 'Times the node process was restarted.', (n) => [n.restarts, 0]);
  for (const [name, help, read] of NODE_TOTALS) {
    nodeCounter(registry, source, name, help, (n) => (n.stats === null ? null : [read(n.stats), n.restarts]));
  }
  clusterMetrics(registry, source);
  const apiRequests = new Counter({
    name: `${PREFIX}api_requests_total`,
    help: 'Server API requests, by API method and outcome.',
    labelNames: ['method', 'outcome'], registers,
  });
  collectDefaultMetrics({ register: registry, prefix: `${PREFIX}supervisor_` });
  return {
    registry,
    handle: (req, res) => serveScrape(registry, req, res),
    recordApiRequest(method, outcome) {
      apiRequests.inc({ method: isApiMethod(method) ? method : 'unknown', outcome });
    },
  };
}

/**
 * A per-node counter over a total that `read` gives with its generation (see TotalTracker), or
 * null while the node has not reported. A removed node's series goes with it: a node that no
 * longer exists is not kept as a ghost, and an id reused later starts a fresh series.
 */
function nodeCounter(
  registry: Registry, source: MetricsSource, name: string, help: string,
  read: (n: MetricsNode) => readonly [total: number, generation: number] | null,
): void {
  const tracker = new TotalTracker();
  const shown = new Set<string>();
  new Counter({
    name: PREFIX + name, help, labelNames: ['node'], registers: [registry],
    collect() {
      const present = new Set<string>();
      for (const n of source.nodes()) {
        present.add(n.id);
        shown.add(n.id);
        const reading = read(n);
        const step = reading === null ? 0 : tracker.increment(n.id, reading[0], reading[1]);
        this.inc({ node: n.id }, step);
      }
      for (const id of shown) {
        if (present.has(id)) continue;
        this.remove({ node: id });
        tracker.forget(id);
        shown.delete(id);
      }
    },
  });
}

function clusterMetrics(registry: Registry, source: MetricsSource): void {
  const registers = [registry];
  new Gauge({
    name: `${PREFIX}channels`, help: 'Channels with at least one subscriber, cluster-wide.', registers,
    collect() { this.set(source.channels()); },
  });
  new Gauge({
    name: `${PREFIX}users`, help: 'Distinct users with an open connection, cluster-wide.', registers,
    collect() { this.set(source.users()); },
  });
  idleChannelMetrics(registry, source);
  const publications = new TotalTracker();
  new Counter({
    name: `${PREFIX}publications_total`, help: 'Publications accepted by the broker.', registers,
    collect() { this.inc(publications.increment('', source.publications(), 0)); },
  });
}

/** The broker's idle channel streams: how many are kept, and how many went (issue 15, item 7). */
function idleChannelMetrics(registry: Registry, source: MetricsSource): void {
  const read = source.idleChannels;
  if (read === undefined) return;
  const registers = [registry];
  new Gauge({
    name: `${PREFIX}broker_idle_channels`, help: 'Channel streams the broker keeps without a subscriber.', registers,
    collect() { this.set(read().kept); },
  });
  const totals = new TotalTracker();
  new Counter({
    name: `${PREFIX}broker_idle_channels_dropped_total`,
    help: 'Idle channel streams dropped: reason="expired" once their history TTL passed empty, reason="limit" over cluster.idle_channel_limit (a new epoch then).',
    labelNames: ['reason'], registers,
    collect() {
      const { dropped } = read();
      for (const reason of ['expired', 'limit'] as const) this.inc({ reason }, totals.increment(reason, dropped[reason], 0));
    },
  });
}

function serveScrape(registry: Registry, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' });
    res.end('method not allowed: use GET\n');
    return;
  }
  registry.metrics().then(
    (body) => {
      res.writeHead(200, { 'Content-Type': registry.contentType, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    (e: unknown) => {
      process.stderr.write(`[metrics] scrape failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('metrics unavailable\n');
    },
  );
}

/**
 * Turns totals that start again from 0 with each process into steps of a monotonic counter.
 * A new process shows as a total smaller than the last one, or — as a fresh process can overtake
 * the old total between two scrapes — as a changed generation (restart count) once the total
 * moves; the old process's last report, still shown while the node is down, never moves.
 */
class TotalTracker {
  private readonly last = new Map<string, { total: number; generation: number; restarted: boolean }>();

  /** How much `key`'s counter grows for this reading of its total. */
  increment(key: string, total: number, generation: number): number {
    if (!Number.isFinite(total) || total < 0) return 0;
    const seen = this.last.get(key);
    if (seen === undefined) {
      this.last.set(key, { total, generation, restarted: false });
      return total;
    }
    if (generation !== seen.generation) {
      seen.generation = generation;
      seen.restarted = true;
    }
    const fresh = total < seen.total || (seen.restarted && total !== seen.total);
    if (fresh) seen.restarted = false;
    const step = fresh ? total : total - seen.total;
    seen.total = total;
    return step;
  }

  forget(key: string): void {
    this.last.delete(key);
  }
}
