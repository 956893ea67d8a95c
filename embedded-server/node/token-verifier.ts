/**
 * Connection and subscription JWTs (PROTOCOL.md §8), HS256/384/512 with the cluster's secret: the
 * common shape synchronously (hmac-jwt.ts, jose's outcomes), anything else by jose. Outcomes are
 * values: the caller maps them to the protocol's error or close code.
 */
import { decodeJwt, errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import type { ClientSettings } from '../../shared/channels/channel-options.js';
import { verifyHmacJwt } from './hmac-jwt.js';
import type { HmacJwtOptions } from './hmac-jwt.js';

export type TokenOutcome =
  | { ok: true; claims: JWTPayload }
  | { ok: false; reason: 'expired' | 'invalid' };

export class TokenVerifier {
  private readonly key: Uint8Array;

  private readonly options: HmacJwtOptions;

  constructor(private readonly settings: ClientSettings) {
    this.key = new TextEncoder().encode(settings.tokenHmacSecret);
    this.options = { audience: settings.tokenAudience || undefined, issuer: settings.tokenIssuer || undefined };
  }

  async verify(token: string): Promise<TokenOutcome> {
    try {
      if (this.settings.insecureSkipTokenSignatureVerify) return this.checkTimes(decodeJwt(token));
      const fast = verifyHmacJwt(token, this.key, this.options);
      if (fast !== null) return fast;
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256', 'HS384', 'HS512'],
        audience: this.options.audience,
        issuer: this.options.issuer,
      });
      return { ok: true, claims: payload };
    } catch (e) {
      if (e instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
      if (e instanceof errors.JWTClaimValidationFailed && e.claim === 'nbf') return { ok: false, reason: 'expired' };
      return { ok: false, reason: 'invalid' };
    }
  }

  private checkTimes(claims: JWTPayload): TokenOutcome {
    const now = Date.now() / 1000;
    if (typeof claims.exp === 'number' && claims.exp <= now) return { ok: false, reason: 'expired' };
    if (typeof claims.nbf === 'number' && claims.nbf > now) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }
}
