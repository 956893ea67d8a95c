/**
 * The resolved cluster configuration: what `startCluster` runs with after the file layout
 * (Centrifugo v6 sections `client`, `channel`, `http_api` plus our `cluster` section) was validated.
 */
import type { ChannelSettings, ClientSettings } from '../../shared/channels/channel-options.js';
import type { ClientCommandLimits } from '../../shared/protocol/client-limits.js';
import type { ProxySettings } from '../../shared/proxy/proxy-settings.js';

export const ROUTING_STRATEGIES = ['least-connections', 'round-robin', 'sticky'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

export const ENGINE_TYPES = ['memory', 'redis'] as const;
export type EngineType = (typeof ENGINE_TYPES)[number];

/** Which engine the cluster runs on (Centrifugo v6's `engine` section). */
export interface EngineConfig {
  /** `memory`: the in-process engine (default); `redis`: streams, presence and the control bus in Redis. */
  type: EngineType;
  /** Used when `type` is `redis`. */
  redis: {
    /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
    address: string;
    /** Prefix of every key and pub/sub channel; supervisors sharing a prefix form one cluster. */
    prefix: string;
    /** How long a presence entry outlives its last refresh (`presence_ttl`; absent: Centrifugo's 60 s). */
    presenceTtlMs?: number;
    /** The master's ACL user, password and database (`user`, `password`, `db`) where the URL names none; with Sentinel, the only way to give them. */
    user?: string;
    password?: string;
    db?: number;
    /** Find the master through Redis Sentinel (and follow its failovers) instead of `address`. */
    sentinel?: RedisSentinelConfig;
  };
}

/** `engine.redis.sentinel_*`: the sentinels to ask, and the name of the master group they watch. */
export interface RedisSentinelConfig {
  /** `host:port` of each sentinel (`sentinel_address`); any one that answers is enough. */
  addresses: { host: string; port: number }[];
  /** `sentinel_master_name`: the name in the sentinels' `sentinel monitor <name> …` line. */
  masterName: string;
  /** `sentinel_user` / `sentinel_password`: the sentinels' own credentials (not the master's). */
  user?: string;
  password?: string;
}

/** Deadlines and caps of the HTTP surfaces; the defaults are in CONFIG_DEFAULTS. */
export interface HttpLimits {
  /** Client port: a connection's first request head must be complete within this long. */
  headTimeoutMs: number;
  /** Client port: the largest first request head, in bytes (431 past it). */
  headMaxBytes: number;
  /** Client port: a request's body must be complete within this long of its head (else 408). */
  bodyTimeoutMs: number;
  /** Client port: after an answer, the next request's head must be complete within this long. */
  idleTimeoutMs: number;
  /** Client port: connections reading a head or on the HTTP server (not handed to a node), at most. */
  maxPendingConnections: number;
  /** Client port: of those, from one remote address at most (default a quarter of maxPendingConnections). */
  maxPendingConnectionsPerIp: number;
  /** Admin port: a request (head and body) must be complete within this long. */
  adminRequestTimeoutMs: number;
  /** Server HTTP API: the largest request body, in bytes (413 past it). */
  apiMaxBodyBytes: number;
}

/**
 * How the gateway admits new client WebSocket connections (`client.connection_limit`,
 * `client.connection_rate_limit`, `client.connection_rate_limit_per_ip`). A refused upgrade is
 * answered `503` with `Retry-After`: the centrifuge client sees a failed transport and reconnects
 * with backoff, so a connect storm becomes slower admission rather than dead nodes. 0 = unlimited.
 */
export interface AdmissionLimits {
  /** Client connections one node holds at most (Centrifugo's per-node `client.connection_limit`). */
  connectionLimit: number;
  /** New WebSocket connections this supervisor's gateway admits per second, from all addresses. */
  connectionRateLimit: number;
  /** New WebSocket connections admitted per second from one remote address. */
  connectionRateLimitPerIp: number;
}

export interface ClusterConfig {
  /** This supervisor's id (`cluster.name`, default `sb-` + 6 random base32 characters); prefixes its nodes' incarnations. */
  name: string;
  /** Node processes to start. */
  nodes: number;
  /** Address the client port binds to (loopback by default). */
  host: string;
  /** Address the admin port binds to: loopback unless asked for separately (`--admin-host`). */
  adminHost: string;
  /**
   * Host names both ports answer for besides localhost, IP literals and the bound addresses
   * (gateway/allowed-hosts.ts): `example.com`, `*.example.com`, or `*` for any.
   */
  allowedHosts: string[];
  /**
   * Browser origins that may use the admin API besides the console the admin port serves and the
   * desktop app (`switchboard://console`), e.g. a console bundle served from elsewhere. Exact origins.
   */
  adminAllowedOrigins: string[];
  /** Deadlines and caps of the HTTP surfaces (client port and admin port). */
  http: HttpLimits;
  /** Caps and rates of new client connections at the gateway. */
  admission: AdmissionLimits;
  /** Client WebSocket + server HTTP API port; 0 picks a free one. */
  port: number;
  /** Admin API port; 0 picks a free one. */
  adminPort: number;
  /** Per-launch admin token; generated when empty. */
  adminToken: string;
  strategy: RoutingStrategy;
  /** Server HTTP API key (X-API-Key). */
  apiKey: string;
  /** Server HTTP API without a key (local experiments only). */
  apiInsecure: boolean;
  /** Period of node stats reports; three missed → unhealthy. */
  statsIntervalMs: number;
  autoRestart: boolean;
  restartBackoffMinMs: number;
  restartBackoffMaxMs: number;
  /**
   * Warm standby node processes: forked with the cluster and kept loaded (not routable, no
   * connections), one takes a lost node's place at its restart instead of a new process.
   */
  standbyNodes: number;
  /** A node silent (no stats report) this long is killed (SIGKILL) and replaced; longer than three stats intervals. */
  nodeUnresponsiveTimeoutMs: number;
  /** Bytes the supervisor queues for one node that does not read them before it drops deliveries to it. */
  nodeQueueMaxSize: number;
  /** The namespace whose `#user` channels are users' personal channels (admin broadcasts to users). */
  personalNamespace: string;
  /** Channel streams without a subscriber the broker keeps at most; the least recently used go first. */
  idleChannelLimit: number;
  /** The engine: in-process (default) or Redis. */
  engine: EngineConfig;
  client: ClientSettings & ClientCommandLimits;
  channels: ChannelSettings;
  /** Backend proxies (connect, refresh, send, RPC endpoints; the channel ones are named by the namespaces). */
  proxies: ProxySettings;
}

/** `engine.redis.prefix`: it starts every key, so no Redis Cluster hash-tag braces or spaces. */
export const REDIS_PREFIX = /^[A-Za-z0-9_.:-]{1,64}$/;
export const REDIS_PREFIX_RULE = 'must be 1 to 64 letters, digits, ".", "_", ":" or "-"';

/** Why a Redis address cannot be used, or undefined when it can. */
export function redisAddressProblem(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return `"${address}" is not a URL: use redis://host:port, e.g. redis://127.0.0.1:6379`;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `"${address}" must start with redis:// or rediss://`;
  if (url.hostname === '') return `"${address}" names no host: use redis://host:port`;
  return undefined;
}

/** A sentinel's `host:port` (Centrifugo's form, e.g. "127.0.0.1:26379"), or why it cannot be used. */
export function parseSentinelAddress(address: string): { host: string; port: number } | { problem: string } {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/@[\]]+):(\d{1,5})$/.exec(address);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) {
    return { problem: `"${address}" is not host:port: write each sentinel as host:port, e.g. "127.0.0.1:26379" (no redis://, no credentials: use sentinel_user and sentinel_password)` };
  }
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}
