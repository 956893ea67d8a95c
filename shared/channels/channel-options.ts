/**
 * Channel and client settings after the config is loaded and validated: Centrifugo's option names
 * (PROTOCOL.md §9.2) in camelCase, durations in milliseconds. Nodes and the supervisor hold the same copy.
 */
import { jsonLimitProblem, PUBLICATION_LIMITS } from '../json-limits.js';
import type { UniTransportSettings } from '../protocol/uni-transports.js';

/** Options of one namespace (or of channels without a namespace). All default to false / 0. */
export interface ChannelOptions {
  presence: boolean;
  joinLeave: boolean;
  forcePushJoinLeave: boolean;
  /** History keeps at most this many publications; history needs size > 0 and ttl > 0. */
  historySize: number;
  historyTtlMs: number;
  /** How long a stream's offset and epoch outlive its last use. */
  historyMetaTtlMs: number;
  forcePositioning: boolean;
  allowPositioning: boolean;
  forceRecovery: boolean;
  allowRecovery: boolean;
  allowSubscribeForClient: boolean;
  allowSubscribeForAnonymous: boolean;
  allowPublishForClient: boolean;
  allowPublishForSubscriber: boolean;
  allowPublishForAnonymous: boolean;
  allowPresenceForClient: boolean;
  allowPresenceForSubscriber: boolean;
  allowPresenceForAnonymous: boolean;
  allowHistoryForClient: boolean;
  allowHistoryForSubscriber: boolean;
  allowHistoryForAnonymous: boolean;
  allowUserLimitedChannels: boolean;
  /** Regex (source) the part after `ns:` must match for client-side subscribes; "" = any. */
  channelRegex: string;
  /** Proxy (ProxySettings.endpoints name) asked instead of the permission rules on subscribe; "" = none. */
  subscribeProxy: string;
  /** Proxy asked instead of the permission rules on a client publish; "" = none. */
  publishProxy: string;
  /** Proxy that refreshes expiring subscriptions server-side; "" = the client refreshes them. */
  subRefreshProxy: string;
  /** "" rejects empty data (default), "json" any JSON, "json_object" objects only. */
  publicationDataFormat: '' | 'json' | 'json_object';
  /** Switchboard extension: client publications per second per connection and channel; 0 = unlimited. */
  publishRateLimit: number;
  /** Clients may send a tags filter (`tf`) on subscribe; they get only the publications it passes. */
  allowTagsFilter: boolean;
  /** `allowed_delta_types` holds "fossil": a positioned subscriber may negotiate fossil deltas. */
  allowDelta: boolean;
  /** Every publication is delta-encoded for subscribers that negotiated deltas (`delta_publish`). */
  deltaPublish: boolean;
}

export interface ChannelSettings {
  withoutNamespace: ChannelOptions;
  namespaces: Record<string, ChannelOptions>;
  privatePrefix: string;
  namespaceBoundary: string;
  userBoundary: string;
  userSeparator: string;
  maxLength: number;
}

export interface ClientSettings {
  /** HS256/384/512 secret for connection and subscription tokens. */
  tokenHmacSecret: string;
  tokenAudience: string;
  tokenIssuer: string;
  /** Every permission check passes and no token is needed (local experiments only). */
  insecure: boolean;
  allowAnonymousConnectWithoutToken: boolean;
  insecureSkipTokenSignatureVerify: boolean;
  /** Empty: only requests without an Origin header; ["*"]: all; else glob patterns. */
  allowedOrigins: string[];
  pingIntervalMs: number;
  /** How often a node refreshes its connections' presence entries (they expire after the engine's presence TTL). */
  presenceUpdateIntervalMs: number;
  pongTimeoutMs: number;
  /** Channels per connection (error 106 past it). */
  channelLimit: number;
  /** Connections per user across the supervisor's nodes; 0 = unlimited (close 3504 past it). */
  userConnectionLimit: number;
  /** Largest incoming WebSocket message in bytes (close 1009 past it). */
  maxMessageSize: number;
  /** Outgoing bytes buffered for a connection before it is closed 3008 "slow". */
  queueMaxSize: number;
  /** A connection that sends no valid connect within this delay is closed 3502. */
  staleCloseDelayMs: number;
  /** An expired connection is closed 3005 this long after its expiry unless it refreshes. */
  expiredCloseDelayMs: number;
  recoveryMaxPublicationLimit: number;
  historyMaxPublicationLimit: number;
  /** The unidirectional transports (`uni_websocket`, `uni_sse`, `uni_http_stream`), all off by default. */
  uni: UniTransportSettings;
}

export const DEFAULT_CHANNEL_OPTIONS: ChannelOptions = {
  presence: false,
  joinLeave: false,
  forcePushJoinLeave: false,
  historySize: 0,
  historyTtlMs: 0,
  historyMetaTtlMs: 720 * 3600_000,
  forcePositioning: false,
  allowPositioning: false,
  forceRecovery: false,
  allowRecovery: false,
  allowSubscribeForClient: false,
  allowSubscribeForAnonymous: false,
  allowPublishForClient: false,
  allowPublishForSubscriber: false,
  allowPublishForAnonymous: false,
  allowPresenceForClient: false,
  allowPresenceForSubscriber: false,
  allowPresenceForAnonymous: false,
  allowHistoryForClient: false,
  allowHistoryForSubscriber: false,
  allowHistoryForAnonymous: false,
  allowUserLimitedChannels: false,
  channelRegex: '',
  subscribeProxy: '',
  publishProxy: '',
  subRefreshProxy: '',
  publicationDataFormat: '',
  publishRateLimit: 0,
  allowTagsFilter: false,
  allowDelta: false,
  deltaPublish: false,
};

/** True when the namespace keeps history (both size and ttl set). */
export const hasHistory = (o: ChannelOptions): boolean => o.historySize > 0 && o.historyTtlMs > 0;

/**
 * Publication data against `publication_data_format` and the publication limits (shared/json-limits.ts:
 * 64 levels deep, 1 MiB as JSON): an answer to "why not", or null when fine. Data is always
 * required; the default "" also refuses empty data (`null` or ""), "json_object" wants an object.
 */
export function publicationDataProblem(format: ChannelOptions['publicationDataFormat'], data: unknown): string | null {
  if (data === undefined) return 'data is required';
  if (format === '' && (data === null || data === '')) return 'data must not be empty';
  if (format === 'json_object' && (typeof data !== 'object' || data === null || Array.isArray(data))) return 'data must be a JSON object';
  return publicationInfoProblem('data', data);
}

/**
 * A JSON value that travels with publications or presence (`info`, `conn_info`, `chan_info`) against
 * the publication limits: why not, naming `what` and the limit ("info is nested deeper than 64
 * levels"), or null when fine.
 */
export function publicationInfoProblem(what: string, value: unknown): string | null {
  const problem = jsonLimitProblem(value, PUBLICATION_LIMITS);
  return problem === null ? null : `${what} is ${problem}`;
}
