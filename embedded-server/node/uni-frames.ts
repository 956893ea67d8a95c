/**
 * What a unidirectional client reads: Push objects, never replies (Centrifugo's unidirectional
 * protocol). A uni session runs on the same machinery as any other and so is written the
 * bidirectional frames — `{"push":…}`, the connect reply `{"id":1,"connect":…}`, `{}` pings; here
 * they become pushes: `{"channel":…,"pub":…}`, `{"connect":…}`, `{}`. Other replies are dropped (a
 * uni client sends no command that has one).
 */
import { PING_FRAME } from '../../shared/protocol/client.codec.js';

const PUSH_PREFIX = '{"push":';
/** The connect reply as client.codec.ts encodes it (`{"id":<id>,"connect":<result>}`). */
const CONNECT_REPLY = /^\{"id":\d+,"connect":/;

/** One frame as the push a uni client reads; null for a reply it does not get. */
export function uniPush(frame: string): string | null {
  if (frame.startsWith(PUSH_PREFIX)) return frame.slice(PUSH_PREFIX.length, -1);
  if (frame === PING_FRAME) return frame;
  const connect = CONNECT_REPLY.exec(frame);
  return connect === null ? null : `{"connect":${frame.slice(connect[0].length)}`;
}

// A flush hands the same bytes to every subscriber of a publication: the last message's pushes are
// kept until the end of the turn, so a fan-out to many uni sessions converts it once.
let lastMessage: string | Buffer | null = null;
let lastPushes: string[] = [];

/** A written message (frames joined by "\n", as the outbox writes them) as pushes, in order. */
export function uniPushes(message: string | Buffer): string[] {
  if (message === lastMessage) return lastPushes;
  const text = typeof message === 'string' ? message : message.toString();
  const pushes: string[] = [];
  for (const frame of text.split('\n')) {
    const push = uniPush(frame);
    if (push !== null) pushes.push(push);
  }
  if (lastMessage === null) queueMicrotask(forgetLast);
  lastMessage = message;
  lastPushes = pushes;
  return pushes;
}

function forgetLast(): void {
  lastMessage = null;
  lastPushes = [];
}
