/** Connection tokens (PROTOCOL.md §8.1) minted with the cluster's HMAC secret, for `switchboard token`. */
import { SignJWT } from 'jose';
import type { Json } from '../../shared/protocol/client-protocol.js';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import { parseDuration } from '../../shared/duration.js';

export interface ConnectionTokenRequest {
  /** client.token.hmac_secret_key */
  secret: string;
  /** The `sub` claim; "" makes an anonymous token. */
  user: string;
  /** Lifetime; omitted or 0 = the token never expires (no `exp`). */
  ttlSeconds?: number;
  /** `info` claim: shown as conn_info in presence and join/leave. */
  info?: Json;
  /** `channels` claim: server-side subscriptions on connect. */
  channels?: string[];
  /** `aud`, needed when client.token.audience is configured. */
  audience?: string;
  /** `iss`, needed when client.token.issuer is configured. */
  issuer?: string;
  /** Clock (unix seconds) for `iat`/`exp`; tests pass one. */
  nowSeconds?: number;
}

/** Signs an HS256 connection JWT. Throws on an empty secret (a programmer error: callers resolve one). */
export async function mintConnectionToken(request: ConnectionTokenRequest): Promise<string> {
  if (request.secret === '') throw new Error('mintConnectionToken: empty secret');
  const now = request.nowSeconds ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, Json> = { sub: request.user };
  if (request.info !== undefined) claims.info = request.info;
  if (request.channels !== undefined && request.channels.length > 0) claims.channels = request.channels;
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(now);
  if (request.ttlSeconds !== undefined && request.ttlSeconds > 0) jwt.setExpirationTime(now + request.ttlSeconds);
  if (request.audience) jwt.setAudience(request.audience);
  if (request.issuer) jwt.setIssuer(request.issuer);
  return jwt.sign(new TextEncoder().encode(request.secret));
}

/** `--ttl 1h` → 3600 seconds (rounded up to whole seconds); "0" means no expiry. */
export function parseTtl(text: string): Result<number, string> {
  const parsed = parseDuration(text);
  if (!parsed.ok) return err(parsed.error);
  return ok(Math.ceil(parsed.value / 1000));
}
