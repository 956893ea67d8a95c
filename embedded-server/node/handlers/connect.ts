/** The connect command (PROTOCOL.md §2.2): credentials, limits, server-side subscriptions, reply. */
import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { parseChannel } from '../../../shared/channels/channel-name.js';
import { publicationInfoProblem } from '../../../shared/channels/channel-options.js';
import type { ConnectRequest, ConnectResult, Json, StreamPosition } from '../../../shared/protocol/client-protocol.js';
import { Disconnects, Errors } from '../../../shared/protocol/codes.js';
import type { AppError } from '../../../shared/result.js';
import type { NodeRuntime } from '../node-runtime.js';
import type { Session } from '../session.js';
import { Sub } from '../session.js';
import { activateSubscription, setUpSubscription, subscriptionFlags } from '../subscription-setup.js';

type Identity = { user: string; claims: JWTPayload | null };

export async function handleConnect(rt: NodeRuntime, s: Session, id: number, req: ConnectRequest): Promise<void> {
  if (s.state !== 'connecting') return s.close(Disconnects.badRequest);
  const identity = await authenticate(rt, s, id, req);
  if (!identity || s.isClosing()) return;
  const expiry = connectionExpiry(identity.claims);
  if (expiry === 'past') return reject(rt, s, id, Errors.expired);
  const client = randomUUID();
  if (!(await admitUser(rt, s, id, identity.user, client)) || s.isClosing()) return;

  s.id = client;
  s.user = identity.user;
  s.connInfo = identity.claims?.info as Json | undefined;
  s.name = req.name ?? '';
  s.version = req.version ?? '';
  s.expiresAt = expiry;
  s.state = 'connected';
  s.openedAt = Date.now();
  const interval = rt.client.pingIntervalMs;
  s.nextPingAt = s.openedAt + interval / 2 + Math.random() * (interval / 2);
  rt.register(s);

  const result: ConnectResult = { client: s.id, version: rt.init.serverVersion };
  // An emulated connection names its session and node: its commands come back through POST /emulation with them.
  if (s.session !== '') Object.assign(result, { session: s.session, node: rt.init.nodeId });
  if (interval > 0) {
    result.ping = Math.max(1, Math.round(interval / 1000));
    if (rt.client.pongTimeoutMs > 0) result.pong = true;
  }
  if (expiry > 0) {
    result.expires = true;
    result.ttl = Math.max(1, Math.round((expiry - Date.now()) / 1000));
  }
  const activations = await serverSideSubscriptions(rt, s, identity.claims, req, result);
  if (activations === null || s.isClosing()) return;
  rt.reply(s, id, 'connect', result);
  for (const [channel, position] of activations) activateSubscription(rt, s, channel, position);
}

/**
 * `client.user_connection_limit` across this supervisor's nodes: this node's own count first (no
 * round trip when it already says no), then the supervisor's, which counts every node's sessions
 * and the connects it admitted meanwhile. Past it: close 3504 (terminal, as Centrifugo). When the
 * supervisor cannot answer (a partitioned node): error 100, and the client retries.
 */
async function admitUser(rt: NodeRuntime, s: Session, id: number, user: string, client: string): Promise<boolean> {
  const limit = rt.client.userConnectionLimit;
  if (limit <= 0 || user === '') return true;
  if (rt.byUser.count(user) >= limit) {
    s.close(Disconnects.connectionLimit);
    return false;
  }
  const admitted = await rt.link.request('user.admit', { user, client, limit });
  if (admitted.ok) return true;
  if (admitted.error.code === Errors.limitExceeded.code) s.close(Disconnects.connectionLimit);
  else reject(rt, s, id, Errors.internal);
  return false;
}

/** An error reply to connect leaves the connection unusable. */
function reject(rt: NodeRuntime, s: Session, id: number, error: AppError): void {
  s.state = 'rejected';
  rt.replyError(s, id, error);
}

async function authenticate(rt: NodeRuntime, s: Session, id: number, req: ConnectRequest): Promise<Identity | null> {
  if (req.token === undefined || req.token === '') {
    if (rt.client.insecure || rt.client.allowAnonymousConnectWithoutToken) return { user: '', claims: null };
    s.close(Disconnects.badRequest);
    return null;
  }
  const outcome = await rt.verifier.verify(req.token);
  if (!outcome.ok) {
    if (outcome.reason === 'expired') reject(rt, s, id, Errors.tokenExpired);
    else s.close(Disconnects.invalidToken);
    return null;
  }
  const claims = outcome.claims;
  // info and subs travel on in presence and publications: the publication limits apply (64 levels, 1 MiB).
  if (claims.channel !== undefined || (claims.sub !== undefined && typeof claims.sub !== 'string') || publicationInfoProblem('token', claims) !== null) {
    s.close(Disconnects.invalidToken);
    return null;
  }
  return { user: claims.sub ?? '', claims };
}

/** Unix ms of the connection's expiry, 0 for none, 'past' when `expire_at` already passed. */
function connectionExpiry(claims: JWTPayload | null): number | 'past' {
  if (!claims) return 0;
  const expireAt = claims.expire_at;
  if (typeof expireAt === 'number') {
    if (expireAt === 0) return 0;
    return expireAt * 1000 <= Date.now() ? 'past' : expireAt * 1000;
  }
  return typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
}

/** Channels the token subscribes the connection to (`subs` claim, else `channels`). */
function tokenChannels(claims: JWTPayload | null): Map<string, { info?: Json; data?: Json }> {
  const out = new Map<string, { info?: Json; data?: Json }>();
  const subs = claims?.subs;
  if (subs && typeof subs === 'object' && !Array.isArray(subs)) {
    for (const [ch, v] of Object.entries(subs as Record<string, { info?: Json; data?: Json } | null>)) out.set(ch, v ?? {});
    return out;
  }
  if (Array.isArray(claims?.channels)) {
    for (const ch of claims.channels) if (typeof ch === 'string') out.set(ch, {});
  }
  return out;
}

/** Subscribes the token's channels; null when one failed (the connect then fails). */
async function serverSideSubscriptions(
  rt: NodeRuntime, s: Session, claims: JWTPayload | null, req: ConnectRequest, result: ConnectResult,
): Promise<Map<string, StreamPosition | undefined> | null> {
  const activations = new Map<string, StreamPosition | undefined>();
  for (const [channel, extra] of tokenChannels(claims)) {
    const name = parseChannel(channel, rt.channels);
    if (!name.ok) {
      s.close(Disconnects.badRequest);
      return null;
    }
    const flags = subscriptionFlags(name.value, {}, { history: false, presence: false }) | Sub.serverSide;
    const pos = req.subs?.[channel];
    const ready = await setUpSubscription(rt, s, {
      name: name.value,
      flags,
      recover: pos?.recover ? { offset: pos.offset ?? 0, epoch: pos.epoch ?? '' } : undefined,
      chanInfo: extra.info,
      data: extra.data,
    });
    if (!ready.ok) {
      s.close(Disconnects.internal);
      return null;
    }
    result.subs ??= {};
    result.subs[channel] = ready.value.result;
    activations.set(channel, ready.value.position);
  }
  return activations;
}
