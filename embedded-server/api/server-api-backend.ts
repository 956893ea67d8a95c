/**
 * What the server HTTP API needs from the cluster. The API layer validates every request (channel
 * names, namespaces, limits) and calls these already-checked operations.
 */
import type { AppError, Result } from '../../shared/result.js';
import type {
  ClientInfo, HistoryResult, Json, PresenceStatsResult,
} from '../../shared/protocol/client-protocol.js';
import type { SupervisorRequests } from '../../shared/ipc/node-ipc.js';
import type { SpannedNodeRequest } from '../../shared/engine/survey-ops.js';
import type { HistoryQuery, StreamOptions } from '../broker/broker.js';
import type { ChannelSettings, ClientSettings } from '../../shared/channels/channel-options.js';

/** One node as the `info` method reports it (PROTOCOL.md §10.2). */
export interface NodeInfo {
  uid: string;
  name: string;
  version: string;
  num_clients: number;
  num_users: number;
  num_channels: number;
  num_subs: number;
  uptime: number;
}

export interface ServerApiBackend {
  readonly channels: ChannelSettings;
  readonly client: ClientSettings;
  publish(
    channel: string,
    data: Json,
    opts: { stream: StreamOptions | null; tags?: Record<string, string> },
  ): Promise<{ offset?: number; epoch?: string }>;
  history(channel: string, query: HistoryQuery, stream: StreamOptions): Promise<Result<HistoryResult, AppError>>;
  removeHistory(channel: string): Promise<void>;
  presence(channel: string): Promise<Record<string, ClientInfo>>;
  presenceStats(channel: string): Promise<PresenceStatsResult>;
  /**
   * Sends a sessions command to every live node of every supervisor; answers each node's reply, or an
   * internal error naming the supervisors that did not answer (the others ran it).
   */
  toAllNodes<K extends SpannedNodeRequest>(op: K, req: SupervisorRequests[K]['req']): Promise<Result<SupervisorRequests[K]['res'][], AppError>>;
  /** Channels with at least one subscriber on any node of any supervisor → subscriber count (or who did not answer). */
  channelCounts(): Promise<Result<Map<string, number>, AppError>>;
  /** Every node of every supervisor in view. */
  info(): NodeInfo[];
}
