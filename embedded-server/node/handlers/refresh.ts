/** refresh (connection token) and sub_refresh (subscription token), PROTOCOL.md §2.10–§2.11. */
import type { RefreshResult } from '../../../shared/protocol/client-protocol.js';
import { Disconnects, Errors } from '../../../shared/protocol/codes.js';
import type { NodeRuntime } from '../node-runtime.js';
import type { Session } from '../session.js';
import { verifySubscriptionToken } from './subscribe.js';

const ttlOf = (expiresAt: number): RefreshResult =>
  expiresAt > 0 ? { expires: true, ttl: Math.max(1, Math.round((expiresAt - Date.now()) / 1000)) } : {};

export async function handleRefresh(rt: NodeRuntime, s: Session, id: number, token: string | undefined): Promise<void> {
  if (token === undefined || token === '') return s.close(Disconnects.badRequest);
  const outcome = await rt.verifier.verify(token);
  if (!outcome.ok) return s.close(outcome.reason === 'expired' ? Disconnects.expired : Disconnects.invalidToken);
  if ((outcome.claims.sub ?? '') !== s.user) return s.close(Disconnects.invalidToken);
  const c = outcome.claims;
  const expireAt = typeof c.expire_at === 'number' ? c.expire_at : typeof c.exp === 'number' ? c.exp : 0;
  s.expiresAt = expireAt * 1000;
  if (c.info !== undefined) s.connInfo = c.info as typeof s.connInfo;
  rt.reply(s, id, 'refresh', ttlOf(s.expiresAt));
}

export async function handleSubRefresh(rt: NodeRuntime, s: Session, id: number, channel: string, token: string | undefined): Promise<void> {
  if (channel === '') return s.close(Disconnects.badRequest);
  if (!s.subs.has(channel)) return rt.replyError(s, id, Errors.permissionDenied);
  if (token === undefined || token === '') return rt.replyError(s, id, Errors.badRequest);
  const verified = await verifySubscriptionToken(rt, s, channel, token);
  if (!verified.ok) return verified.error ? rt.replyError(s, id, verified.error) : undefined;
  s.subExtras ??= new Map();
  const extra = s.subExtras.get(channel);
  s.subExtras.set(channel, { ...extra, expiresAt: verified.expiresAt, chanInfo: verified.info ?? extra?.chanInfo });
  rt.reply(s, id, 'sub_refresh', ttlOf(verified.expiresAt));
}
