/** The "user rule" shared by every permission check (PROTOCOL.md §9.3). */
import type { NodeRuntime } from '../node-runtime.js';
import type { Session } from '../session.js';

/** Allowed by an option, for an authenticated user or — with the anonymous option — anyone; or insecure mode. */
export function userMay(rt: NodeRuntime, s: Session, allowed: boolean, forAnonymous: boolean): boolean {
  if (rt.client.insecure) return true;
  return allowed && (s.user !== '' || forAnonymous);
}

/** A channel permission that has a "for client" and a "for subscriber" variant. */
export function mayUse(
  rt: NodeRuntime, s: Session, channel: string,
  forClient: boolean, forSubscriber: boolean, forAnonymous: boolean,
): boolean {
  if (userMay(rt, s, forClient, forAnonymous)) return true;
  return forSubscriber && s.subs.has(channel) && userMay(rt, s, true, forAnonymous);
}
