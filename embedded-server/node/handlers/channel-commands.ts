/** publish, presence, presence_stats and history (PROTOCOL.md §2.5–§2.7, permissions §9.3). */
import type { ChannelName } from '../../../shared/channels/channel-name.js';
import { parseChannel } from '../../../shared/channels/channel-name.js';
import { hasHistory, publicationDataProblem } from '../../../shared/channels/channel-options.js';
import type { HistoryRequest, Json } from '../../../shared/protocol/client-protocol.js';
import { Disconnects, Errors } from '../../../shared/protocol/codes.js';
import type { AppError, Result } from '../../../shared/result.js';
import { err } from '../../../shared/result.js';
import { proxyResult } from './proxy-answer.js';
import type { NodeRequests } from '../../../shared/ipc/node-ipc.js';
import { requestBase } from '../proxy-client.js';
import type { NodeRuntime } from '../node-runtime.js';
import type { Session } from '../session.js';
import { mayUse } from './permissions.js';

/** Resolves the channel of a command; closes 3501 on an empty name, answers 102/107 otherwise. */
function channelOf(rt: NodeRuntime, s: Session, id: number, channel: string): ChannelName | null {
  if (channel === '') {
    s.close(Disconnects.badRequest);
    return null;
  }
  const parsed = parseChannel(channel, rt.channels);
  if (parsed.ok) return parsed.value;
  rt.replyError(s, id, parsed.error);
  return null;
}

async function ask<T>(call: Promise<Result<T, AppError>>): Promise<Result<T, AppError>> {
  try {
    return await call;
  } catch {
    return err(Errors.internal);
  }
}

/** Client publications per channel per second; answers false when over the namespace's limit. */
function withinRate(s: Session, channel: string, limit: number): boolean {
  if (limit <= 0) return true;
  const second = Math.floor(Date.now() / 1000);
  s.publishCounts ??= new Map();
  const c = s.publishCounts.get(channel);
  if (!c || c.second !== second) {
    s.publishCounts.set(channel, { second, count: 1 });
    return true;
  }
  c.count++;
  return c.count <= limit;
}

export async function handlePublish(rt: NodeRuntime, s: Session, id: number, p: { channel: string; data: Json }): Promise<void> {
  const name = channelOf(rt, s, id, p.channel);
  if (!name) return;
  const o = name.options;
  if (publicationDataProblem(o.publicationDataFormat, p.data) !== null) return rt.replyError(s, id, Errors.badRequest);
  if (o.publishProxy === '' && !mayUse(rt, s, p.channel, o.allowPublishForClient, o.allowPublishForSubscriber, o.allowPublishForAnonymous)) {
    return rt.replyError(s, id, Errors.permissionDenied);
  }
  if (!withinRate(s, p.channel, o.publishRateLimit)) return rt.replyError(s, id, Errors.tooManyRequests);
  const publication: NodeRequests['broker.publish']['req'] = { channel: p.channel, data: p.data ?? null, info: rt.clientInfo(s, p.channel) };
  if (o.publishProxy !== '' && !(await publishProxy(rt, s, id, o.publishProxy, publication))) return;
  const res = await ask(rt.link.request('broker.publish', publication));
  if (s.isClosing()) return;
  if (res.ok) rt.reply(s, id, 'publish', {});
  else rt.replyError(s, id, res.error);
}

/**
 * The publish proxy, asked instead of the permission options: the backend allows (and may replace
 * the data, skip history, add tags), answers an error, or disconnects. False when the answer is out.
 */
async function publishProxy(rt: NodeRuntime, s: Session, id: number, proxy: string, publication: NodeRequests['broker.publish']['req']): Promise<boolean> {
  const body = requestBase(s, true);
  body.channel = publication.channel;
  body.data = publication.data;
  const r = proxyResult(s, await rt.proxy.call(proxy, 'publish', body, s.proxy), (e) => rt.replyError(s, id, e));
  if (r === null) return false;
  if (r.data !== undefined) publication.data = r.data;
  if (r.skip_history === true) publication.skipHistory = true;
  if (r.tags !== undefined) publication.tags = r.tags;
  return true;
}

export async function handlePresence(rt: NodeRuntime, s: Session, id: number, channel: string, stats: boolean): Promise<void> {
  const name = channelOf(rt, s, id, channel);
  if (!name) return;
  const o = name.options;
  if (!o.presence) return rt.replyError(s, id, Errors.notAvailable);
  if (!mayUse(rt, s, channel, o.allowPresenceForClient, o.allowPresenceForSubscriber, o.allowPresenceForAnonymous)) {
    return rt.replyError(s, id, Errors.permissionDenied);
  }
  if (stats) {
    const res = await ask(rt.link.request('broker.presence_stats', { channel }));
    return res.ok ? rt.reply(s, id, 'presence_stats', res.value) : rt.replyError(s, id, res.error);
  }
  const res = await ask(rt.link.request('broker.presence', { channel }));
  return res.ok ? rt.reply(s, id, 'presence', { presence: res.value }) : rt.replyError(s, id, res.error);
}

export async function handleHistory(rt: NodeRuntime, s: Session, id: number, req: HistoryRequest): Promise<void> {
  const name = channelOf(rt, s, id, req.channel);
  if (!name) return;
  const o = name.options;
  if (!hasHistory(o)) return rt.replyError(s, id, Errors.notAvailable);
  if (!mayUse(rt, s, req.channel, o.allowHistoryForClient, o.allowHistoryForSubscriber, o.allowHistoryForAnonymous)) {
    return rt.replyError(s, id, Errors.permissionDenied);
  }
  const max = rt.client.historyMaxPublicationLimit;
  let limit = req.limit ?? 0;
  if (limit < 0 || limit > max) limit = max;
  const since = req.since ? { offset: req.since.offset ?? 0, epoch: req.since.epoch ?? '' } : undefined;
  const res = await ask(rt.link.request('broker.history', { channel: req.channel, limit, since, reverse: req.reverse === true }));
  return res.ok ? rt.reply(s, id, 'history', res.value) : rt.replyError(s, id, res.error);
}
