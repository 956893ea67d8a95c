/** subscribe / unsubscribe (PROTOCOL.md §2.3, §2.4, permission order §9.3). */
import type { ChannelName } from '../../../shared/channels/channel-name.js';
import { parseChannel } from '../../../shared/channels/channel-name.js';
import { publicationInfoProblem } from '../../../shared/channels/channel-options.js';
import type { Json, SubscribeRequest } from '../../../shared/protocol/client-protocol.js';
import { Disconnects, Errors } from '../../../shared/protocol/codes.js';
import { parseTagsFilter } from '../../../shared/protocol/tags-filter.js';
import type { AppError } from '../../../shared/result.js';
import type { NodeRuntime } from '../node-runtime.js';
import type { Session } from '../session.js';
import { Sub } from '../session.js';
import { activateSubscription, setUpSubscription, subscriptionFlags } from '../subscription-setup.js';
import { userMay } from './permissions.js';
import { proxyResult } from './proxy-answer.js';
import type { SubscriptionOverride } from '../../../shared/channels/subscription-override.js';
import { parseOverride, withOverride } from '../../../shared/channels/subscription-override.js';
import { requestBase } from '../proxy-client.js';

type SubToken = ({ ok: true } & Grant) | { ok: false; error?: AppError };

export async function handleSubscribe(rt: NodeRuntime, s: Session, id: number, req: SubscribeRequest): Promise<void> {
  if (req.channel === '') return s.close(Disconnects.badRequest);
  if (req.delta !== undefined && req.delta !== '' && req.delta !== 'fossil') return s.close(Disconnects.badRequest);
  if (req.type !== undefined && req.type !== 0) return rt.replyError(s, id, Errors.notAvailable);
  // A wrongly typed tf fails Centrifugo's decoding of the command (3501); anything else about it is 107, below.
  const tf = parseTagsFilter(req.tf);
  if (!tf.ok && tf.error.malformed) return s.close(Disconnects.badRequest);
  const parsed = parseChannel(req.channel, rt.channels);
  if (!parsed.ok) return rt.replyError(s, id, parsed.error);
  const name = parsed.value;
  if (name.options.channelRegex && !new RegExp(name.options.channelRegex).test(name.rest)) {
    return rt.replyError(s, id, Errors.badRequest);
  }
  if (s.subs.has(req.channel)) return rt.replyError(s, id, Errors.alreadySubscribed);
  if (s.subs.size >= rt.client.channelLimit) return rt.replyError(s, id, Errors.limitExceeded);

  const grant = await authorize(rt, s, id, name, req);
  if (grant === null || s.isClosing()) return;

  const o = withOverride(name.options, grant.override);
  if (!tf.ok || (tf.value !== null && !o.allowTagsFilter)) return rt.replyError(s, id, Errors.badRequest);
  const perms = {
    history: userMay(rt, s, o.allowHistoryForClient || o.allowHistoryForSubscriber, o.allowHistoryForAnonymous),
    presence: userMay(rt, s, o.allowPresenceForClient || o.allowPresenceForSubscriber, o.allowPresenceForAnonymous),
  };
  let flags = subscriptionFlags({ ...name, options: o }, { positioned: req.positioned, recoverable: req.recoverable, joinLeave: req.join_leave }, perms);
  // Centrifugo's conditions for fossil deltas: asked, allowed by the namespace, positioned (so the
  // stream has no gaps the client would not see), and no tags filter. Otherwise not negotiated, silently.
  if (req.delta === 'fossil' && o.allowDelta && flags & Sub.positioned && tf.ok && tf.value === null) flags |= Sub.delta;
  const ready = await setUpSubscription(rt, s, {
    name,
    flags,
    recover: req.recover ? { offset: req.offset ?? 0, epoch: req.epoch ?? '' } : undefined,
    rejectUnrecovered: ((req.flag ?? 0) & 2) !== 0,
    expiresAt: grant.expiresAt,
    serverRefresh: o.subRefreshProxy !== '',
    chanInfo: grant.info,
    data: grant.data,
    tagsFilter: tf.value ?? undefined,
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

/** What a subscription was granted with: expiry (unix ms, 0 = none), `chan_info`, reply data, option overrides. */
interface Grant {
  expiresAt: number;
  info?: Json;
  data?: Json;
  override?: SubscriptionOverride;
}

/**
 * Who may subscribe, in Centrifugo's order: a subscription token decides alone; else the namespace's
 * subscribe proxy (not for user-limited or private channels, which have their own rules); else the
 * permission options. Null when the answer is already out (an error reply or a close).
 */
async function authorize(rt: NodeRuntime, s: Session, id: number, name: ChannelName, req: SubscribeRequest): Promise<Grant | null> {
  if (req.token !== undefined && req.token !== '') {
    const token = await verifySubscriptionToken(rt, s, req.channel, req.token);
    if (!token.ok) {
      if (token.error) rt.replyError(s, id, token.error);
      return null;
    }
    return token;
  }
  if (name.options.subscribeProxy !== '' && name.allowedUsers === null && !name.isPrivate) return subscribeProxy(rt, s, id, name, req);
  if (!maySubscribe(rt, s, name)) {
    rt.replyError(s, id, Errors.permissionDenied);
    return null;
  }
  return { expiresAt: 0 };
}

/** The subscribe proxy: the backend allows (with info, data, override, expiry), answers an error, or disconnects. */
async function subscribeProxy(rt: NodeRuntime, s: Session, id: number, name: ChannelName, req: SubscribeRequest): Promise<Grant | null> {
  const body = requestBase(s, true);
  body.channel = req.channel;
  if (req.data !== undefined) body.data = req.data;
  const r = proxyResult(s, await rt.proxy.call(name.options.subscribeProxy, 'subscribe', body, s.proxy), (e) => rt.replyError(s, id, e));
  if (r === null) return null;
  const expiresAt = (r.expire_at ?? 0) * 1000;
  if (expiresAt > 0 && expiresAt <= Date.now()) {
    rt.replyError(s, id, Errors.expired);
    return null;
  }
  const grant: Grant = { expiresAt };
  if (r.info !== undefined) grant.info = r.info;
  if (r.data !== undefined) grant.data = r.data;
  if (r.override !== undefined) grant.override = r.override;
  return grant;
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
  const override = parseOverride(c.override);
  if (!override.ok) {
    s.close(Disconnects.invalidToken);
    return { ok: false };
  }
  const expireAt = typeof c.expire_at === 'number' ? c.expire_at : typeof c.exp === 'number' ? c.exp : 0;
  if (expireAt > 0 && expireAt * 1000 <= Date.now()) return { ok: false, error: Errors.expired };
  const granted: SubToken = { ok: true, expiresAt: expireAt * 1000 };
  if (c.info !== undefined) granted.info = c.info as Json;
  if (c.data !== undefined) granted.data = c.data as Json;
  if (override.value !== undefined) granted.override = override.value;
  return granted;
}
