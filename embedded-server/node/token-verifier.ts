/**
 * Connection and subscription JWTs (PROTOCOL.md §8), HS256/384/512 with the cluster's secret,
 * verified by jose. Outcomes are values: the caller maps them to the protocol's error or close code.
 */
import { decodeJwt, errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import type { ClientSettings } from '../../shared/channels/channel-options.js';

export type TokenOutcome =
  | { ok: true; claims: JWTPayload }
  | { ok: false; reason: 'expired' | 'invalid' };

export class TokenVerifier {
  private readonly key: Uint8Array;

  constructor(private readonly settings: ClientSettings) {
    this.key = new TextEncoder().encode(settings.tokenHmacSecret);
  }

  async verify(token: string): Promise<TokenOutcome> {
    try {
      if (this.settings.insecureSkipTokenSignatureVerify) return this.checkTimes(decodeJwt(token));
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256', 'HS384', 'HS512'],
        audience: this.settings.tokenAudience || undefined,
        issuer: this.settings.tokenIssuer || undefined,
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
