/**
 * The resolved cluster configuration: what `startCluster` runs with after the file layout
 * (Centrifugo v6 sections `client`, `channel`, `http_api` plus our `cluster` section) was validated.
 */
import type { ChannelSettings, ClientSettings } from '../../shared/channels/channel-options.js';

export const ROUTING_STRATEGIES = ['least-connections', 'round-robin', 'sticky'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

export interface ClusterConfig {
  /** Node processes to start. */
  nodes: number;
  /** Address the client port and the admin port bind to (loopback by default). */
  host: string;
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
  /** The namespace whose `#user` channels are users' personal channels (admin broadcasts to users). */
  personalNamespace: string;
  client: ClientSettings;
  channels: ChannelSettings;
}
