/** The two detail views of the admin API: one connection, one channel. */
import type { AdminError, AdminParams, AdminResults } from '../../shared/admin/admin-api.js';
import { AdminErrors } from '../../shared/admin/admin-api.js';
import type { PresenceMember } from '../../shared/admin/admin-model.js';
import { parseChannel } from '../../shared/channels/channel-name.js';
import type { HistoryResult } from '../../shared/protocol/client-protocol.js';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import { streamOptions } from '../broker/broker.js';
import { spanChannelRows } from './cluster-wide.js';
import { toConnectionRow } from './queries.js';
import type { Supervisor } from './supervisor.js';

export async function connectionDetail(sv: Supervisor, client: string): Promise<Result<AdminResults['connection.get'], AdminError>> {
  const s = sv.registry.sessions.get(client);
  if (!s) return err({ code: AdminErrors.notFound, message: `no connection ${client} (it may have disconnected)` });
  const detail = await sv.toNode(s.node, 'session.detail', { client });
  if (!detail) return err({ code: AdminErrors.notFound, message: `no connection ${client} on ${s.node}` });
  return ok({
    ...toConnectionRow(s),
    subscriptionList: detail.subscriptions,
    bytesIn: detail.bytesIn,
    bytesOut: detail.bytesOut,
    messagesIn: detail.messagesIn,
    messagesOut: detail.messagesOut,
    recoveries: sv.recoveries.of(s.user, s.client),
  });
}

export async function channelDetail(sv: Supervisor, p: AdminParams<'channel.get'>): Promise<Result<AdminResults['channel.get'], AdminError>> {
  const name = parseChannel(p.channel, sv.config.channels);
  if (!name.ok) return err({ code: AdminErrors.badRequest, message: `${p.channel}: ${name.error.message}` });
  const o = name.value.options;
  const subscribers = sv.registry.subscribersOf(p.channel);
  const stream = streamOptions(o);
  let history: HistoryResult | null = null;
  if (stream) {
    const since = p.historyBefore !== undefined ? { offset: p.historyBefore, epoch: '' } : undefined;
    const read = await sv.broker.history(p.channel, { limit: p.historyLimit, reverse: true, since }, stream);
    history = read.ok ? read.value : null;
  }
  let presence: PresenceMember[] = [];
  if (o.presence) {
    const entries = await sv.presence.list(p.channel);
    presence = Object.values(entries).map((info) => ({ ...info, node: subscribers?.get(info.client) ?? (sv.peers.ids().length > 0 ? 'another supervisor' : '') }));
  }
  // Subscribers on every supervisor; presence members on another one show its name for a node.
  const { rows: [row], unanswered } = await spanChannelRows(sv, p.channel);
  return ok({
    channel: p.channel,
    namespace: name.value.namespace,
    subscribers: row?.subscribers ?? 0,
    nodes: row?.nodes ?? 0,
    // A channel nobody subscribes to has no row, yet may be published to: its rate is this supervisor's count.
    publicationsPerSec: row?.publicationsPerSec ?? Math.round(sv.rates.rate(p.channel) * 10) / 10,
    ...(unanswered.length > 0 ? { unanswered } : {}),
    ...(history ? { offset: history.offset, epoch: history.epoch } : {}),
    presenceEnabled: o.presence,
    historyEnabled: stream !== null,
    // A namespace without history whose subscribers may publish is how typing indicators are set up.
    typing: stream === null && (o.allowPublishForSubscriber || o.allowPublishForClient),
    presence,
    history,
  });
}
