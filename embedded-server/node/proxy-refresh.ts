/**
 * Server-side refresh through the backend (Centrifugo's refresh and sub_refresh proxies): when a
 * connection (or a subscription in a namespace with `sub_refresh_proxy_enabled`) reaches its expiry,
 * the node asks the backend instead of waiting for the client. `expired: true` ends it; a new
 * `expire_at` prolongs it; `info` replaces its info. A backend that cannot answer is asked again
 * after REFRESH_RETRY_MS, and the connection lives on meanwhile (Centrifugo's behaviour: a backend
 * outage must not disconnect everyone).
 */
import { parseChannel } from '../../shared/channels/channel-name.js';
import { Disconnects, Unsubscribes } from '../../shared/protocol/codes.js';
import type { NodeRuntime } from './node-runtime.js';
import { requestBase } from './proxy-client.js';
import type { Session } from './session.js';
import { Sub } from './session.js';

export const REFRESH_RETRY_MS = 10_000;

/** The sub_refresh proxy of a channel's namespace, "" when it has none. */
export function subRefreshProxyOf(rt: NodeRuntime, channel: string): string {
  const name = parseChannel(channel, rt.channels);
  return name.ok ? name.value.options.subRefreshProxy : '';
}

/** Asks the refresh proxy about an expiring connection; until it answers, the sweep leaves it alone. */
export function refreshConnection(rt: NodeRuntime, s: Session, now: number): void {
  s.expiresAt = now + REFRESH_RETRY_MS;
  void rt.proxy.call(rt.init.proxies.refresh, 'refresh', requestBase(s, true), s.proxy).then((answer) => {
    if (s.isClosing() || answer.kind !== 'result') return; // errors and disconnects do not apply to refresh: asked again later
    const r = answer.result;
    if (r.expired === true) return s.close(Disconnects.expired);
    if (r.info !== undefined) s.connInfo = r.info;
    if (r.expire_at !== undefined) s.expiresAt = r.expire_at * 1000;
  });
}

/** Asks a namespace's sub_refresh proxy about an expiring subscription. */
export function refreshSubscription(rt: NodeRuntime, s: Session, channel: string, proxy: string, now: number): void {
  const extra = s.subExtras?.get(channel);
  if (!extra) return;
  extra.expiresAt = now + REFRESH_RETRY_MS;
  const body = requestBase(s, true);
  body.channel = channel;
  void rt.proxy.call(proxy, 'sub_refresh', body, s.proxy).then((answer) => {
    const current = s.subExtras?.get(channel);
    if (s.isClosing() || current !== extra || answer.kind !== 'result') return;
    const r = answer.result;
    if (r.expired === true) {
      if ((s.subs.get(channel) ?? 0) & Sub.serverSide) return s.close(Disconnects.subExpired);
      return rt.serverUnsubscribe(s, channel, Unsubscribes.expired);
    }
    if (r.info !== undefined) extra.chanInfo = r.info;
    if (r.expire_at !== undefined) extra.expiresAt = r.expire_at * 1000;
  });
}
