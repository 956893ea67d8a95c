/**
 * Sets up one subscription, client- or server-side: register locally (buffering live frames),
 * ask the broker for presence, join and the stream position or recovery, build the reply, then —
 * once the caller queued the reply — activate, which flushes what arrived meanwhile in order.
 */
import type { ChannelName } from '../../shared/channels/channel-name.js';
import { hasHistory } from '../../shared/channels/channel-options.js';
import type { Json, StreamPosition, SubscribeResult } from '../../shared/protocol/client-protocol.js';
import { Errors } from '../../shared/protocol/codes.js';
import type { TagsFilter } from '../../shared/protocol/tags-filter.js';
import { matches } from '../../shared/protocol/tags-filter.js';
import type { AppError, Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { NodeRuntime } from './node-runtime.js';
import type { Session } from './session.js';
import { Sub } from './session.js';
import { asciiJson, fullPublication } from './delta-frames.js';

export interface SubscriptionPlan {
  name: ChannelName;
  /** Sub flags (without `pending`). */
  flags: number;
  recover?: { offset: number; epoch: string };
  /** Reject instead of answering recovered:false (subscribe flag bit 2). */
  rejectUnrecovered?: boolean;
  /** Subscription expiry, unix ms (from a subscription token or the subscribe proxy); 0 = none. */
  expiresAt?: number;
  /** A sub_refresh proxy refreshes it (node-sweep.ts): the reply does not tell the client it expires. */
  serverRefresh?: boolean;
  chanInfo?: Json;
  data?: Json;
  /** The client's tags filter (`tf`): live and recovered publications it refuses are not sent. */
  tagsFilter?: TagsFilter;
}

export interface ReadySubscription {
  result: SubscribeResult;
  /** Call after the reply (or subscribe push) is queued. */
  position?: StreamPosition;
}

/** Decides the flags a subscription gets from its namespace and what the client asked. */
export function subscriptionFlags(
  name: ChannelName,
  ask: { positioned?: boolean; recoverable?: boolean; joinLeave?: boolean },
  perms: { history: boolean; presence: boolean },
): number {
  const o = name.options;
  const history = hasHistory(o);
  const recoverable = history && (o.forceRecovery || (ask.recoverable === true && (o.allowRecovery || perms.history)));
  const positioned = history && (recoverable || o.forcePositioning || (ask.positioned === true && (o.allowPositioning || perms.history)));
  const pushJoinLeave = o.joinLeave && (o.forcePushJoinLeave || (ask.joinLeave === true && perms.presence));
  let flags = 0;
  if (recoverable) flags |= Sub.recoverable;
  if (positioned) flags |= Sub.positioned;
  if (o.presence) flags |= Sub.presence;
  if (o.joinLeave) flags |= Sub.emitJoinLeave;
  if (pushJoinLeave) flags |= Sub.pushJoinLeave;
  return flags;
}

export async function setUpSubscription(rt: NodeRuntime, s: Session, plan: SubscriptionPlan): Promise<Result<ReadySubscription, AppError>> {
  const channel = plan.name.channel;
  s.setSub(channel, plan.flags | Sub.pending);
  if (plan.expiresAt || plan.chanInfo !== undefined || plan.tagsFilter !== undefined) {
    s.subExtras ??= new Map();
    s.subExtras.set(channel, { expiresAt: plan.expiresAt ?? 0, chanInfo: plan.chanInfo, tagsFilter: plan.tagsFilter });
  }
  rt.hub.begin(channel, s);
  const recover = plan.flags & Sub.recoverable ? plan.recover : undefined;
  let outcome;
  try {
    outcome = await rt.link.request('broker.subscribe', {
      channel,
      info: rt.clientInfo(s, channel),
      presence: (plan.flags & Sub.presence) !== 0,
      emitJoinLeave: (plan.flags & Sub.emitJoinLeave) !== 0,
      positioned: (plan.flags & Sub.positioned) !== 0,
      recover,
    });
  } catch {
    outcome = err(Errors.internal);
  }
  if (s.state === 'closed' || s.subs.get(channel) !== (plan.flags | Sub.pending)) {
    // Closed or unsubscribed while the broker answered: undo what the broker registered.
    if (s.state === 'closed' || !s.subs.has(channel)) cancel(rt, s, channel, plan.flags);
    return err(Errors.internal);
  }
  if (!outcome.ok) {
    cancel(rt, s, channel, plan.flags);
    return outcome;
  }
  const o = outcome.value;
  if (recover && !o.recovered && plan.rejectUnrecovered) {
    cancel(rt, s, channel, plan.flags);
    return err(Errors.unrecoverablePosition);
  }
  const result = buildResult(plan, o, recover, s, channel);
  const lastSent = result.publications?.at(-1)?.offset;
  if (plan.flags & Sub.delta && lastSent !== undefined) rt.hub.setDeltaBase(channel, s, lastSent, o.position?.epoch ?? '');
  return ok({ result, position: o.position });
}

/** Makes the subscription live; frames buffered during set-up follow the reply. */
export function activateSubscription(rt: NodeRuntime, s: Session, channel: string, position?: StreamPosition): void {
  const flags = s.subs.get(channel);
  if (flags === undefined || s.state === 'closed') return;
  s.setSub(channel, flags & ~Sub.pending);
  rt.hub.activate(channel, s, position);
}

function cancel(rt: NodeRuntime, s: Session, channel: string, flags: number): void {
  s.setSub(channel, flags);
  rt.dropSubscription(s, channel);
}

function buildResult(
  plan: SubscriptionPlan,
  o: { position?: StreamPosition; recovered?: boolean; publications?: SubscribeResult['publications'] },
  recover: SubscriptionPlan['recover'],
  s: Session,
  channel: string,
): SubscribeResult {
  const result: SubscribeResult = {};
  const expiresAt = s.subExtras?.get(channel)?.expiresAt ?? 0;
  if (expiresAt > 0 && !plan.serverRefresh) {
    result.expires = true;
    result.ttl = Math.max(1, Math.round((expiresAt - Date.now()) / 1000));
  }
  if (plan.flags & Sub.recoverable) result.recoverable = true;
  if (plan.flags & Sub.positioned && o.position) {
    result.positioned = true;
    result.epoch = o.position.epoch;
    result.offset = o.position.offset;
  }
  if (recover) {
    result.was_recovering = true;
    if (o.recovered) {
      // Recovered or not is decided on the whole stream; only then does the filter pick what is sent
      // (Centrifugo's isStreamRecovered). The reply's offset is the client's own, as always.
      result.recovered = true;
      result.offset = recover.offset;
      const filter = plan.tagsFilter;
      const publications = filter && o.publications ? o.publications.filter((p) => matches(filter, p.tags)) : o.publications;
      if (publications && publications.length > 0) result.publications = publications;
    }
  }
  if (plan.data !== undefined) result.data = plan.data;
  if (plan.flags & Sub.delta) {
    result.delta = true;
    // A delta subscriber reads data as JSON text; the recovered publications go in full.
    if (result.publications) result.publications = result.publications.map((p) => fullPublication(p, asciiJson(p.data)));
  }
  return result;
}
