/**
 * Per-connection command and error budgets (`client.command_rate_limit`, `client.error_rate_limit`):
 * counts in fixed one-second windows kept as three numbers on the Session — no timer, no closure,
 * nothing allocated per connection.
 */
import type { Session } from './session.js';

/** Moves the session's window to the second of `now`, starting its counts afresh in a new second. */
function windowAt(s: Session, now: number): void {
  const second = Math.floor(now / 1000);
  if (s.rateSecond === second) return;
  s.rateSecond = second;
  s.commandsThisSecond = 0;
  s.errorsThisSecond = 0;
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
