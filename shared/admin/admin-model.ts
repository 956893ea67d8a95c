/**
 * What the admin API talks about: node and cluster snapshots, time series, lifecycle events,
 * connection and channel rows. Shared by the supervisor (which builds them) and the console.
 */
import type { ClientInfo, HistoryResult, Json } from '../protocol/client-protocol.js';
import type { AlertKind, AlertSeverity } from './alerts-model.js';

export const NODE_STATES = ['starting', 'healthy', 'unhealthy', 'hung', 'partitioned', 'down', 'restarting'] as const;
export type NodeState = (typeof NODE_STATES)[number];

export const STRATEGIES = ['least-connections', 'round-robin', 'sticky'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** One node, once a second. Rates are per second over the last report period. */
export interface NodeSnapshot {
  /**
   * `node-1` for a node of the supervisor the console talks to; `<supervisor>/node-1` for a node of
   * another supervisor on the same engine (node.* methods take either and reach its owner).
   */
  id: string;
  /** The supervisor running it (`cluster.name`). */
  supervisor?: string;
  pid: number;
  state: NodeState;
  /** ms since the current process started; 0 when down. */
  uptimeMs: number;
  restarts: number;
  connections: number;
  users: number;
  subscriptions: number;
  messagesInPerSec: number;
  messagesOutPerSec: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
  /** CPU time over wall time, one core = 100. */
  cpuPercent: number;
  rss: number;
  heapUsed: number;
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  /** An injected fault in progress, with when it heals (unix ms). */
  fault?: { kind: 'hang' | 'partition'; until: number };
  /**
   * Connections the node's open-file limit lets it hold (`ulimit -n` minus what the process keeps
   * for itself); absent where the limit is unknown or unlimited. At it, the gateway routes around it.
   */
  maxConnections?: number;
  /** Clients being moved off this node (a drain before removal, or a rebalance), while it lasts. */
  drain?: DrainProgress;
}

/** Why a node's clients are being moved. */
export type DrainPurpose = 'remove' | 'rebalance';

/** A drain in progress: `moved` of `total` clients told to reconnect elsewhere, at `rate` per second. */
export interface DrainProgress {
  purpose: DrainPurpose;
  total: number;
  moved: number;
  rate: number;
  startedAt: number;
}

/** Clients per second a drain or rebalance may move: bounds, and the console's default. */
export const DRAIN_RATES = { min: 1, max: 100_000, default: 200 } as const;

export interface ClusterTotals {
  nodesUp: number;
  nodesTotal: number;
  connections: number;
  users: number;
  channels: number;
  subscriptions: number;
  messagesInPerSec: number;
  messagesOutPerSec: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
  publicationsPerSec: number;
}

export interface ClusterSnapshot {
  at: number;
  nodes: NodeSnapshot[];
  totals: ClusterTotals;
  strategy: Strategy;
  autoRestart: boolean;
  /** The engine this supervisor runs on; absent from supervisors that predate it. */
  engine?: EngineStatus;
  /**
   * Every supervisor on the engine, this one first: itself, and each whose heartbeat was heard within
   * the last 3 s (one that misses 3 beats leaves, with its nodes). Absent from supervisors that predate it.
   */
  supervisors?: SupervisorView[];
  /**
   * Every backend proxy endpoint of the config, in config order, as this supervisor's nodes call it;
   * empty when no proxy is configured.
   */
  proxies: ProxyHealth[];
}

/**
 * One backend proxy endpoint's health: rates over the nodes' last report period (as their message
 * rates), summed over the nodes, and totals since the supervisor started (restarted nodes included).
 */
export interface ProxyHealth {
  /** The config path of a default proxy (`client.proxy.connect`, `rpc.proxy`…) or its name in `proxies`. */
  name: string;
  /** The URL the nodes POST to. */
  endpoint: string;
  callsPerSec: number;
  /** Calls with no usable answer (unreachable, timed out, non-200 without a transform, malformed, or not made: a limit), per second. */
  failuresPerSec: number;
  /** Failed calls over calls in the same period, 0…1; null when there were no calls in it. */
  failureShare: number | null;
  /**
   * The 99th percentile of the period's call durations, known only to its latency bucket: at most
   * `le` ms, or slower than the last bound (`gt` ms). Null when no call was made in the period.
   */
  p99: LatencyBound | null;
  /** Calls since the supervisor started, on every node process it ran. */
  calls: number;
  failures: number;
}

/** A duration known to a bucket: at most `le` ms, or (the last bucket) more than `gt` ms. */
export type LatencyBound = { le: number } | { gt: number };

/** One supervisor as the others see it through its heartbeats. */
export interface SupervisorView {
  id: string;
  /** The supervisor this console is connected to. */
  self: boolean;
  /** Unix ms its last heartbeat was heard here (for `self`: its own heartbeat heard back; 0: not yet). */
  heardAt: number;
  /** Its engine link as it reports it. */
  engine: EngineStatus;
  nodes: number;
  /**
   * Warm standby processes waiting to take a lost node's place (`cluster.standby_nodes`): not nodes,
   * never routed to, no connections. Absent where the supervisor does not say (another supervisor's heartbeat).
   */
  standbyNodes?: number;
  connections: number;
  /** Publications made through it (client, HTTP API, console), per second: counted once, at the publisher. */
  publicationsPerSec: number;
}

/** The link to the engine's server: connected, trying to reconnect, or given up / not yet connected. */
export type EngineLink = 'connected' | 'reconnecting' | 'down';

/** The engine (broker, presence, control bus) as one supervisor sees it. */
export interface EngineStatus {
  /** Which implementation: the in-process one or Redis. */
  kind: 'memory' | 'redis';
  /** This supervisor's id (`cluster.name`). */
  supervisor: string;
  /**
   * Unix ms when this supervisor last heard its own heartbeat on the control bus (0: not yet).
   * An age past a few seconds means its control subscription no longer delivers.
   */
  controlHeardAt: number;
  /** Where the engine lives (`redis://127.0.0.1:6379`, password removed); absent for the in-process engine. */
  address?: string;
  /** The link to the engine's server (the worse of its connections); the in-process engine is always connected. */
  link?: EngineLink;
  /** Round-trip time of the last PING, ms (null: none answered yet or the link is down). */
  rttMs?: number | null;
  /** Times a connection to the engine was re-established since start. */
  reconnects?: number;
}

/** One second of one node (or of the whole cluster). */
export interface SeriesPoint {
  at: number;
  connections: number;
  messagesInPerSec: number;
  messagesOutPerSec: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
  cpuPercent: number;
}

/** The last 5 minutes at 1 s: sent once on connect, then extended by each snapshot. */
export interface TimeSeries {
  intervalMs: number;
  total: SeriesPoint[];
  nodes: Record<string, SeriesPoint[]>;
}

/** Why a recovery did not recover. */
export type RecoveryMiss = 'epoch changed' | 'gap left the history window' | 'too many missed';

/** One subscribe-with-recovery, as the console's recovery timeline shows it. */
export interface RecoveryRecord {
  at: number;
  client: string;
  channel: string;
  recovered: boolean;
  /** Publications replayed in the subscribe reply. */
  replayed: number;
  fromOffset: number;
  toOffset: number;
  miss?: RecoveryMiss;
}

interface EventBase {
  seq: number;
  at: number;
}

/** Lifecycle events, as they happen; `by` names the admin connection that acted. */
export type AdminEvent = EventBase & (
  | { type: 'client.connected'; node: string; client: string; user: string; remote: string }
  | { type: 'client.disconnected'; node: string; client: string; user: string; code: number; reason: string }
  | { type: 'client.subscribed'; node: string; client: string; user: string; channel: string }
  | { type: 'client.unsubscribed'; node: string; client: string; user: string; channel: string }
  | { type: 'subscription.recovered'; node: string; client: string; user: string; channel: string; recovered: boolean; replayed: number; miss?: RecoveryMiss }
  /** `user`: the kicked connection's user, when the target is one connection (a user target names it already). */
  | { type: 'client.kicked'; by: string; target: KickTarget; user?: string; count: number; code: number; reason: string }
  /** `connections`/`nodes`: the reach counted before the send; `delivered` as in BroadcastOutcome. */
  | { type: 'broadcast.sent'; by: string; audience: Audience; connections: number; nodes: number; delivered?: number }
  | { type: 'node.started' | 'node.restarted'; node: string; pid: number }
  | { type: 'node.unhealthy' | 'node.recovered'; node: string }
  /** The node sent no report for `silentMs` (past `cluster.node_unresponsive_timeout`): killed (SIGKILL) to be replaced. */
  | { type: 'node.unresponsive'; node: string; pid: number; silentMs: number }
  | { type: 'node.down'; node: string; code: number | null; signal: string | null }
  | { type: 'node.removed'; node: string }
  /** Clients start moving off the node: no new connections reach it meanwhile. */
  | { type: 'node.draining'; node: string; purpose: DrainPurpose; total: number; rate: number }
  /** The move is over: `moved` clients told to reconnect elsewhere in `ms`. */
  | { type: 'node.drained'; node: string; purpose: DrainPurpose; moved: number; ms: number }
  | { type: 'fault.injected'; by: string; node: string; fault: FaultKind; seconds?: number }
  | { type: 'fault.healed'; node: string; fault: FaultKind }
  | { type: 'admin.action'; by: string; action: string; detail: string }
  /**
   * The supervisor's engine subscription delivers again after it `dropped` (reconnected by itself)
   * or went `silent` (its own heartbeat unheard for 3 s, so it was reconnected): its nodes reconcile positions.
   */
  | { type: 'engine.resubscribed'; supervisor: string; cause: 'dropped' | 'silent' }
  /** Another supervisor's heartbeat was heard for the first time (or again after it had left). */
  | { type: 'supervisor.joined'; supervisor: string; nodes: number }
  /**
   * A supervisor missed 3 heartbeats: its nodes leave the view, and the presence entries its nodes
   * owned are removed here (`reaped`, with leave pushes) unless another supervisor got to them first.
   */
  | { type: 'supervisor.left'; supervisor: string; nodes: number; reaped: number }
  /** An alert rule's breach held for its `forSeconds` (shared/admin/alerts-model.ts); `node` for per-node rules. */
  | { type: 'alert.firing'; rule: AlertKind; severity: AlertSeverity; node?: string; value: number; threshold: number; text: string }
  /** The alert fired at `firedAt` is over: the value is back within its threshold, its node is gone or its rule was disabled. */
  | { type: 'alert.resolved'; rule: AlertKind; severity: AlertSeverity; node?: string; value: number; text: string; firedAt: number }
);

export type AdminEventType = AdminEvent['type'];

export const ADMIN_EVENT_TYPES = {
  'client.connected': 1, 'client.disconnected': 1, 'client.subscribed': 1, 'client.unsubscribed': 1,
  'subscription.recovered': 1, 'client.kicked': 1, 'broadcast.sent': 1, 'node.started': 1, 'node.restarted': 1,
  'node.unhealthy': 1, 'node.recovered': 1, 'node.unresponsive': 1, 'node.down': 1, 'node.removed': 1, 'node.draining': 1, 'node.drained': 1, 'fault.injected': 1, 'fault.healed': 1,
  'admin.action': 1, 'engine.resubscribed': 1, 'supervisor.joined': 1, 'supervisor.left': 1,
  'alert.firing': 1, 'alert.resolved': 1,
} as const satisfies Record<AdminEventType, 1>;

export type FaultKind = 'kill' | 'hang' | 'partition' | 'drop';

export type KickTarget = { client: string } | { user: string } | { channel: string };

export type Audience =
  | { kind: 'all' }
  | { kind: 'channels'; channels: string[] }
  | { kind: 'users'; users: string[] };

export interface ConnectionRow {
  client: string;
  user: string;
  /** As NodeSnapshot.id: `node-1` here, `<supervisor>/node-1` on another supervisor. */
  node: string;
  /** The supervisor holding the connection. */
  supervisor?: string;
  remote: string;
  connectedAt: number;
  subscriptions: number;
  /** SDK name and version from the connect command. */
  name: string;
  version: string;
}

export interface SubscriptionDetail {
  channel: string;
  positioned: boolean;
  recoverable: boolean;
  serverSide: boolean;
  /** The stream position this node delivered up to, for positioned channels. */
  offset?: number;
  epoch?: string;
}

export interface ConnectionDetail extends ConnectionRow {
  subscriptionList: SubscriptionDetail[];
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
  /** Recoveries of this user (across its reconnects), newest first. */
  recoveries: RecoveryRecord[];
}

export interface ChannelRow {
  channel: string;
  namespace: string;
  subscribers: number;
  /** Nodes with at least one subscriber. */
  nodes: number;
  publicationsPerSec: number;
  /** Stream top, for channels with history. */
  offset?: number;
  epoch?: string;
}

export interface PresenceMember extends ClientInfo {
  node: string;
}

export interface ChannelDetail extends ChannelRow {
  presenceEnabled: boolean;
  historyEnabled: boolean;
  typing: boolean;
  presence: PresenceMember[];
  history: HistoryResult | null;
}

/** Live activity of a watched channel (console's presence, typing and inspector views). */
export type ChannelActivity =
  | {
    kind: 'pub'; data: Json; info?: ClientInfo; offset?: number; at: number;
    /** The stream's epoch, for channels with history. */
    epoch?: string;
    /** Bytes of the data as JSON (UTF-8), before any cut. */
    size?: number;
    /** True when the data was too big for a push: `data` is then the start of its JSON text (a string). */
    cut?: true;
    /** Who published (see PublicationSource); absent from servers that predate it. */
    source?: PublicationSource;
  }
  | { kind: 'join' | 'leave'; info: ClientInfo; at: number };

/**
 * Who published: a client (its `info` names the client and user), the server HTTP API, the admin
 * API (console publish or broadcast), or `unknown` when this supervisor cannot tell (a server
 * publish relayed by the Redis engine).
 */
export type PublicationSource = 'client' | 'http-api' | 'admin' | 'unknown';

/**
 * A `channel.activity` push's count of the publications since the previous push: how many the
 * channel had and how many of them the push carries. `sent < publications` means sampling.
 */
export interface ActivitySampling {
  /** Milliseconds the counts cover. */
  ms: number;
  publications: number;
  sent: number;
  /** The most publications a watch carries per second. */
  limitPerSec: number;
}

/** What a broadcast to users says per user, and what the nodes report of a send. */
export interface BroadcastOutcome {
  /**
   * Connections the nodes wrote the message to, as they answered the send (a `message` push: the
   * `all` and `users` audiences). Absent on a dry run and for channels, whose publications fan out
   * through the engine without a per-connection answer.
   */
  delivered?: number;
  /** Users audience: each user's connections, in the order given. */
  perUser?: { user: string; connections: number }[];
  /** Users audience: the users with no connection on any node (of the supervisors that answered). */
  notConnected?: string[];
}

export interface BroadcastRecord extends Pick<BroadcastOutcome, 'delivered' | 'notConnected'> {
  id: number;
  at: number;
  by: string;
  audience: Audience;
  /** The first 200 characters of the message as JSON. */
  preview: string;
  /** The reach counted before the send. */
  connections: number;
  nodes: number;
}

export interface NamespaceSummary {
  name: string;
  description: string;
}

/** What the console learns on connect. */
export interface AdminHello {
  serverVersion: string;
  /** This admin connection, as events name it. */
  you: string;
  clientUrl: string;
  apiUrl: string;
  namespaces: NamespaceSummary[];
  personalNamespace: string;
  lastEventSeq: number;
  /**
   * When this supervisor's event log started (Unix ms). Sequence numbers count from 1 again in a
   * supervisor started anew: a console that sees this change drops the events it holds.
   */
  eventsStartedAt: number;
}
