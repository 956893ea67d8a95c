/**
 * The common case of token verification, done synchronously with node:crypto: a compact JWT whose
 * header is only `alg` (HS256/384/512) and optionally `typ`, signed with the cluster's secret.
 *
 * Why: jose verifies through WebCrypto, an async job per token plus a key import; in a burst of
 * connects that was ~20 % of a node's CPU (profiled with 10k connects), against a few µs for an
 * HMAC here. Outcomes are exactly jose's for the options used (audience, issuer; no clock
 * tolerance) — `hmac-jwt.test.ts` holds the two side by side. Anything else (other header fields,
 * `crit`, `b64`, other algorithms, bytes that are not strict base64url) answers null: jose decides.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { JWTPayload } from 'jose';

export type HmacJwtOutcome =
  | { ok: true; claims: JWTPayload }
  | { ok: false; reason: 'expired' | 'invalid' };

export interface HmacJwtOptions {
  audience?: string;
  issuer?: string;
}

const HASH: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const strict = new TextDecoder('utf-8', { fatal: true });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(strict.decode(Buffer.from(segment, 'base64url')));
  } catch {
    return undefined;
  }
}

/** jose's outcome for this token, or null when it is not the common case. */
export function verifyHmacJwt(token: string, secret: Uint8Array, opts: HmacJwtOptions, nowMs = Date.now()): HmacJwtOutcome | null {
  if (secret.length === 0) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  if (!BASE64URL.test(h) || !BASE64URL.test(p) || !BASE64URL.test(s)) return null;
  const header = decodeJson(h);
  if (!isObject(header)) return null;
  for (const key of Object.keys(header)) if (key !== 'alg' && key !== 'typ') return null;
  const hash = typeof header.alg === 'string' ? HASH[header.alg] : undefined;
  if (hash === undefined || (header.typ !== undefined && typeof header.typ !== 'string')) return null;

  const expected = createHmac(hash, secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };

  const claims = decodeJson(p);
  if (!isObject(claims)) return { ok: false, reason: 'invalid' };
  return checkClaims(claims as JWTPayload, opts, Math.floor(nowMs / 1000));
}

/** jose's `validateClaimsSet` for audience/issuer options and no tolerance, in its order. */
function checkClaims(claims: JWTPayload, opts: HmacJwtOptions, now: number): HmacJwtOutcome {
  const invalid: HmacJwtOutcome = { ok: false, reason: 'invalid' };
  const expired: HmacJwtOutcome = { ok: false, reason: 'expired' };
  if (opts.issuer !== undefined && !Object.hasOwn(claims, 'iss')) return invalid;
  if (opts.audience !== undefined && !Object.hasOwn(claims, 'aud')) return invalid;
  if (opts.issuer !== undefined && claims.iss !== opts.issuer) return invalid;
  if (opts.audience !== undefined) {
    const aud = claims.aud;
    const present = typeof aud === 'string' ? aud === opts.audience : Array.isArray(aud) && aud.includes(opts.audience);
    if (!present) return invalid;
  }
  if (claims.iat !== undefined && typeof claims.iat !== 'number') return invalid;
  // A bad or future `nbf` is "not valid yet": the token-expired reply, as the jose path maps it.
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now)) return expired;
  if (claims.exp !== undefined) {
    if (typeof claims.exp !== 'number') return invalid;
    if (claims.exp <= now) return expired;
  }
  return { ok: true, claims };
}
