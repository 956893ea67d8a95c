/**
 * The admin API's methods, on top of the supervisor: queries over the registry and the broker,
 * kicks, broadcasts, faults, settings, tokens. Every action an admin takes becomes an event naming it.
 */
import { z } from 'zod';
import type { AdminError, AdminMethod, AdminParams, AdminResults } from '../../shared/admin/admin-api.js';
import { ADMIN_PARAMS, AdminErrors } from '../../shared/admin/admin-api.js';
import type { ForwardedAdminMethod } from '../../shared/engine/survey-ops.js';
import { FORWARDED_ADMIN_METHODS } from '../../shared/engine/survey-ops.js';
import type { AdminHello, KickTarget } from '../../shared/admin/admin-model.js';
import { parseChannel } from '../../shared/channels/channel-name.js';
import type { Json } from '../../shared/protocol/client-protocol.js';
import { Disconnects, isReconnectCode } from '../../shared/protocol/codes.js';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { AdminBackend, ServerHandledMethod } from '../api/admin-backend.js';
import { streamOptions } from '../broker/broker.js';
import type { SimTarget } from '../simulator/sim-ipc.js';
import { describeOptions } from '../config/default-namespaces.js';
import { mintConnectionToken } from '../config/tokens.js';
import { badRequest } from './admin-errors.js';
import { BroadcastDesk } from './broadcasts.js';
import { channelDetail, connectionDetail } from './admin-details.js';
import { publishToChannel } from './publish-to-channel.js';
import { publishingAs } from './publish-origin.js';
import { addNode, dropSockets, hangNode, killNode, partitionNode, removeNode, restartNode } from './faults.js';
import { rebalance } from './node-moves.js';
import { queryChannels } from './queries.js';
import { forwardAdmin, nodeOwner, spanChannelRows, spanConnections, spanNodeRequest } from './cluster-wide.js';
import type { Supervisor } from './supervisor.js';
import type { AuditLog } from './audit-log.js';
import { audited } from './audit-trail.js';
import type { MetricsHistoryService } from './metrics-history/metrics-history.js';
import type { AlertsService } from './alerts/alerts-service.js';
import { alertHandlers } from './alerts/alert-handlers.js';
import type { AlertInstance } from '../../shared/admin/alerts-model.js';
import { SERVER_VERSION } from './version.js';
import type { CapacityPlanner } from './capacity/capacity-planner.js';

type Called = Exclude<AdminMethod, ServerHandledMethod>;
type NodeMethod = Extract<ForwardedAdminMethod, `node.${string}`>;

const forwardedCall = z.strictObject({ method: z.enum(FORWARDED_ADMIN_METHODS), params: z.unknown(), who: z.string() });

/** The client's connection is not on this supervisor's nodes, and other supervisors may hold it. */
const elsewhere = (sv: Supervisor, client: string): boolean => !sv.registry.sessions.has(client) && sv.peers.ids().length > 0;
type Handler<M extends Called> = (p: AdminParams<M>, who: string) => Promise<Result<AdminResults[M], AdminError>>;

/**
 * The services the cluster keeps beside the supervisor (started and stopped by cluster.ts). Each one
 * missing answers its methods with 404: `audit` (audit-trail.ts; none records nothing), `history`,
 * `capacity`; without `alerts` the rules are not kept.
 */
export interface AdminServices {
  history?: MetricsHistoryService;
  audit?: AuditLog;
  alerts?: AlertsService;
  capacity?: CapacityPlanner;
}

export function createAdminBackend(sv: Supervisor, urls: { clientUrl: string; apiUrl: string }, services: AdminServices = {}): AdminBackend {
  const { history, audit, alerts, capacity } = services;
  const desk = new BroadcastDesk(sv);
  /** A node method runs where the node lives: here for `node-N`, on its supervisor for `<supervisor>/node-N`. */
  const atOwner = <M extends NodeMethod>(method: M, here: Handler<M>): Handler<M> => async (p, who) => {
    const owner = nodeOwner(p.node, sv.id);
    if (owner.supervisor === sv.id) return here({ ...p, node: owner.node }, who);
    if (!sv.peers.get(owner.supervisor)) return err({ code: AdminErrors.notFound, message: `no supervisor ${owner.supervisor} in view (it may have left)` });
    return forwardAdmin(sv, method, { ...p, node: owner.node }, who, [owner.supervisor]);
  };
  const handlers: { [M in Called]: Handler<M> } = {
    'cluster.snapshot': async () => ok(sv.metrics.snapshot(Date.now())),
    'cluster.series': async () => ok(sv.metrics.series()),
    'metrics.history': async (p) => (history
      ? ok(await history.query(p, Date.now()))
      : err({ code: AdminErrors.notFound, message: 'this cluster keeps no metrics history' })),
    'cluster.set-strategy': async (p, who) => {
      sv.router.strategy = p.strategy;
      sv.events.emit({ type: 'admin.action', by: who, action: 'cluster.set-strategy', detail: p.strategy });
      return ok({});
    },
    'cluster.set-auto-restart': async (p, who) => {
      sv.pool.autoRestart = p.enabled;
      sv.events.emit({ type: 'admin.action', by: who, action: 'cluster.set-auto-restart', detail: p.enabled ? 'on' : 'off' });
      return ok({});
    },
    'events.since': async (p) => ok({ events: sv.events.since(p.seq, p.limit), lastSeq: sv.events.lastSeq }),
    'connections.query': async (p) => ok(await spanConnections(sv, p)),
    'connection.get': (p, who) => (elsewhere(sv, p.client) ? forwardAdmin(sv, 'connection.get', p, who, sv.peers.ids()) : connectionDetail(sv, p.client)),
    'channels.query': async (p) => {
      const { rows, unanswered } = await spanChannelRows(sv);
      const page = await withPositions(sv, queryChannels(rows, p));
      return ok(unanswered.length > 0 ? { ...page, unanswered } : page);
    },
    'channel.get': (p) => channelDetail(sv, p),
    'channel.publish': async (p, who) => {
      const res = await publishToChannel(publishingAs(sv.broker, 'admin'), sv.config.channels, { channel: p.channel, data: p.data });
      if (!res.ok) return err(badRequest(res.error.about === 'channel' ? `${p.channel}: ${res.error.why}` : res.error.why));
      sv.events.emit({ type: 'admin.action', by: who, action: 'channel.publish', detail: p.channel });
      return ok(res.value);
    },
    'history.remove': async (p, who) => {
      const name = parseChannel(p.channel, sv.config.channels);
      if (!name.ok) return err(badRequest(`${p.channel}: ${name.error.message}`));
      if (!streamOptions(name.value.options)) return err(badRequest(`${p.channel} keeps no history`));
      await sv.broker.removeHistory(p.channel);
      sv.events.emit({ type: 'admin.action', by: who, action: 'history.remove', detail: p.channel });
      return ok({});
    },
    'session.kick': (p, who) => ('client' in p.target && elsewhere(sv, p.target.client)
      ? forwardAdmin(sv, 'session.kick', p, who, sv.peers.ids())
      : kick(sv, p, who)),
    'session.unsubscribe': async (p, who) => {
      if (elsewhere(sv, p.client)) return forwardAdmin(sv, 'session.unsubscribe', p, who, sv.peers.ids());
      const s = sv.registry.sessions.get(p.client);
      if (!s) return err({ code: AdminErrors.notFound, message: `no connection ${p.client}` });
      const { count } = await sv.toNode(s.node, 'sessions.unsubscribe', { client: p.client, channel: p.channel, code: 2000, reason: 'server unsubscribe' });
      sv.events.emit({ type: 'admin.action', by: who, action: 'session.unsubscribe', detail: `${p.client} from ${p.channel}` });
      return ok({ unsubscribed: count });
    },
    'broadcast.send': (p, who) => desk.send(p.audience, p.data as Json, p.dryRun, who),
    'broadcast.list': async () => ok({ broadcasts: desk.list() }),
    'node.kill': atOwner('node.kill', (p, who) => killNode(sv, p.node, who)),
    'node.hang': atOwner('node.hang', (p, who) => hangNode(sv, p.node, p.seconds, who)),
    'node.partition': atOwner('node.partition', (p, who) => partitionNode(sv, p.node, p.seconds, who)),
    'node.drop': atOwner('node.drop', (p, who) => dropSockets(sv, p.node, who)),
    'node.restart': atOwner('node.restart', (p, who) => restartNode(sv, p.node, who)),
    'node.add': (_p, who) => addNode(sv, who),
    'node.remove': atOwner('node.remove', (p, who) => removeNode(sv, p.node, who, p.rate)),
    'cluster.rebalance': async (p, who) => rebalance(sv, p.rate, who),
    'token.mint': async (p) => {
      const token = await mintConnectionToken({
        secret: sv.config.client.tokenHmacSecret, user: p.user, ttlSeconds: p.ttlSeconds,
        audience: sv.config.client.tokenAudience || undefined, issuer: sv.config.client.tokenIssuer || undefined,
      });
      return ok({ token, user: p.user, expiresAt: p.ttlSeconds > 0 ? Date.now() + p.ttlSeconds * 1000 : null });
    },
    'simulator.start': async (p, who) => {
      const started = sv.simulator.start(p, simTarget(sv, urls));
      if (!started.ok) return err({ code: AdminErrors.conflict, message: 'a simulation is already running: stop it first (simulator.stop)' });
      sv.events.emit({ type: 'admin.action', by: who, action: 'simulator.start', detail: `${started.value.id}: ${p.clients} ${p.profile} clients` });
      return ok(started.value);
    },
    'simulator.stop': async (_p, who) => {
      if (await sv.simulator.stop()) sv.events.emit({ type: 'admin.action', by: who, action: 'simulator.stop', detail: 'fleet stopped' });
      return ok({});
    },
    'simulator.status': async () => ok(sv.simulator.status()),
    'simulator.fleets': async () => ok({ fleets: sv.fleets.list() }),
    'capacity.estimate': async (p) => (capacity
      ? ok(capacity.estimate(p))
      : err({ code: AdminErrors.notFound, message: 'this cluster runs no capacity planner' })),
    'audit.query': async ({ limit, ...filter }) => (audit
      ? ok(audit.query(filter, limit))
      : err({ code: AdminErrors.notFound, message: 'this cluster keeps no audit log' })),
    ...alertHandlers(sv, alerts),
  };
  // Another supervisor's console acting on a connection or node that lives here.
  sv.surveys.handle('admin.call', async (params) => {
    const call = forwardedCall.safeParse(params);
    if (!call.success) throw new Error(`bad admin.call: ${call.error.issues[0]?.message ?? 'invalid'}`);
    const p = ADMIN_PARAMS[call.data.method].safeParse(call.data.params);
    if (!p.success) return { ok: false, error: badRequest(p.error.issues[0]?.message ?? 'invalid params') };
    const res = await (handlers[call.data.method] as Handler<ForwardedAdminMethod>)(p.data as never, call.data.who);
    return res.ok ? { ok: true, value: res.value as unknown as Json } : res;
  });
  return {
    hello: (you) => hello(sv, you, urls),
    // The one dispatch point of every admin command: actions are audited here, not in each handler.
    call: (method, params, who) => audited(audit, sv.id, { method, params, who }, () => (handlers[method] as Handler<typeof method>)(params, who)),
    snapshot: () => sv.metrics.snapshot(Date.now()),
    series: () => sv.metrics.series(),
    onSnapshot: (l) => sv.onSnapshot(l),
    onEvents: (l) => sv.events.subscribe(l),
    watch: (channel, l) => {
      const name = parseChannel(channel, sv.config.channels);
      return name.ok ? ok(sv.watchers.watch(channel, l)) : err(badRequest(`${channel}: ${name.error.message}`));
    },
    onSimulator: (l) => sv.simulator.onStatus(l),
    onFleets: (l) => sv.fleets.onList(l),
    ...(alerts ? { onAlerts: (l: (firing: AlertInstance[]) => void) => alerts.onChange(l) } : {}),
  };
}

/** Where the simulated fleet connects: this cluster's own addresses and secrets. */
function simTarget(sv: Supervisor, urls: { clientUrl: string; apiUrl: string }): SimTarget {
  const { client } = sv.config;
  return {
    url: urls.clientUrl, apiUrl: urls.apiUrl, apiKey: sv.config.apiInsecure ? '' : sv.config.apiKey,
    tokenSecret: client.tokenHmacSecret, tokenAudience: client.tokenAudience, tokenIssuer: client.tokenIssuer,
  };
}

function hello(sv: Supervisor, you: string, urls: { clientUrl: string; apiUrl: string }): AdminHello {
  const ch = sv.config.channels;
  return {
    serverVersion: SERVER_VERSION,
    you,
    clientUrl: urls.clientUrl,
    apiUrl: urls.apiUrl,
    namespaces: Object.entries(ch.namespaces).map(([name, o]) => ({ name, description: describeOptions(o) })),
    personalNamespace: sv.config.personalNamespace,
    lastEventSeq: sv.events.lastSeq,
    eventsStartedAt: sv.events.startedAt,
  };
}

/** Kicks a client, every connection of a user, or every subscriber of a channel. */
async function kick(sv: Supervisor, p: AdminParams<'session.kick'>, who: string): Promise<Result<{ kicked: number }, AdminError>> {
  const fallback = p.reconnect ? Disconnects.forceReconnect : Disconnects.forceDisconnect;
  const code = p.code ?? fallback.code;
  if (isReconnectCode(code) !== p.reconnect) {
    return err(badRequest(`code ${code} ${p.reconnect ? 'does not let' : 'lets'} the client reconnect; pick one that matches "reconnect"`));
  }
  if ('client' in p.target && !sv.registry.sessions.has(p.target.client)) {
    return err({ code: AdminErrors.notFound, message: `no connection ${p.target.client} (it may have disconnected)` });
  }
  const reason = p.reason && p.reason.trim() !== '' ? p.reason : code === fallback.code ? fallback.reason : 'kicked by an operator';
  const user = 'client' in p.target ? sv.registry.sessions.get(p.target.client)?.user : undefined;
  const { kicked, unanswered } = await disconnect(sv, p.target, code, reason);
  sv.events.emit({ type: 'client.kicked', by: who, target: p.target, ...(user === undefined ? {} : { user }), count: kicked, code, reason });
  return ok(unanswered.length > 0 ? { kicked, unanswered } : { kicked });
}

/** A client here; a user's or a channel's connections on every supervisor. */
async function disconnect(sv: Supervisor, target: KickTarget, code: number, reason: string): Promise<{ kicked: number; unanswered: string[] }> {
  if ('client' in target) {
    const s = sv.registry.sessions.get(target.client);
    return { kicked: s ? (await sv.toNode(s.node, 'sessions.disconnect', { client: target.client, code, reason })).count : 0, unanswered: [] };
  }
  const req = 'user' in target ? { user: target.user, code, reason } : { subscribedTo: target.channel, code, reason };
  const { results, unanswered } = await spanNodeRequest(sv, 'sessions.disconnect', req);
  return { kicked: results.reduce((n, r) => n + r.count, 0), unanswered };
}

async function withPositions(sv: Supervisor, page: AdminResults['channels.query']): Promise<AdminResults['channels.query']> {
  const items = await Promise.all(page.items.map(async (row) => {
    const name = parseChannel(row.channel, sv.config.channels);
    const stream = name.ok ? streamOptions(name.value.options) : null;
    if (!stream) return row;
    const pos = await sv.broker.position(row.channel, stream);
    return { ...row, offset: pos.offset, epoch: pos.epoch };
  }));
  return { ...page, items };
}
