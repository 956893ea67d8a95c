/**
 * What every proxied command does with the backend's answer that is not a result: an error goes to
 * the client as the backend gave it, a disconnect closes the connection, and a backend that could
 * not answer is Centrifugo's temporary error 100 (the client retries).
 */
import { Errors } from '../../../shared/protocol/codes.js';
import type { ProxyEvent, ResultByEvent } from '../../../shared/proxy/proxy-protocol.js';
import type { AppError } from '../../../shared/result.js';
import { assertNever } from '../../../shared/result.js';
import type { ProxyOutcome } from '../proxy-client.js';
import type { Session } from '../session.js';

/**
 * The backend's result; null when there is none to act on — the session closed meanwhile, or the
 * answer was an error (given to `refuse`, which replies it) or a disconnect (done here).
 */
export function proxyResult<E extends ProxyEvent>(s: Session, answer: ProxyOutcome<E>, refuse: (error: AppError) => void): ResultByEvent[E] | null {
  if (s.isClosing()) return null;
  switch (answer.kind) {
    case 'result':
      return answer.result;
    case 'failed':
      refuse(Errors.internal);
      return null;
    case 'error':
      refuse(answer.error);
      return null;
    case 'disconnect':
      s.close({ code: answer.code, reason: answer.reason });
      return null;
    default:
      return assertNever(answer);
  }
}
