/**
 * The resolved cluster configuration: what `startCluster` runs with after the file layout
 * (Centrifugo v6 sections `client`, `channel`, `http_api` plus our `cluster` section) was validated.
 */
import type { ChannelSettings, ClientSettings } from '../../shared/channels/channel-options.js';
import type { ClientCommandLimits } from '../../shared/protocol/client-limits.js';

export const ROUTING_STRATEGIES = ['least-connections', 'round-robin', 'sticky'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** Deadlines and caps of the HTTP surfaces; the defaults are in CONFIG_DEFAULTS. */
export interface HttpLimits {
  /** Client port: a connection's first request head must be complete within this long. */
  headTimeoutMs: number;
  /** Client port: a request's body must be complete within this long of its head (else 408). */
  bodyTimeoutMs: number;
  /** Client port: after an answer, the next request's head must be complete within this long. */
  idleTimeoutMs: number;
  /** Client port: connections reading a head or on the HTTP server (not handed to a node), at most. */
  maxPendingConnections: number;
  /** Admin port: a request (head and body) must be complete within this long. */
  adminRequestTimeoutMs: number;
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
  /** A node silent (no stats report) this long is killed (SIGKILL) and replaced; longer than three stats intervals. */
  nodeUnresponsiveTimeoutMs: number;
  /** Bytes the supervisor queues for one node that does not read them before it drops deliveries to it. */
  nodeQueueMaxSize: number;
  /** The namespace whose `#user` channels are users' personal channels (admin broadcasts to users). */
  personalNamespace: string;
  /** Channel streams without a subscriber the broker keeps at most; the least recently used go first. */
  idleChannelLimit: number;
  client: ClientSettings & ClientCommandLimits;
  channels: ChannelSettings;
}
