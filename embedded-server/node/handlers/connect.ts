/** The connect command (PROTOCOL.md §2.2): credentials, limits, server-side subscriptions, reply. */
import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { parseChannel } from '../../../shared/channels/channel-name.js';
import { publicationInfoProblem } from '../../../shared/channels/channel-options.js';
import type { ConnectRequest, ConnectResult, Json, StreamPosition } from '../../../shared/protocol/client-protocol.js';
import { Disconnects, Errors } from '../../../shared/protocol/codes.js';
import type { AppError } from '../../../shared/result.js';
import { proxyResult } from './proxy-answer.js';
import type { SubscriptionOverride } from '../../../shared/channels/subscription-override.js';
import { parseOverride, withOverride } from '../../../shared/channels/subscription-override.js';
import type { NodeRuntime } from '../node-runtime.js';
import type { Session } from '../session.js';
import { Sub } from '../session.js';
import { activateSubscription, setUpSubscription, subscriptionFlags } from '../subscription-setup.js';
import { addRequestedSubs, rejectUnidirectional } from './uni-connect.js';

/** Who connects, and what the token or the connect proxy gave the connection. */
interface Identity {
  user: string;
  info?: Json;
  /** Unix seconds of the expiry: `expire_at` when given (0 = never), else the token's `exp`. */
  expireAt: number;
  /** Server-side subscriptions (token `subs` / `channels`, or the connect proxy's). */
  subs: Map<string, ServerSub>;
  /** Connect proxy result `data`: into the connect reply. */
  data?: Json;
  meta?: Json;
}

interface ServerSub {
  info?: Json;
  data?: Json;
  override?: SubscriptionOverride;
}

export async function handleConnect(rt: NodeRuntime, s: Session, id: number, req: ConnectRequest): Promise<void> {
  if (s.state !== 'connecting') return s.close(Disconnects.badRequest);
  const client = randomUUID();
  keepEmulatedHeaders(rt, s, req);
  const identity = await authenticate(rt, s, id, req, client);
  if (!identity || s.isClosing()) return;
  if (!addRequestedSubs(rt, s, req, identity.user, identity.subs)) return;
  const expiry = identity.expireAt === 0 ? 0 : identity.expireAt * 1000;
  if (expiry > 0 && expiry <= Date.now()) return reject(rt, s, id, Errors.expired);
  if (!(await admitUser(rt, s, id, identity.user, client)) || s.isClosing()) return;

  s.id = client;
  s.user = identity.user;
  s.connInfo = identity.info;
  if (identity.meta !== undefined) (s.proxy ??= {}).meta = identity.meta;
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
  if (s.session !== '') Object.assign(result, s.unidirectional ? { session: s.session } : { session: s.session, node: `${rt.init.supervisor}/${rt.init.nodeId}` });
  if (interval > 0) {
    result.ping = Math.max(1, Math.round(interval / 1000));
    if (rt.client.pongTimeoutMs > 0 && !s.unidirectional) result.pong = true;
  }
  // With a refresh proxy the server refreshes the connection itself (node-sweep.ts): the client is not told it expires.
  if (expiry > 0 && rt.init.proxies.refresh === '') {
    result.expires = true;
    result.ttl = Math.max(1, Math.round((expiry - Date.now()) / 1000));
  }
  if (identity.data !== undefined) result.data = identity.data;
  const activations = await serverSideSubscriptions(rt, s, identity.subs, req, result);
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
  if (s.unidirectional) return rejectUnidirectional(rt, s, error);
  rt.replyError(s, id, error);
}

async function authenticate(rt: NodeRuntime, s: Session, id: number, req: ConnectRequest, client: string): Promise<Identity | null> {
  if (req.token === undefined || req.token === '') {
    if (rt.init.proxies.connect !== '') return connectProxy(rt, s, id, req, client);
    if (rt.client.insecure || rt.client.allowAnonymousConnectWithoutToken) return { user: '', expireAt: 0, subs: new Map() };
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
  const subs = tokenSubs(claims);
  // info and subs travel on in presence and publications: the publication limits apply (64 levels, 1 MiB).
  if (claims.channel !== undefined || (claims.sub !== undefined && typeof claims.sub !== 'string') || publicationInfoProblem('token', claims) !== null || subs === null) {
    s.close(Disconnects.invalidToken);
    return null;
  }
  const identity: Identity = { user: claims.sub ?? '', expireAt: tokenExpireAt(claims), subs };
  if (claims.info !== undefined) identity.info = claims.info as Json;
  if (claims.meta !== undefined) identity.meta = claims.meta as Json;
  return identity;
}

/**
 * The connect proxy (a connect without a token): the backend names the user, or answers an error
 * (the connect's error reply) or a disconnect. A backend that cannot answer is error 100, which is
 * temporary: the client reconnects with backoff.
 */
async function connectProxy(rt: NodeRuntime, s: Session, id: number, req: ConnectRequest, client: string): Promise<Identity | null> {
  const body: Record<string, unknown> = { client, transport: s.transport, protocol: 'json', encoding: 'json' };
  if (req.name) body.name = req.name;
  if (req.version) body.version = req.version;
  if (req.data !== undefined) body.data = req.data;
  const r = proxyResult(s, await rt.proxy.call(rt.init.proxies.connect, 'connect', body, s.proxy), (e) => reject(rt, s, id, e));
  if (r === null) return null;
  const subs = new Map<string, ServerSub>();
  if (r.subs) for (const [channel, o] of Object.entries(r.subs)) subs.set(channel, o);
  else for (const channel of r.channels ?? []) subs.set(channel, {});
  const identity: Identity = { user: r.user, expireAt: r.expire_at ?? 0, subs };
  if (r.info !== undefined) identity.info = r.info;
  if (r.data !== undefined) identity.data = r.data;
  if (r.meta !== undefined) identity.meta = r.meta;
  return identity;
}

/** Keeps the connect command's `headers` that some proxy passes on (`emulated_headers`). */
function keepEmulatedHeaders(rt: NodeRuntime, s: Session, req: ConnectRequest): void {
  if (req.headers === undefined) return;
  const kept: Record<string, string> = {};
  let any = false;
  for (const e of Object.values(rt.init.proxies.endpoints)) {
    for (const name of e.emulatedHeaders) {
      for (const [k, v] of Object.entries(req.headers)) {
        if (k.toLowerCase() === name) {
          kept[name] = v;
          any = true;
        }
      }
    }
  }
  if (any) (s.proxy ??= {}).emulated = kept;
}

/** `expire_at` when the token has one (0 = never), else `exp`, else 0. */
function tokenExpireAt(claims: JWTPayload): number {
  if (typeof claims.expire_at === 'number') return claims.expire_at;
  return typeof claims.exp === 'number' ? claims.exp : 0;
}

/** Channels the token subscribes the connection to (`subs` claim, else `channels`); null when an `override` is malformed. */
function tokenSubs(claims: JWTPayload): Map<string, ServerSub> | null {
  const out = new Map<string, ServerSub>();
  const subs = claims.subs;
  if (subs && typeof subs === 'object' && !Array.isArray(subs)) {
    for (const [ch, v] of Object.entries(subs as Record<string, { info?: Json; data?: Json; override?: unknown } | null>)) {
      const override = parseOverride(v?.override);
      if (!override.ok) return null;
      const sub: ServerSub = {};
      if (v?.info !== undefined) sub.info = v.info;
      if (v?.data !== undefined) sub.data = v.data;
      if (override.value !== undefined) sub.override = override.value;
      out.set(ch, sub);
    }
    return out;
  }
  if (Array.isArray(claims.channels)) {
    for (const ch of claims.channels) if (typeof ch === 'string') out.set(ch, {});
  }
  return out;
}

/** Subscribes the server-side channels; null when one failed (the connect then fails). */
async function serverSideSubscriptions(
  rt: NodeRuntime, s: Session, subs: Map<string, ServerSub>, req: ConnectRequest, result: ConnectResult,
): Promise<Map<string, StreamPosition | undefined> | null> {
  const activations = new Map<string, StreamPosition | undefined>();
  for (const [channel, extra] of subs) {
    const name = parseChannel(channel, rt.channels);
    if (!name.ok) {
      s.close(Disconnects.badRequest);
      return null;
    }
    const options = withOverride(name.value.options, extra.override);
    const flags = subscriptionFlags({ ...name.value, options }, {}, { history: false, presence: false }) | Sub.serverSide;
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
