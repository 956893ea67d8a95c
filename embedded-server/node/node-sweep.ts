/**
 * One periodic sweep per node instead of timers per connection (ARCHITECTURE.md "Hot paths"):
 * server pings and missing pongs, stale connections, connection and subscription expiry, and the
 * refresh of this node's presence entries (one batched message per `client.presence_update_interval`).
 */
import { PING_FRAME } from '../../shared/protocol/client.codec.js';
import { Disconnects, Unsubscribes } from '../../shared/protocol/codes.js';
import type { NodeRuntime } from './node-runtime.js';
import type { Session } from './session.js';
import { Sub } from './session.js';
import { refreshConnection, refreshSubscription, subRefreshProxyOf } from './proxy-refresh.js';

/** Presence pairs per refresh message, so one message stays small however many subscriptions there are. */
export const PRESENCE_REFRESH_CHUNK = 5_000;

export function sweepSessions(rt: NodeRuntime, now: number): void {
  const c = rt.client;
  // Every entry is due together: one pass over the sessions, no timer per connection.
  const refresh: { channel: string; client: string }[] | null = now >= rt.nextPresenceRefreshAt ? [] : null;
  if (refresh) rt.nextPresenceRefreshAt = now + c.presenceUpdateIntervalMs;
  for (const s of rt.sessions) {
    if (s.state === 'connecting' || s.state === 'rejected') {
      if (now - s.openedAt > c.staleCloseDelayMs) s.close(Disconnects.stale);
      continue;
    }
    if (s.state !== 'connected') continue;
    if (s.pongDeadline > 0 && now > s.pongDeadline) {
      s.close(Disconnects.noPong);
      continue;
    }
    if (s.expiresAt > 0) {
      // With a refresh proxy the server refreshes at the expiry; without, the client had until the close delay.
      if (rt.init.proxies.refresh !== '') {
        if (now >= s.expiresAt) refreshConnection(rt, s, now);
      } else if (now > s.expiresAt + c.expiredCloseDelayMs) {
        s.close(Disconnects.expired);
        continue;
      }
    }
    if (s.subExtras) expireSubscriptions(rt, s, now);
    if (refresh) collectPresence(s, refresh);
    if (c.pingIntervalMs > 0 && now >= s.nextPingAt) {
      rt.outbox.push(s, PING_FRAME);
      s.nextPingAt = now + c.pingIntervalMs;
      // A unidirectional client answers no `{}` ping; a uni_websocket one owes the pong of a ping frame.
      const pongOwed = s.unidirectional ? s.ws.framePing?.() === true : true;
      if (pongOwed && c.pongTimeoutMs > 0 && s.pongDeadline === 0) s.pongDeadline = now + c.pongTimeoutMs;
    }
  }
  if (refresh) sendPresenceRefresh(rt, refresh);
}

function collectPresence(s: Session, into: { channel: string; client: string }[]): void {
  for (const [channel, flags] of s.subs) if (flags & Sub.presence) into.push({ channel, client: s.id });
}

function sendPresenceRefresh(rt: NodeRuntime, entries: { channel: string; client: string }[]): void {
  for (let i = 0; i < entries.length; i += PRESENCE_REFRESH_CHUNK) {
    rt.link.send({ t: 'presence.refresh', entries: entries.slice(i, i + PRESENCE_REFRESH_CHUNK) });
  }
}

/** After the node was frozen: nobody owes a pong, everyone gets a ping now. */
export function resumeAfterFreeze(rt: NodeRuntime, now: number): void {
  for (const s of rt.sessions) {
    s.pongDeadline = 0;
    s.nextPingAt = now;
  }
}

/** Unrefreshed subscription tokens: client-side → push 2501 (resubscribes), server-side → close 3006. */
function expireSubscriptions(rt: NodeRuntime, s: Session, now: number): void {
  for (const [channel, extra] of s.subExtras!) {
    if (extra.expiresAt === 0 || now < extra.expiresAt) continue;
    const proxy = subRefreshProxyOf(rt, channel);
    if (proxy !== '') {
      refreshSubscription(rt, s, channel, proxy, now);
      continue;
    }
    if (now <= extra.expiresAt + rt.client.expiredCloseDelayMs) continue;
    if ((s.subs.get(channel) ?? 0) & Sub.serverSide) {
      s.close(Disconnects.subExpired);
      return;
    }
    rt.serverUnsubscribe(s, channel, Unsubscribes.expired);
  }
}

/** Asks the broker for the positions of channels this node follows; ones still behind since the last check recover (LocalHub.check). */
export async function checkPositions(rt: NodeRuntime): Promise<void> {
  const mine = rt.hub.positions();
  if (mine.size === 0) return;
  const theirs = await rt.link.request('broker.positions', { channels: [...mine.keys()] });
  for (const [channel, pos] of Object.entries(theirs)) rt.hub.check(channel, pos);
}
