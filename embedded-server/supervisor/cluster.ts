/**
 * `startCluster(config)`: the supervisor with its servers — the gateway on the client port (with the
 * server HTTP API, /metrics and /healthz behind it) and the admin API on its own loopback port.
 * Lifecycle per STYLE.md §4: `stop()` may be called any number of times; every caller awaits the
 * same shutdown.
 */
import { emulationRoute } from './emulation-route.js';
import type { Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAdminServer } from '../api/admin-server.js';
import type { AdminServer } from '../api/admin-server.js';
import { serveConsole } from '../api/console-assets.js';
import { createServerApi } from '../api/http-api.js';
import { fleetStatusRoute } from '../api/fleet-status-route.js';
import { createMetrics } from '../api/metrics.js';
import type { NodeInfo, ServerApiBackend } from '../api/server-api-backend.js';
import type { ClusterConfig } from '../config/cluster-config.js';
import { createGateway } from '../gateway/gateway.js';
import { WEBSOCKET_PATH, clientPaths } from '../../shared/protocol/endpoints.js';
import { createAdmission } from '../gateway/admission.js';
import { hostAllowList } from '../gateway/allowed-hosts.js';
import type { Engine } from '../engine/engine.js';
import { createRedisEngine, redisEngineOptions } from '../engine/redis/redis-engine.js';
import { createAdminBackend } from './admin-ops.js';
import { AuditLog } from './audit-log.js';
import { remoteNodeId, spanChannelRows, spanNodeRequest } from './cluster-wide.js';
import { SURVEY_TIMEOUT_MS } from '../../shared/engine/survey-ops.js';
import { ApiErrors } from '../api/api-validate.js';
import type { AppError } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import { createHttpServer } from './http-routes.js';
import { startMetricsHistory } from './metrics-history/metrics-history.js';
import { startAlerts } from './alerts/alerts-service.js';
import { startCapacityPlanner } from './capacity/capacity-planner.js';
import { Supervisor } from './supervisor.js';
import { SERVER_VERSION } from './version.js';

export interface ClusterHandle {
  /** `ws://host:port/connection/websocket` */
  readonly clientUrl: string;
  /** `http://host:port/api` */
  readonly apiUrl: string;
  readonly port: number;
  /** `ws://host:adminPort/admin` — add `?token=` with `adminToken`. */
  readonly adminUrl: string;
  readonly adminPort: number;
  readonly adminToken: string;
  /** The console in a browser: `http://host:adminPort/?token=…` (the token opens the admin API). */
  readonly consoleUrl: string;
  readonly config: ClusterConfig;
  /** Node ids with their process ids and states, in start order. */
  nodes(): { id: string; pid: number; state: string }[];
  /** Starts one more node; resolves with its id once it is ready. */
  addNode(): Promise<string>;
  stop(): Promise<void>;
  /** While a stop is under way, what it waits for now (e.g. "the Redis engine to close its connections"). */
  stopWaitingFor(): string | undefined;
  /** SIGKILLs every node process still running, for an exit that cannot wait for the stop; answers their pids. */
  killNodes(): number[];
  /** The warm standby processes' ids (`cluster.standby_nodes`): not nodes, but server processes that use memory. */
  standbyPids(): number[];
}

/** What startCluster may be handed besides the configuration. */
export interface StartClusterOptions {
  /**
   * The engine (broker, presence, control bus). Default: the one `config.engine` names (in-process,
   * or Redis), made and stopped by the cluster; an engine handed in is the caller's to stop.
   */
  engine?: Engine;
  /**
   * Node/V8 flags every node process starts with, in place of NODE_V8_FLAGS (shared/v8-flags.ts).
   * For comparisons that run every server with the same flags (the bench's `--v8-flags=default`
   * runs Switchboard without its own); production leaves it unset.
   */
  nodeV8Flags?: readonly string[];
  /**
   * Where the cluster keeps what outlives it: the metrics history in `metrics/` (docs/architecture.md),
   * the audit log of admin actions in `audit/` (audit-log.ts), the alert rules and history in `alerts/` (alerts/alert-files.ts).
   * `switchboard serve` and the desktop app pass configDir(); without it nothing is written to disk.
   */
  dataDir?: string;
}

export async function startCluster(config: ClusterConfig, options: StartClusterOptions = {}): Promise<ClusterHandle> {
  // Read back before anything starts; an unreadable log is a warning, never a failed start.
  const audit = await AuditLog.open({ dir: options.dataDir === undefined ? undefined : join(options.dataDir, 'audit') });
  // A Redis engine made here is stopped here; the supervisor stops only the memory engine it makes itself.
  const ownRedis = !options.engine && config.engine.type === 'redis'
    ? await createRedisEngine(redisEngineOptions(config.engine.redis))
    : undefined;
  let sv: Supervisor;
  try {
    sv = new Supervisor(config, options.engine ?? ownRedis, options.nodeV8Flags);
  } catch (e) {
    await ownRedis?.stop();
    throw e;
  }
  const history = startMetricsHistory({ onSnapshot: (l) => sv.onSnapshot(l), onEvents: (l) => sv.events.subscribe(l), series: () => sv.metrics.series() }, options.dataDir, sv.id);
  const alerts = await startAlerts({
    onSnapshot: (l) => sv.onSnapshot(l), onEvents: (l) => sv.events.subscribe(l), emit: (e) => sv.events.emit(e), peerCounts: () => sv.peerAlertCounts(),
  }, options.dataDir);
  sv.shareAlertCounts(() => alerts.heartbeatCounts());
  const capacity = startCapacityPlanner({ onSnapshot: (l) => sv.onSnapshot(l), snapshot: () => sv.metrics.snapshot(Date.now()) });
  // The memory engine counts its idle channel streams; an engine without such counters shows none.
  const engineMetrics = sv.engine.metrics?.bind(sv.engine);
  const idleChannels = engineMetrics?.().idleChannels ? () => engineMetrics().idleChannels! : undefined;
  const metrics = createMetrics({
    nodes: () => sv.pool.all().map((p) => ({ id: p.id, state: sv.stateOf(p.id, Date.now()), restarts: sv.pool.restarts(p.id), stats: p.exited ? null : p.stats })),
    channels: () => sv.registry.channelCounts().size,
    ...(idleChannels ? { idleChannels } : {}),
    users: () => sv.registry.userCount,
    publications: () => sv.rates.total,
  });
  const uni = config.client.uni;
  const paths = clientPaths({ websocket: uni.websocket.enabled, sse: uni.sse.enabled, httpStream: uni.httpStream.enabled });
  const http: Server = createHttpServer({
    api: createServerApi(apiBackend(sv), { apiKey: config.apiKey, insecure: config.apiInsecure, allowedOrigins: config.client.allowedOrigins }, {
      maxBodyBytes: config.http.apiMaxBodyBytes,
      onRequest: (method, outcome) => {
        metrics.recordApiRequest(method, outcome);
        if ((method === 'publish' || method === 'broadcast') && outcome !== 'ok') alerts.publishFailed();
      },
    }),
    metrics: (req, res) => metrics.handle(req, res),
    healthy: () => sv.pool.healthy(Date.now()).length > 0,
    emulation: emulationRoute({
      self: sv.id,
      node: (id) => sv.runningNode(id),
      forward: (supervisor, node, session, data) => sv.forwardEmulation(supervisor, node, session, data),
    }, { maxBodyBytes: 2 * config.client.maxMessageSize + 1024, allowedOrigins: config.client.allowedOrigins }),
    fleetStatus: fleetStatusRoute(sv.fleets, { apiKey: config.apiKey, insecure: config.apiInsecure, allowedOrigins: config.client.allowedOrigins }),
    paths,
  }, config.http);
  const gateway = createGateway({
    websocket: (socket, head, request) => {
      const now = Date.now();
      const cap = config.admission.connectionLimit;
      const healthy = sv.pool.routable(now);
      const routable = cap > 0 ? healthy.filter((p) => p.load < cap) : healthy;
      const choice = sv.router.pick(routable.map((p) => ({ id: p.id, load: p.load, pending: p.handoffsQueued })), request.query.get('user'));
      if (choice && sv.pool.get(choice.id)!.handoff(socket, head)) return null;
      if (routable.length === 0 && healthy.length > 0) return `every node holds client.connection_limit (${cap}) connections; retry later or add a node`;
      const full = sv.pool.healthy(now).filter((p) => p.full);
      return full.length > 0 && routable.length === 0
        ? `every node is at its open-file limit (${full.map((p) => `${p.id}: ${p.maxConnections} connections`).join(', ')}); raise ulimit -n or add a node`
        : 'no healthy node';
    },
    http: (socket, head) => {
      socket.unshift(head);
      http.emit('connection', socket);
      socket.resume();
    },
  }, {
    allowedHosts: hostAllowList([config.host, config.adminHost], config.allowedHosts),
    headTimeoutMs: config.http.headTimeoutMs,
    headMaxBytes: config.http.headMaxBytes,
    admission: createAdmission(config.admission),
    maxPendingConnections: config.http.maxPendingConnections,
    maxPendingConnectionsPerIp: config.http.maxPendingConnectionsPerIp,
    allowedOrigins: config.client.allowedOrigins,
    paths,
  });

  let admin: AdminServer | null = null;
  let stopping: Promise<void> | null = null;
  let waitingFor: string | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      gateway.close();
      http.closeAllConnections();
      http.close();
      waitingFor = 'the admin server to close';
      await admin?.stop();
      capacity.stop();
      waitingFor = 'the metrics history to reach the disk';
      await history.stop();
      waitingFor = 'the alerts to reach the disk';
      await alerts.stop();
      waitingFor = 'the audit log to reach the disk';
      await audit.flush();
      await sv.stop((what) => { waitingFor = what; });
      if (ownRedis) {
        // health().address names the server without credentials.
        waitingFor = `the Redis engine to close its connections (${ownRedis.health?.().address ?? 'Redis'})`;
        await ownRedis.stop();
      }
      waitingFor = undefined;
    })();
    return stopping;
  };

  try {
    await sv.start();
    await listen(gateway, config.port, config.host);
    const port = (gateway.address() as AddressInfo).port;
    const urls = urlsFor(config.host, port);
    admin = await startAdminServer({
      host: config.adminHost, port: config.adminPort, token: config.adminToken, backend: createAdminBackend(sv, urls, { history, audit, alerts, capacity }),
      http: serveConsole(consoleDir(), config.adminToken, config.adminAllowedOrigins),
      allowedHosts: config.allowedHosts, requestTimeoutMs: config.http.adminRequestTimeoutMs, allowedOrigins: config.adminAllowedOrigins,
    });
    const adminServer = admin;
    return {
      ...urls,
      port,
      adminUrl: adminServer.url,
      consoleUrl: `${adminServer.url.replace(/^ws/, 'http').replace(/\/admin$/, '/')}?token=${encodeURIComponent(config.adminToken)}`,
      adminPort: adminServer.port,
      adminToken: config.adminToken,
      config,
      nodes: () => sv.pool.all().map((p) => ({ id: p.id, pid: p.pid, state: sv.stateOf(p.id, Date.now()) })),
      addNode: async () => (await sv.pool.add()).id,
      stop,
      stopWaitingFor: () => waitingFor,
      killNodes: () => sv.pool.killAll(),
      standbyPids: () => sv.pool.standbyPids(),
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Pending connections the gateway's listen queue holds (the kernel caps it at net.core.somaxconn).
 * Node's default, 511, overflows when a failed node's clients all reconnect at once: the kernel drops
 * the SYNs beyond it and clients retry after 1, 3, 7 s — measured with 3,334 clients reconnecting,
 * half of them took over 7 s to get a socket.
 */
const GATEWAY_BACKLOG = 4096;

function listen(server: NetServer, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: GATEWAY_BACKLOG }, () => resolve());
  });
}

/** The built console bundle: `dist/console` at the package root, or SWITCHBOARD_CONSOLE_DIR. */
function consoleDir(): string {
  return process.env.SWITCHBOARD_CONSOLE_DIR || fileURLToPath(new URL('../../dist/console', import.meta.url));
}

function urlsFor(host: string, port: number): { clientUrl: string; apiUrl: string } {
  const h = host.includes(':') ? `[${host}]` : host;
  return { clientUrl: `ws://${h}:${port}${WEBSOCKET_PATH}`, apiUrl: `http://${h}:${port}/api` };
}

function apiBackend(sv: Supervisor): ServerApiBackend {
  const { broker, registry, pool } = sv;
  /** Whatever did not answer turns the whole call into an internal error that names it. */
  const silent = (unanswered: string[]): AppError => ({
    ...ApiErrors.internal,
    message: `${ApiErrors.internal.message}: supervisor ${unanswered.join(', ')} did not answer within ${SURVEY_TIMEOUT_MS / 1000} s`,
  });
  return {
    channels: sv.config.channels,
    client: sv.config.client,
    // Marked so a watching console can name the HTTP API as the publisher (publish-origin.ts).
    publish: (channel, data, opts) => broker.publish(channel, data, { ...opts, origin: 'http-api' }),
    history: (channel, query, stream) => broker.history(channel, query, stream),
    removeHistory: (channel) => broker.removeHistory(channel),
    presence: (channel) => sv.presence.list(channel),
    presenceStats: (channel) => sv.presence.stats(channel),
    toAllNodes: async (op, req) => {
      const { results, unanswered } = await spanNodeRequest(sv, op, req);
      return unanswered.length > 0 ? err(silent(unanswered)) : ok(results);
    },
    channelCounts: async () => {
      const { rows, unanswered } = await spanChannelRows(sv);
      return unanswered.length > 0 ? err(silent(unanswered)) : ok(new Map(rows.map((r) => [r.channel, r.subscribers])));
    },
    info: () => [
      ...pool.all().filter((p) => !p.exited).map((p): NodeInfo => ({
        uid: p.incarnation,
        name: p.id,
        version: SERVER_VERSION,
        num_clients: p.stats?.connections ?? 0,
        num_users: p.stats?.users ?? 0,
        num_channels: registry.channelCountOn(p.id),
        num_subs: p.stats?.subscriptions ?? 0,
        uptime: Math.floor((Date.now() - p.startedAt) / 1000),
      })),
      ...sv.peers.list().flatMap(({ beat }) => beat.nodes.filter((n) => n.state !== 'down').map((n): NodeInfo => ({
        uid: n.incarnation,
        name: remoteNodeId(beat.supervisor, n.id),
        version: SERVER_VERSION,
        num_clients: n.connections,
        num_users: n.users,
        num_channels: n.channels ?? 0,
        num_subs: n.subscriptions,
        uptime: Math.floor(n.uptimeMs / 1000),
      }))),
    ],
  };
}
