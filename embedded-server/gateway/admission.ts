/**
 * Connect-rate admission at the gateway (`client.connection_rate_limit`, and
 * `client.connection_rate_limit_per_ip`): token buckets that refill at the rate and hold one
 * second's worth, one for the whole gateway and one per remote address. A WebSocket upgrade past
 * either is answered 503 with `Retry-After`; the centrifuge client sees a failed transport and
 * reconnects with its backoff (0.5 s up to 20 s, jittered), so a storm of connects spreads out into
 * slower admission instead of landing on the nodes at once.
 */

/** A refusal: why, and after how many whole seconds a retry can succeed. */
export interface AdmissionRefusal {
  reason: string;
  retryAfterS: number;
}

export interface Admission {
  /** Takes a token for a connect from `ip` at `now` (unix ms); a refusal when there is none. */
  admit(ip: string, now: number): AdmissionRefusal | null;
  /** Remote addresses with a bucket kept (those that connected within about the last second). */
  readonly trackedAddresses: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Refills a bucket to `now` at `rate`/s, capped at one second's worth. */
function refill(b: Bucket, now: number, rate: number): void {
  b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
  b.at = now;
}

/** Seconds until a bucket holding `tokens` has a whole one again, at least 1 (Retry-After is whole seconds). */
function secondsUntilToken(tokens: number, rate: number): number {
  return Math.max(1, Math.ceil((1 - tokens) / rate));
}

/** Rates are new connections per second; 0 turns that limit off. */
export function createAdmission(limits: { connectionRateLimit: number; connectionRateLimitPerIp: number }): Admission {
  const global = limits.connectionRateLimit;
  const perIp = limits.connectionRateLimitPerIp;
  const all: Bucket = { tokens: global, at: 0 };
  const byIp = new Map<string, Bucket>();
  let prunedAt = 0;

  // A bucket that refilled completely is the same as none: dropped, so the map holds only the
  // addresses of about the last second, however many addresses ever connected.
  const prune = (now: number): void => {
    if (now - prunedAt < 1000) return;
    prunedAt = now;
    for (const [ip, b] of byIp) if (b.tokens + ((now - b.at) / 1000) * perIp >= perIp) byIp.delete(ip);
  };

  return {
    admit(ip, now) {
      let mine: Bucket | undefined;
      if (perIp > 0) {
        prune(now);
        mine = byIp.get(ip);
        if (mine === undefined) byIp.set(ip, (mine = { tokens: perIp, at: now }));
        refill(mine, now, perIp);
        if (mine.tokens < 1) {
          return { reason: `too many new connections from ${ip} (client.connection_rate_limit_per_ip: ${perIp}/s); retry later`, retryAfterS: secondsUntilToken(mine.tokens, perIp) };
        }
      }
      if (global > 0) {
        refill(all, now, global);
        if (all.tokens < 1) {
          return { reason: `too many new connections (client.connection_rate_limit: ${global}/s); retry later`, retryAfterS: secondsUntilToken(all.tokens, global) };
        }
        all.tokens -= 1;
      }
      if (mine) mine.tokens -= 1;
      return null;
    },
    get trackedAddresses() {
      return byIp.size;
    },
  };
}
