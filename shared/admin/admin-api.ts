/**
 * The admin API contract (console ↔ supervisor): every request with its params schema and result
 * type, and every push. One map each, kept exhaustive by the compiler (STYLE.md §2).
 */
import { z } from 'zod';
import type { Json } from '../protocol/client-protocol.js';
import type {
  ActivitySampling, AdminEvent, AdminHello, BroadcastOutcome, BroadcastRecord, ChannelActivity, ChannelDetail, ChannelRow, ClusterSnapshot,
  ConnectionDetail, ConnectionRow, TimeSeries,
} from './admin-model.js';
import { DRAIN_RATES, STRATEGIES } from './admin-model.js';
import type { SimulatorStatus } from './simulator-model.js';
import type { ExternalFleet } from './external-fleet-model.js';
import type { AuditPage } from './audit-model.js';
import type { MetricsHistory } from './metrics-history-model.js';
import type { AlertInstance, AlertList, AlertRule } from './alerts-model.js';
import { ALERT_HISTORY_MAX, ALERT_KINDS, ALERT_SEVERITIES } from './alerts-model.js';
import { HISTORY_MAX_POINTS } from './metrics-history-model.js';
import { SIM_LIMITS, SIM_PROFILES } from './simulator-model.js';
import type { CapacityEstimate } from './capacity-model.js';
import { CAPACITY_LIMITS } from './capacity-model.js';

const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]),
);
const nodeId = z.string().min(1);
const channel = z.string().min(1).max(255);
const seconds = z.number().int().min(1).max(3600);
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(100) };
const dir = z.enum(['asc', 'desc']).default('asc');
/** Clients a drain or rebalance moves per second (DRAIN_RATES in admin-model.ts). */
const moveRate = z.number().int().min(DRAIN_RATES.min).max(DRAIN_RATES.max);
const within = (b: { min: number; max: number }) => z.number().min(b.min).max(b.max);
const wholeWithin = (b: { min: number; max: number }) => within(b).int();

const kickTarget = z.union([
  z.strictObject({ client: z.string().min(1) }),
  z.strictObject({ user: z.string() }),
  z.strictObject({ channel }),
]);
const audience = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('channels'), channels: z.array(channel).min(1).max(1000) }),
  z.strictObject({ kind: z.literal('users'), users: z.array(z.string().min(1)).min(1).max(1000) }),
]);

/** Params schema per method; `z.input` is what a caller sends, `z.output` what a handler receives. */
export const ADMIN_PARAMS = {
  'cluster.snapshot': z.strictObject({}),
  'cluster.series': z.strictObject({}),
  /** A range of the metrics history (unix ms, `from` < `to`); `node`: that node beside the total, else every node. */
  'metrics.history': z.strictObject({
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    node: z.string().min(1).optional(),
    maxPoints: z.number().int().min(HISTORY_MAX_POINTS.min).max(HISTORY_MAX_POINTS.max).default(HISTORY_MAX_POINTS.default),
  }).refine((p) => p.from < p.to, { message: '"from" must be before "to"' }),
  'cluster.set-strategy': z.strictObject({ strategy: z.enum(STRATEGIES) }),
  'cluster.set-auto-restart': z.strictObject({ enabled: z.boolean() }),
  'events.since': z.strictObject({ seq: z.number().int().min(0), limit: z.number().int().min(1).max(5000).default(1000) }),
  'connections.query': z.strictObject({
    filter: z.strictObject({
      text: z.string().optional(),
      user: z.string().optional(),
      client: z.string().optional(),
      channel: z.string().optional(),
      node: z.string().optional(),
      remote: z.string().optional(),
      connectedAfter: z.number().optional(),
      connectedBefore: z.number().optional(),
    }).default({}),
    sort: z.strictObject({
      by: z.enum(['connectedAt', 'user', 'client', 'node', 'remote', 'subscriptions']).default('connectedAt'),
      dir,
    }).default({ by: 'connectedAt', dir: 'asc' }),
    ...page,
  }),
  'connection.get': z.strictObject({ client: z.string().min(1) }),
  'channels.query': z.strictObject({
    filter: z.strictObject({ text: z.string().optional(), prefix: z.string().optional(), namespace: z.string().optional() }).default({}),
    sort: z.strictObject({ by: z.enum(['subscribers', 'rate', 'name']).default('subscribers'), dir: z.enum(['asc', 'desc']).default('desc') })
      .default({ by: 'subscribers', dir: 'desc' }),
    ...page,
  }),
  'channel.get': z.strictObject({
    channel,
    historyLimit: z.number().int().min(0).max(300).default(50),
    /** History page ending before this offset (newest first); absent = from the top. */
    historyBefore: z.number().int().min(1).optional(),
  }),
  'channel.watch': z.strictObject({ channel }),
  'channel.unwatch': z.strictObject({ channel }),
  'channel.publish': z.strictObject({ channel, data: json }),
  'history.remove': z.strictObject({ channel }),
  'session.kick': z.strictObject({
    target: kickTarget,
    reconnect: z.boolean(),
    code: z.number().int().min(3000).max(4999).optional(),
    reason: z.string().max(100).optional(),
  }),
  'session.unsubscribe': z.strictObject({ client: z.string().min(1), channel }),
  'broadcast.send': z.strictObject({ audience, data: json, dryRun: z.boolean().default(false) }),
  'broadcast.list': z.strictObject({}),
  'node.kill': z.strictObject({ node: nodeId }),
  'node.hang': z.strictObject({ node: nodeId, seconds }),
  'node.partition': z.strictObject({ node: nodeId, seconds }),
  'node.drop': z.strictObject({ node: nodeId }),
  'node.restart': z.strictObject({ node: nodeId }),
  'node.add': z.strictObject({}),
  /** Without `rate`, every client is told to reconnect at once; with it, in batches at `rate` clients/s. */
  'node.remove': z.strictObject({ node: nodeId, rate: moveRate.optional() }),
  /** Moves clients off the busiest nodes until every routable node is within 10% of the mean. */
  'cluster.rebalance': z.strictObject({ rate: moveRate.default(DRAIN_RATES.default) }),
  'token.mint': z.strictObject({ user: z.string(), ttlSeconds: z.number().int().min(0).max(365 * 86400).default(86400) }),
  /** A simulated client fleet in its own processes (docs/simulator.md); 409 while one runs. */
  'simulator.start': z.strictObject({
    profile: z.enum(SIM_PROFILES),
    clients: wholeWithin(SIM_LIMITS.clients),
    channels: wholeWithin(SIM_LIMITS.channels).default(50),
    rate: within(SIM_LIMITS.rate).default(1),
    rampSeconds: within(SIM_LIMITS.rampSeconds).default(10),
    durationSeconds: within(SIM_LIMITS.durationSeconds).default(60),
  }),
  'simulator.stop': z.strictObject({}),
  'simulator.status': z.strictObject({}),
  /** Fleets started elsewhere (`switchboard simulate`) that report to this supervisor (docs/simulator.md). */
  'simulator.fleets': z.strictObject({}),
  /** The capacity planner (capacity-model.ts): measured costs, this machine, and N nodes on each of M machines. */
  'capacity.estimate': z.strictObject({
    nodesPerMachine: wholeWithin(CAPACITY_LIMITS.nodesPerMachine).optional(),
    machines: wholeWithin(CAPACITY_LIMITS.machines).default(1),
  }),
  /** Audit entries (every admin action), newest first; `before` (an entry's seq) pages back. See audit-model.ts. */
  'audit.query': z.strictObject({
    text: z.string().max(200).optional(),
    action: z.string().max(100).optional(),
    who: z.string().max(200).optional(),
    from: z.number().optional(),
    to: z.number().optional(),
    ok: z.boolean().optional(),
    before: z.number().int().min(1).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
  }),
  /** The alert rules (alerts-model.ts), one per kind. */
  'alerts.rules': z.strictObject({}),
  /** Replaces the rules; kinds, thresholds and holds are checked by checkRules (400 names the first problem). */
  'alerts.set-rules': z.strictObject({
    rules: z.array(z.strictObject({
      kind: z.string().max(100), enabled: z.boolean(), threshold: z.number(), forSeconds: z.number(), severity: z.enum(ALERT_SEVERITIES),
    })).max(ALERT_KINDS.length * 2),
  }),
  /** Firing alerts and the newest `limit` resolved ones, newest first. */
  'alerts.list': z.strictObject({ limit: z.number().int().min(1).max(ALERT_HISTORY_MAX).default(200) }),
} as const;

export type AdminMethod = keyof typeof ADMIN_PARAMS;
export type AdminParams<M extends AdminMethod> = z.output<(typeof ADMIN_PARAMS)[M]>;
export type AdminParamsInput<M extends AdminMethod> = z.input<(typeof ADMIN_PARAMS)[M]>;

/**
 * Result type per method. On an engine shared by several supervisors, queries, kicks and broadcasts
 * span all of them; `unanswered` names any that did not answer within the survey timeout (their
 * part is missing from the result).
 */
export interface AdminResults {
  'cluster.snapshot': ClusterSnapshot;
  'cluster.series': TimeSeries;
  /** The finest tier that keeps the range, at most `maxPoints` steps, with the range's markers. */
  'metrics.history': MetricsHistory;
  'cluster.set-strategy': Record<string, never>;
  'cluster.set-auto-restart': Record<string, never>;
  'events.since': { events: AdminEvent[]; lastSeq: number };
  'connections.query': { total: number; offset: number; items: ConnectionRow[]; unanswered?: string[] };
  'connection.get': ConnectionDetail;
  'channels.query': { total: number; offset: number; items: ChannelRow[]; unanswered?: string[] };
  'channel.get': ChannelDetail & { unanswered?: string[] };
  'channel.watch': Record<string, never>;
  'channel.unwatch': Record<string, never>;
  'channel.publish': { offset?: number; epoch?: string };
  'history.remove': Record<string, never>;
  'session.kick': { kicked: number; unanswered?: string[] };
  'session.unsubscribe': { unsubscribed: number };
  /** Reach: unique connections and the nodes they are on; `sent` false on a dry run. See BroadcastOutcome. */
  'broadcast.send': BroadcastOutcome & { connections: number; nodes: number; sent: boolean; id?: number; unanswered?: string[] };
  'broadcast.list': { broadcasts: BroadcastRecord[] };
  'node.kill': Record<string, never>;
  'node.hang': Record<string, never>;
  'node.partition': Record<string, never>;
  'node.drop': { dropped: number };
  'node.restart': Record<string, never>;
  'node.add': { node: string };
  /**
   * `drained`: clients told to reconnect before the answer (all of them without a rate). With a rate
   * the answer comes once the node takes no new connections, and `moving` clients follow in batches
   * (progress in `NodeSnapshot.drain`, then `node.drained` and `node.removed`).
   */
  'node.remove': { drained: number; moving?: number };
  /** Clients that will be moved, per source node; empty when the spread is already within 10%. */
  'cluster.rebalance': { moving: number; from: { node: string; clients: number }[] };
  'token.mint': { token: string; user: string; expiresAt: number | null };
  'simulator.start': { id: string };
  /** Resolves once every process of the fleet has exited; ok when none runs. */
  'simulator.stop': Record<string, never>;
  /** The running fleet's counts; null when none runs. */
  'simulator.status': SimulatorStatus | null;
  /** Fleets started elsewhere, first seen first; read-only (each is stopped in its own terminal). */
  'simulator.fleets': { fleets: ExternalFleet[] };
  /** `nodesPerMachine` defaults to the nodes running now. */
  'capacity.estimate': CapacityEstimate;
  'audit.query': AuditPage;
  'alerts.rules': { rules: AlertRule[] };
  /** The rules as kept: every kind, a missing one at its default. */
  'alerts.set-rules': { rules: AlertRule[] };
  'alerts.list': AlertList;
}

/** Server pushes. */
export interface AdminPushes {
  hello: AdminHello;
  snapshot: ClusterSnapshot;
  series: TimeSeries;
  events: AdminEvent[];
  /** `sampling` when the push covers publications (ActivitySampling: counts since the previous push). */
  'channel.activity': { channel: string; items: ChannelActivity[]; sampling?: ActivitySampling };
  /** Once a second while a simulated fleet runs, and once more with its final counts. */
  simulator: SimulatorStatus;
  /** Once a second while any fleet started elsewhere is listed, and once more (empty) when none is left. */
  'simulator.fleets': { fleets: ExternalFleet[] };
  /** The firing alerts, each time an alert fires or resolves. */
  alerts: { firing: AlertInstance[] };
}

export type AdminPushName = keyof AdminPushes;

/** Admin API error codes. */
export const AdminErrors = {
  badRequest: 400,
  notFound: 404,
  conflict: 409,
  internal: 500,
} as const;

export interface AdminError {
  code: number;
  message: string;
}

export type AdminRequestFrame = { [M in AdminMethod]: { id: number; method: M; params: AdminParams<M> } }[AdminMethod];
export type AdminResponseFrame =
  | { [M in AdminMethod]: { id: number; result: AdminResults[M] } }[AdminMethod]
  | { id: number | null; error: AdminError };
export type AdminPushFrame = { [P in AdminPushName]: { push: P; data: AdminPushes[P] } }[AdminPushName];
