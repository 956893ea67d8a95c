/**
 * `startCluster(config)`: the supervisor. It owns the broker, the registry, the node processes,
 * the gateway on the client port and the HTTP routes behind it. Lifecycle per STYLE.md §4:
 * `stop()` may be called any number of times; every caller awaits the same shutdown.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeId } from '../../shared/ids.js';
import type { NodeMessage, SupervisorRequestName, SupervisorRequests } from '../../shared/ipc/node-ipc.js';
import { Errors } from '../../shared/protocol/codes.js';
import { err } from '../../shared/result.js';
import { createServerApi } from '../api/http-api.js';
import type { NodeInfo, ServerApiBackend } from '../api/server-api-backend.js';
import { createMemoryBroker } from '../broker/memory-broker.js';
import type { ClusterConfig } from '../config/cluster-config.js';
import { createGateway, WEBSOCKET_PATH } from '../gateway/gateway.js';
import { Router } from '../gateway/routing.js';
import { createBrokerOps } from './broker-ops.js';
import { fanOut } from './fanout.js';
import { createHttpServer } from './http-routes.js';
import { nodeEntry } from './node-entry.js';
import { NodePool } from './node-pool.js';
import type { NodeProcess } from './node-process.js';
import { Registry } from './registry.js';
import { SERVER_VERSION } from './version.js';
import { dropNodeState } from './node-loss.js';

export interface ClusterHandle {
  /** `ws://host:port/connection/websocket` */
  readonly clientUrl: string;
  /** `http://host:port/api` */
  readonly apiUrl: string;
  readonly port: number;
  readonly config: ClusterConfig;
  /** Node ids with their process ids, in start order. */
  nodes(): { id: string; pid: number; state: string }[];
  /** Starts one more node; resolves with its id once it is ready. */
  addNode(): Promise<string>;
  stop(): Promise<void>;
}

const NODE_REQUEST_TIMEOUT_MS = 5_000;

const FALLBACKS: { [K in SupervisorRequestName]: SupervisorRequests[K]['res'] } = {
  'sessions.disconnect': { count: 0 },
  'sessions.unsubscribe': { count: 0 },
  'sessions.subscribe': { count: 0, errors: [] },
  'sessions.refresh': { count: 0 },
  'node.drain': { count: 0 },
  'sessions.message': { count: 0 },
  'session.detail': null,
  'node.drop-sockets': { count: 0 },
};

export async function startCluster(config: ClusterConfig): Promise<ClusterHandle> {
  const broker = createMemoryBroker();
  const registry = new Registry();
  const ops = createBrokerOps({
    broker, registry, channels: config.channels, recoveryMaxPublicationLimit: config.client.recoveryMaxPublicationLimit,
  });
  const onNodeMessage = (node: NodeProcess, msg: NodeMessage): void => {
    switch (msg.t) {
      case 'session.opened': return registry.openSession(node.id, msg.session);
      case 'session.closed':
        registry.closeSession(msg.client);
        return;
      case 'req': {
        const handler = ops[msg.op] as (n: NodeId, r: unknown) => Promise<unknown>;
        handler(node.id, msg.req).then(
          (res) => node.send({ t: 'res', id: msg.id, res }),
          (e: Error) => {
            process.stderr.write(`switchboard: ${msg.op} from ${node.id} failed: ${e.stack ?? e}\n`);
            node.send({ t: 'res', id: msg.id, res: err(Errors.internal) });
          },
        );
        return;
      }
      default: return;
    }
  };
  const pool: NodePool = new NodePool({
    entry: nodeEntry(),
    init: { client: config.client, channels: config.channels, statsIntervalMs: config.statsIntervalMs, serverVersion: SERVER_VERSION },
    autoRestart: config.autoRestart,
    backoffMinMs: config.restartBackoffMinMs,
    backoffMaxMs: config.restartBackoffMaxMs,
  }, {
    message: onNodeMessage,
    up: () => undefined,
    down: (node) => void dropNodeState(node.id, { registry, broker, channels: config.channels }),
  });
  const disposeFanout = broker.onEvent(fanOut(registry, pool));

  const router = new Router(config.strategy);
  const backend = apiBackend(config, broker, registry, pool);
  const http: Server = createHttpServer({
    api: createServerApi(backend, { apiKey: config.apiKey, insecure: config.apiInsecure }),
    healthy: () => pool.healthy(Date.now()).length > 0,
  });
  const gateway = createGateway({
    websocket: (socket, head, request) => {
      const healthy = pool.healthy(Date.now());
      const choice = router.pick(healthy.map((p) => ({ id: p.id, load: p.load })), request.query.get('user'));
      return choice ? pool.get(choice.id)!.handoff(socket, head) : false;
    },
    http: (socket, head) => {
      socket.unshift(head);
      http.emit('connection', socket);
      socket.resume();
    },
  });
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const p of pool.all()) p.expire(now, NODE_REQUEST_TIMEOUT_MS);
  }, 1000);
  sweep.unref();

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(sweep);
      gateway.close();
      http.closeAllConnections();
      http.close();
      await pool.stop();
      disposeFanout();
      await broker.stop();
    })();
    return stopping;
  };

  try {
    await Promise.all(Array.from({ length: config.nodes }, () => pool.add()));
    await new Promise<void>((resolve, reject) => {
      gateway.once('error', reject);
      gateway.listen(config.port, config.host, () => resolve());
    });
  } catch (e) {
    await stop();
    throw e;
  }
  const port = (gateway.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    clientUrl: `ws://${host}:${port}${WEBSOCKET_PATH}`,
    apiUrl: `http://${host}:${port}/api`,
    port,
    config,
    nodes: () => pool.all().map((p) => ({ id: p.id, pid: p.pid, state: pool.state(p.id, Date.now()) })),
    addNode: async () => (await pool.add()).id,
    stop,
  };
}

function apiBackend(config: ClusterConfig, broker: ReturnType<typeof createMemoryBroker>, registry: Registry, pool: NodePool): ServerApiBackend {
  return {
    channels: config.channels,
    client: config.client,
    publish: (channel, data, opts) => broker.publish(channel, data, opts),
    history: (channel, query, stream) => broker.history(channel, query, stream),
    removeHistory: (channel) => broker.removeHistory(channel),
    presence: (channel) => broker.presence(channel),
    presenceStats: (channel) => broker.presenceStats(channel),
    toAllNodes: (op, req) => Promise.all(pool.all().filter((p) => !p.exited).map((p) => p.request(op, req, FALLBACKS[op]))),
    channelCounts: () => registry.channelCounts(),
    info: () => pool.all().filter((p) => !p.exited).map((p): NodeInfo => ({
      uid: p.id,
      name: p.id,
      version: SERVER_VERSION,
      num_clients: p.stats?.connections ?? 0,
      num_users: p.stats?.users ?? 0,
      num_channels: registry.channelCountOn(p.id),
      num_subs: p.stats?.subscriptions ?? 0,
      uptime: Math.floor((Date.now() - p.startedAt) / 1000),
    })),
  };
}
