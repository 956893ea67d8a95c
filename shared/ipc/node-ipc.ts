/**
 * The supervisor ↔ node boundary: every IPC message, typed once (ARCHITECTURE.md, STYLE.md §2).
 * Messages travel in batches (one `process.send` of an array per event-loop turn), except the
 * connection hand-off, which carries a socket handle and goes alone.
 */
import type { SubscriptionOverride } from '../channels/subscription-override.js';
import type { ProxySettings } from '../proxy/proxy-settings.js';
import type { AppError, Result } from '../result.js';
import type { ChannelSettings, ClientSettings } from '../channels/channel-options.js';
import type { ClientCommandLimits } from '../protocol/client-limits.js';
import type {
  ClientInfo, HistoryResult, Json, PresenceStatsResult, Publication, StreamPosition,
} from '../protocol/client-protocol.js';

/** What a node needs to serve clients; sent once, right after the fork. */
export interface NodeInit {
  nodeId: string;
  /** The supervisor's id (`cluster.name`): an emulated connection's `node` is `<supervisor>/<nodeId>`. */
  supervisor: string;
  client: ClientSettings & ClientCommandLimits;
  channels: ChannelSettings;
  /** Backend proxies the node calls (connect, refresh, subscribe, publish, sub_refresh, rpc, send). */
  proxies: ProxySettings;
  /** Stats report period in ms (the supervisor derives health from their age). */
  statsIntervalMs: number;
  serverVersion: string;
}

/** Per-node figures, reported every `statsIntervalMs` (counters are totals since the node started). */
export interface NodeStats {
  /** Open WebSockets (connected or still before their connect command). */
  connections: number;
  users: number;
  subscriptions: number;
  /** Protocol messages received (commands; several may share a frame). */
  messagesIn: number;
  /** Protocol messages sent (replies and pushes; several may share a frame). */
  messagesOut: number;
  /** WebSocket payload bytes. */
  bytesIn: number;
  bytesOut: number;
  /** CPU time (user + system) in µs since the node started. */
  cpuMicros: number;
  rss: number;
  heapUsed: number;
  /** Event-loop delay over the last period, ms. */
  loopDelayP50: number;
  loopDelayP99: number;
  /**
   * Sockets the gateway handed to this node that are settled — open as a session (so inside
   * `connections`) or closed before that — since the node started. The supervisor subtracts it
   * from the hand-offs it made to know how many are still in flight and not in `connections`.
   */
  handoffsSettled?: number;
  /**
   * Backend proxy calls per endpoint name (`ProxyEndpoint.name`), totals since the node started;
   * absent when the node has no proxies.
   */
  proxies?: Record<string, ProxyCounts>;
}

/** One proxy endpoint's calls on one node, totals since the node started. */
export interface ProxyCounts {
  /** Calls made, and calls not made because of a limit (those count as failures too). */
  calls: number;
  /** Calls with no usable answer: unreachable, timed out, non-200 without a transform, malformed, or not made. */
  failures: number;
  /**
   * Durations of the calls made, one count per bucket of PROXY_LATENCY_BOUNDS_MS
   * (shared/proxy/proxy-latency.ts) plus a last bucket for everything slower.
   */
  latency: number[];
}

/** A session as the registry knows it. */
export interface SessionOpened {
  client: string;
  user: string;
  remote: string;
  connectedAt: number;
  name: string;
  version: string;
}

// ---------------------------------------------------------------- node → supervisor requests

export interface SubscribeOp {
  channel: string;
  info: ClientInfo;
  /** Keep a presence entry for this subscription. */
  presence: boolean;
  /** Publish join now and leave when the subscription ends. */
  emitJoinLeave: boolean;
  /** The subscription is positioned (answers with the stream position). */
  positioned: boolean;
  /** Recover from this position (recovery implies positioned). */
  recover?: { offset: number; epoch: string };
}

/** Stream position at subscribe time and, when recovery was asked, its outcome. */
export interface SubscribeOutcome {
  position?: StreamPosition;
  recovered?: boolean;
  /** Missed publications, ascending; only when `recovered`. */
  publications?: Publication[];
}

export interface NodeRequests {
  'broker.subscribe': { req: SubscribeOp; res: Result<SubscribeOutcome> };
  'broker.unsubscribe': { req: { channel: string; info: ClientInfo; presence: boolean; emitLeave: boolean }; res: null };
  /** A client publication; `tags` and `skipHistory` come from the publish proxy's result. */
  'broker.publish': { req: { channel: string; data: Json; info?: ClientInfo; tags?: Record<string, string>; skipHistory?: boolean }; res: Result<{ offset?: number; epoch?: string }> };
  'broker.presence': { req: { channel: string }; res: Result<Record<string, ClientInfo>> };
  'broker.presence_stats': { req: { channel: string }; res: Result<PresenceStatsResult> };
  'broker.history': {
    req: { channel: string; limit: number; since?: { offset: number; epoch: string }; reverse: boolean };
    res: Result<HistoryResult>;
  };
  /** The current stream positions of channels, to detect what a node missed (PROTOCOL.md §6.5). */
  'broker.positions': { req: { channels: string[] }; res: Record<string, StreamPosition> };
  /**
   * A connect of `user` as `client` asks for one of the user's `limit` connections in this
   * supervisor (`client.user_connection_limit`); an error 106 when the user holds them all.
   */
  'user.admit': { req: { user: string; client: string; limit: number }; res: Result<null> };
}

// ---------------------------------------------------------------- supervisor → node requests

/** Which sessions a command addresses: a user's (all or one client of it), or everyone. */
export interface SessionTarget {
  user?: string;
  /** Every session of any of these users (a broadcast to users); ignored when `user` is given. */
  users?: string[];
  client?: string;
  /** Only the connection with this session id (Session.session); a connection without one never matches. */
  session?: string;
  /** Only sessions subscribed to this channel. */
  subscribedTo?: string;
  /** Clients spared. */
  whitelist?: string[];
}

/** Per-session figures and subscriptions, for the admin API's connection detail. */
export interface SessionDetail {
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
  subscriptions: { channel: string; positioned: boolean; recoverable: boolean; serverSide: boolean; offset?: number; epoch?: string }[];
}

export interface SupervisorRequests {
  'sessions.disconnect': { req: SessionTarget & { code: number; reason: string }; res: { count: number } };
  'sessions.unsubscribe': { req: SessionTarget & { channel: string; code: number; reason: string }; res: { count: number } };
  'sessions.subscribe': {
    req: SessionTarget & { channel: string; info?: Json; data?: Json; recoverSince?: { offset: number; epoch: string }; override?: SubscriptionOverride };
    res: { count: number; errors: AppError[] };
  };
  'sessions.refresh': { req: SessionTarget & { expired?: boolean; expireAt?: number; info?: Json }; res: { count: number } };
  /**
   * Gracefully close sessions with a reconnect code: every one, or the `limit` oldest not already
   * closing (one batch of a drain or rebalance). `left`: sessions still open and not closing after it.
   */
  'node.drain': { req: { code: number; reason: string; limit?: number }; res: { count: number; left: number } };
  /** A `message` push (no channel) to the targeted sessions; `count`: the sessions it was written to. */
  'sessions.message': { req: SessionTarget & { data: Json }; res: { count: number } };
  'session.detail': { req: { client: string }; res: SessionDetail | null };
  /** Fault: destroy every client socket without a close frame. */
  'node.drop-sockets': { req: Record<string, never>; res: { count: number } };
}

export type NodeRequestName = keyof NodeRequests;
export type SupervisorRequestName = keyof SupervisorRequests;

// ---------------------------------------------------------------- deliveries

/**
 * A publication or join/leave for a channel, pre-encoded once for every subscriber. A publication
 * with tags carries them beside the frame too, for subscribers with a tags filter (the node never
 * parses frames).
 */
export type Delivery =
  /** `delta`: sent as a fossil delta to subscribers that negotiated one (local-hub.ts). */
  | { kind: 'pub'; channel: string; frame: string; offset?: number; epoch?: string; tags?: Record<string, string>; delta?: boolean }
  | { kind: 'join' | 'leave'; channel: string; frame: string };

// ---------------------------------------------------------------- the unions

/**
 * In place of the answer to request `id`, which could not be sent (it could not be encoded, see
 * shared/ipc/guarded-send.ts): the requester fails the request (its error or fallback answer).
 */
export interface ResFailed {
  t: 'res.failed';
  id: number;
  /** Why, for the log. */
  reason: string;
}

export type NodeMessage =
  /** `maxConnections`: what the node's open-file limit lets it hold; absent when it cannot tell. */
  | { t: 'ready'; pid: number; maxConnections?: number }
  | { t: 'stats'; at: number; stats: NodeStats }
  /** The node received a handed-over socket (sent for each, after Node acknowledged the handle). */
  | { t: 'conn.taken' }
  | { t: 'session.opened'; session: SessionOpened }
  | { t: 'session.closed'; client: string; code: number; reason: string }
  /**
   * Presence entries of this node that are still live, so the broker keeps them past their TTL: one
   * message per `client.presence_update_interval` (in chunks), sent by the node's sweep.
   */
  | { t: 'presence.refresh'; entries: { channel: string; client: string }[] }
  | { [K in NodeRequestName]: { t: 'req'; id: number; op: K; req: NodeRequests[K]['req'] } }[NodeRequestName]
  | { t: 'res'; id: number; res: unknown }
  | ResFailed;

export type SupervisorMessage =
  | { t: 'init'; init: NodeInit }
  | { t: 'deliver'; items: Delivery[] }
  /** Broker positions of channels the node follows, after it may have missed deliveries. */
  | { t: 'reconcile'; positions: Record<string, StreamPosition> }
  | { [K in SupervisorRequestName]: { t: 'req'; id: number; op: K; req: SupervisorRequests[K]['req'] } }[SupervisorRequestName]
  | { t: 'res'; id: number; res: unknown }
  | ResFailed
  /** A command frame for an emulated session (`POST /emulation` on the client port). */
  | { t: 'emulation'; session: string; data: string }
  | { t: 'shutdown' };

/** The hand-off message; travels alone, with the client socket as its handle. */
export interface HandoffMessage {
  t: 'conn';
  /** The request head bytes the gateway already read, base64. */
  head: string;
}

export const NODE_REQUESTS = {
  'broker.subscribe': 1, 'broker.unsubscribe': 1, 'broker.publish': 1, 'broker.presence': 1,
  'broker.presence_stats': 1, 'broker.history': 1, 'broker.positions': 1, 'user.admit': 1,
} as const satisfies Record<NodeRequestName, 1>;

export const SUPERVISOR_REQUESTS = {
  'sessions.disconnect': 1, 'sessions.unsubscribe': 1, 'sessions.subscribe': 1, 'sessions.refresh': 1, 'node.drain': 1,
  'sessions.message': 1, 'session.detail': 1, 'node.drop-sockets': 1,
} as const satisfies Record<SupervisorRequestName, 1>;
