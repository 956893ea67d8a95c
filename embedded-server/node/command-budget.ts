/**
 * Per-connection command and error budgets (`client.command_rate_limit`, `client.error_rate_limit`):
 * counts in fixed one-second windows kept as three numbers on the Session — no timer, no closure,
 * nothing allocated per connection.
 */
import type { RateLimitedMethod } from '../../shared/protocol/client-limits.js';
import type { Session } from './session.js';

/** Slot of each rate-limited kind in `Session.methodCounts`. */
const SLOT: Record<RateLimitedMethod, number> = { publish: 0, subscribe: 1, presence: 2, history: 3 };

/** Moves the session's window to the second of `now`, starting its counts afresh in a new second. */
function windowAt(s: Session, now: number): void {
  const second = Math.floor(now / 1000);
  if (s.rateSecond === second) return;
  s.rateSecond = second;
  s.commandsThisSecond = 0;
  s.errorsThisSecond = 0;
  s.methodCounts?.fill(0);
}

/** Counts `n` commands received now; false once this second's count passes `limit` (0 = unlimited). */
export function chargeCommands(s: Session, n: number, now: number, limit: number): boolean {
  if (limit <= 0) return true;
  windowAt(s, now);
  s.commandsThisSecond += n;
  return s.commandsThisSecond <= limit;
}

/** Counts one error reply sent now; false once this second's count passes `limit` (0 = unlimited). */
export function chargeError(s: Session, now: number, limit: number): boolean {
  if (limit <= 0) return true;
  windowAt(s, now);
  s.errorsThisSecond++;
  return s.errorsThisSecond <= limit;
}

/**
 * Counts one command of a rate-limited kind received now against its per-second `limit`
 * (0 = unlimited): `ok` within it, `limited` past it (answer 111), `cut` past twice it (close 3013).
 */
export function chargeMethod(s: Session, method: RateLimitedMethod, now: number, limit: number): 'ok' | 'limited' | 'cut' {
  if (limit <= 0) return 'ok';
  windowAt(s, now);
  // Made on first use only: most connections never send a limited command.
  const counts = (s.methodCounts ??= new Uint32Array(4));
  const n = ++counts[SLOT[method]]!;
  if (n <= limit) return 'ok';
  return n <= 2 * limit ? 'limited' : 'cut';
}
