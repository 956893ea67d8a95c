/** subscribe / unsubscribe (PROTOCOL.md §2.3, §2.4, permission order §9.3). */
import type { ChannelName } from '../../../shared/channels/channel-name.js';
import { parseChannel } from '../../../shared/channels/channel-name.js';
import { publicationInfoProblem } from '../../../shared/channels/channel-options.js';
import type { Json, SubscribeRequest } from '../../../shared/protocol/client-protocol.js';
import { Disconnects, Errors } from '../../../shared/protocol/codes.js';
import type { AppError } from '../../../shared/result.js';
import type { NodeRuntime } from '../node-runtime.js';
import type { Session } from '../session.js';
import { activateSubscription, setUpSubscription, subscriptionFlags } from '../subscription-setup.js';
import { userMay } from './permissions.js';

type SubToken = { ok: true; expiresAt: number; info?: Json; data?: Json } | { ok: false; error?: AppError };

export async function handleSubscribe(rt: NodeRuntime, s: Session, id: number, req: SubscribeRequest): Promise<void> {
  if (req.channel === '') return s.close(Disconnects.badRequest);
  if (req.delta !== undefined && req.delta !== '' && req.delta !== 'fossil') return s.close(Disconnects.badRequest);
  if (req.type !== undefined && req.type !== 0) return rt.replyError(s, id, Errors.notAvailable);
  if (req.tf !== undefined) return rt.replyError(s, id, Errors.badRequest);
  const parsed = parseChannel(req.channel, rt.channels);
  if (!parsed.ok) return rt.replyError(s, id, parsed.error);
  const name = parsed.value;
  if (name.options.channelRegex && !new RegExp(name.options.channelRegex).test(name.rest)) {
    return rt.replyError(s, id, Errors.badRequest);
  }
  if (s.subs.has(req.channel)) return rt.replyError(s, id, Errors.alreadySubscribed);
  if (s.subs.size >= rt.client.channelLimit) return rt.replyError(s, id, Errors.limitExceeded);

  let token: SubToken | null = null;
  if (req.token !== undefined && req.token !== '') {
    token = await verifySubscriptionToken(rt, s, req.channel, req.token);
    if (!token.ok) return token.error ? rt.replyError(s, id, token.error) : undefined;
  } else if (!maySubscribe(rt, s, name)) {
    return rt.replyError(s, id, Errors.permissionDenied);
  }

  const o = name.options;
  const perms = {
    history: userMay(rt, s, o.allowHistoryForClient || o.allowHistoryForSubscriber, o.allowHistoryForAnonymous),
    presence: userMay(rt, s, o.allowPresenceForClient || o.allowPresenceForSubscriber, o.allowPresenceForAnonymous),
  };
  const flags = subscriptionFlags(name, { positioned: req.positioned, recoverable: req.recoverable, joinLeave: req.join_leave }, perms);
  const ready = await setUpSubscription(rt, s, {
    name,
    flags,
    recover: req.recover ? { offset: req.offset ?? 0, epoch: req.epoch ?? '' } : undefined,
    rejectUnrecovered: ((req.flag ?? 0) & 2) !== 0,
    expiresAt: token?.ok ? token.expiresAt : 0,
    chanInfo: token?.ok ? token.info : undefined,
    data: token?.ok ? token.data : undefined,
  });
  if (s.state === 'closed') return;
  if (!ready.ok) return rt.replyError(s, id, ready.error);
  rt.reply(s, id, 'subscribe', ready.value.result);
  activateSubscription(rt, s, req.channel, ready.value.position);
}

export function handleUnsubscribe(rt: NodeRuntime, s: Session, id: number, channel: string): void {
  if (channel === '') return s.close(Disconnects.badRequest);
  rt.dropSubscription(s, channel);
  rt.reply(s, id, 'unsubscribe', {});
}

/** Token-less subscribe rules, in Centrifugo's order (PROTOCOL.md §9.3). */
function maySubscribe(rt: NodeRuntime, s: Session, name: ChannelName): boolean {
  if (name.isPrivate) return false;
  const o = name.options;
  if (name.allowedUsers !== null) {
    return o.allowUserLimitedChannels && s.user !== '' && name.allowedUsers.includes(s.user);
  }
  if (o.allowSubscribeForClient && (s.user !== '' || o.allowSubscribeForAnonymous)) return true;
  return rt.client.insecure;
}

/** Subscription token rules (PROTOCOL.md §8.2): invalid 103, expired 109, mismatch close 3500. */
export async function verifySubscriptionToken(rt: NodeRuntime, s: Session, channel: string, token: string): Promise<SubToken> {
  const outcome = await rt.verifier.verify(token);
  if (!outcome.ok) return { ok: false, error: outcome.reason === 'expired' ? Errors.tokenExpired : Errors.permissionDenied };
  const c = outcome.claims;
  if (c.channel !== channel || (c.sub ?? '') !== s.user || (c.client !== undefined && c.client !== s.id) || publicationInfoProblem('token', c) !== null) {
    s.close(Disconnects.invalidToken);
    return { ok: false };
  }
  const expireAt = typeof c.expire_at === 'number' ? c.expire_at : typeof c.exp === 'number' ? c.exp : 0;
  if (expireAt > 0 && expireAt * 1000 <= Date.now()) return { ok: false, error: Errors.expired };
  return { ok: true, expiresAt: expireAt * 1000, info: c.info as Json | undefined, data: c.data as Json | undefined };
}
