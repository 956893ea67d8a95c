/**
 * The admin API and the server HTTP API across every supervisor on the engine (issue 10 §3): what a
 * supervisor answers the others over the control bus (answerSurveys), and the spanning operations
 * that merge its own part with theirs. On the in-process engine there are no others: every spanning
 * operation is its local part, unchanged.
 *
 * Nodes of another supervisor are named `<supervisor>/node-N` (a supervisor name holds no `/`).
 */
import { z } from 'zod';
import type { AdminError, AdminParams, AdminResults } from '../../shared/admin/admin-api.js';
import { ADMIN_PARAMS, AdminErrors } from '../../shared/admin/admin-api.js';
import type { ChannelRow, ConnectionRow } from '../../shared/admin/admin-model.js';
import { parseChannel } from '../../shared/channels/channel-name.js';
import type { ForwardedAdminMethod, SpannedNodeRequest, SurveyOps } from '../../shared/engine/survey-ops.js';
import { FORWARDED_ADMIN_TIMEOUT_MS, SPANNED_NODE_REQUESTS } from '../../shared/engine/survey-ops.js';
import type { SupervisorRequests } from '../../shared/ipc/node-ipc.js';
import type { Json } from '../../shared/protocol/client-protocol.js';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import { queryConnections, sortConnectionRows } from './queries.js';
import type { SurveyOutcome } from './surveys.js';
import type { Supervisor } from './supervisor.js';

/** The id another supervisor's node has here. */
export const remoteNodeId = (supervisor: string, node: string): string => `${supervisor}/${node}`;

/** The supervisor a node id names (the part before `/`; this one when there is none) and its own id there. */
export function nodeOwner(id: string, self: string): { supervisor: string; node: string } {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? { supervisor: self, node: id } : { supervisor: id.slice(0, slash), node: id.slice(slash + 1) };
}

/** Supervisors that did not answer (timed out or failed), for `unanswered` in results. */
export function silentIn(outcome: SurveyOutcome<unknown>): string[] {
  return [...outcome.unanswered, ...outcome.failed.map((f) => f.from)].sort();
}

const withUnanswered = <T extends object>(value: T, unanswered: string[]): T & { unanswered?: string[] } =>
  unanswered.length > 0 ? { ...value, unanswered } : value;

const connectionRowsParams = z.strictObject({
  filter: ADMIN_PARAMS['connections.query'].shape.filter,
  sort: ADMIN_PARAMS['connections.query'].shape.sort,
  limit: z.number().int().min(0),
});
const nodeRequestParams = z.strictObject({ op: z.enum(SPANNED_NODE_REQUESTS), req: z.record(z.string(), z.unknown()) });
const reachParams = z.strictObject({ channels: z.array(z.string()).nullable(), users: z.array(z.string()).optional() });
const channelRowsParams = z.strictObject({ channel: z.string().optional() });

/** Parses survey params that crossed from another process; throws a readable error (answered as one). */
function parsed<T>(schema: z.ZodType<T>, params: unknown, op: string): T {
  const r = schema.safeParse(params);
  if (!r.success) throw new Error(`bad ${op} params: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

/** Registers what this supervisor answers the others (admin.call is registered by the admin backend). */
export function answerSurveys(sv: Supervisor): void {
  sv.surveys.handle('connections.rows', async (params) => {
    const p = parsed(connectionRowsParams, params, 'connections.rows');
    const page = queryConnections(sv.registry.sessions.values(), { ...p, offset: 0 });
    return { total: page.total, items: page.items };
  });
  sv.surveys.handle('channels.rows', async (params) => {
    return { rows: localChannelRows(sv, parsed(channelRowsParams, params, 'channels.rows').channel) };
  });
  sv.surveys.handle('nodes.request', async (params) => {
    const p = parsed(nodeRequestParams, params, 'nodes.request');
    const results = await sv.toAllNodes(p.op, p.req as unknown as SupervisorRequests[SpannedNodeRequest]['req']);
    return { results: results as unknown as Json[] };
  });
  sv.surveys.handle('broadcast.reach', async (params) => localReach(sv, parsed(reachParams, params, 'broadcast.reach')));
}

/** A sessions request to every node of every supervisor: each node's reply, and who did not answer. */
export async function spanNodeRequest<K extends SpannedNodeRequest>(
  sv: Supervisor, op: K, req: SupervisorRequests[K]['req'],
): Promise<{ results: SupervisorRequests[K]['res'][]; unanswered: string[] }> {
  const [local, remote] = await Promise.all([
    sv.toAllNodes(op, req),
    sv.surveys.ask('nodes.request', { op, req: req as unknown as Json }, sv.peers.ids()),
  ]);
  const results = [...local, ...remote.answers.flatMap((a) => a.result.results as unknown as SupervisorRequests[K]['res'][])];
  return { results, unanswered: silentIn(remote) };
}

/** `connections.query` over every supervisor: each one's first offset+limit matches, merged, sorted, paged. */
export async function spanConnections(sv: Supervisor, p: AdminParams<'connections.query'>): Promise<AdminResults['connections.query']> {
  const wanted = { filter: p.filter, sort: p.sort, limit: p.offset + p.limit };
  const owner = p.filter.node === undefined ? null : nodeOwner(p.filter.node, sv.id);
  const filter = owner ? { ...p.filter, node: owner.node } : p.filter;
  const askLocal = !owner || owner.supervisor === sv.id;
  const peers = owner ? sv.peers.ids().filter((id) => id === owner.supervisor) : sv.peers.ids();
  const [local, remote] = await Promise.all([
    askLocal ? queryConnections(sv.registry.sessions.values(), { ...wanted, filter, offset: 0 }) : { total: 0, items: [] },
    sv.surveys.ask('connections.rows', { ...wanted, filter }, peers),
  ]);
  let total = local.total;
  const rows: ConnectionRow[] = local.items.map((r) => ({ ...r, supervisor: sv.id }));
  for (const { from, result } of remote.answers) {
    total += result.total;
    for (const r of result.items) rows.push({ ...r, node: remoteNodeId(from, r.node), supervisor: from });
  }
  const items = sortConnectionRows(rows, p.sort).slice(p.offset, p.offset + p.limit);
  return withUnanswered({ total, offset: p.offset, items }, silentIn(remote));
}

/**
 * One row per channel with a subscriber on any supervisor: subscribers and nodes add up; the rate is
 * the highest any supervisor saw (each one that has subscribers receives every publication).
 */
export async function spanChannelRows(sv: Supervisor, only?: string): Promise<{ rows: ChannelRow[]; unanswered: string[] }> {
  const remote = await sv.surveys.ask('channels.rows', only === undefined ? {} : { channel: only }, sv.peers.ids());
  const byName = new Map<string, ChannelRow>();
  for (const row of localChannelRows(sv, only)) byName.set(row.channel, row);
  for (const { result } of remote.answers) {
    for (const row of result.rows) {
      const known = byName.get(row.channel);
      byName.set(row.channel, known ? {
        ...known,
        subscribers: known.subscribers + row.subscribers,
        nodes: known.nodes + row.nodes,
        publicationsPerSec: Math.max(known.publicationsPerSec, row.publicationsPerSec),
      } : row);
    }
  }
  return { rows: [...byName.values()], unanswered: silentIn(remote) };
}

/** Whom a broadcast reaches: subscribers of channels (null: everyone), or every connection of `users`. */
export type ReachTarget = SurveyOps['broadcast.reach']['params'];
type Reach = SurveyOps['broadcast.reach']['result'];

/** A broadcast's reach on every supervisor: connections, nodes and each user's connections add up (each lives on one). */
export async function spanReach(sv: Supervisor, target: ReachTarget): Promise<Reach & { unanswered: string[] }> {
  const remote = await sv.surveys.ask('broadcast.reach', target, sv.peers.ids());
  const reach = localReach(sv, target);
  for (const { result } of remote.answers) {
    reach.connections += result.connections;
    reach.nodes += result.nodes;
    if (reach.perUser && result.perUser) reach.perUser = reach.perUser.map((n, i) => n + (result.perUser?.[i] ?? 0));
  }
  return { ...reach, unanswered: silentIn(remote) };
}

/**
 * Runs an admin method on whichever of `to` owns its target: the first supervisor that answers ok
 * wins; when none does, the most telling error (anything but "not found" first), and a not-found
 * names the supervisors that did not answer.
 */
export async function forwardAdmin<M extends ForwardedAdminMethod>(
  sv: Supervisor, method: M, params: AdminParams<M>, who: string, to: readonly string[],
): Promise<Result<AdminResults[M], AdminError>> {
  const outcome = await sv.surveys.ask('admin.call', { method, params: params as unknown as Json, who }, to, FORWARDED_ADMIN_TIMEOUT_MS);
  const answers = outcome.answers as { from: string; result: SurveyOps['admin.call']['result'] }[];
  const found = answers.find((a) => a.result.ok);
  if (found && found.result.ok) return ok(localized(method, found.result.value, found.from) as unknown as AdminResults[M]);
  const errors = answers.flatMap((a) => (a.result.ok ? [] : [a.result.error]));
  const telling = errors.find((e) => e.code !== AdminErrors.notFound) ?? errors[0];
  const silent = silentIn(outcome);
  if (telling && telling.code !== AdminErrors.notFound) return err(telling);
  const base = telling?.message ?? 'not found on any supervisor';
  return err({
    code: silent.length > 0 ? AdminErrors.internal : AdminErrors.notFound,
    message: silent.length > 0 ? `${base}; ${silent.join(', ')} did not answer within the survey timeout` : base,
  });
}

/** A connection detail from another supervisor names its node the way this one shows it. */
function localized(method: ForwardedAdminMethod, value: Json, from: string): Json {
  if (method !== 'connection.get' || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return { ...value, node: remoteNodeId(from, String(value.node)), supervisor: from };
}

/** One row per channel with subscribers on this supervisor's nodes, or `only` that one's (stream positions are added per page). */
export function localChannelRows(sv: Supervisor, only?: string): ChannelRow[] {
  const rows: ChannelRow[] = [];
  const counts = sv.registry.channelCounts();
  const wanted = only === undefined ? counts : new Map(counts.has(only) ? [[only, counts.get(only)!]] : []);
  for (const [channel, subscribers] of wanted) {
    const name = parseChannel(channel, sv.config.channels);
    const nodes = sv.registry.nodesFor(channel);
    rows.push({
      channel,
      namespace: name.ok ? name.value.namespace : '',
      subscribers,
      nodes: nodes ? [...nodes].length : 0,
      publicationsPerSec: Math.round(sv.rates.rate(channel) * 10) / 10,
    });
  }
  return rows;
}

/**
 * Unique connections subscribed to any of `channels` (null: every connection) here, and the nodes
 * they are on; with `users`, every connection of those users (as a user-targeted kick reaches them).
 */
export function localReach(sv: Supervisor, { channels, users }: ReachTarget): Reach {
  if (users !== undefined) return localUserReach(sv, users);
  const nodes = new Set<string>();
  if (channels === null) {
    for (const s of sv.registry.sessions.values()) nodes.add(s.node);
    return { connections: sv.registry.sessions.size, nodes: nodes.size };
  }
  const clients = new Set<string>();
  for (const channel of channels) {
    for (const [client, node] of sv.registry.subscribersOf(channel) ?? []) {
      clients.add(client);
      nodes.add(node);
    }
  }
  return { connections: clients.size, nodes: nodes.size };
}

/** Every connection of `users` here, the nodes they are on, and each user's count in the order given. */
function localUserReach(sv: Supervisor, users: string[]): Reach {
  const index = new Map(users.map((u, i) => [u, i] as const));
  const perUser = users.map(() => 0);
  const nodes = new Set<string>();
  let connections = 0;
  for (const s of sv.registry.sessions.values()) {
    const i = index.get(s.user);
    if (i === undefined) continue;
    perUser[i] = (perUser[i] ?? 0) + 1;
    connections++;
    nodes.add(s.node);
  }
  return { connections, nodes: nodes.size, perUser };
}
