/**
 * What a connect over a unidirectional transport does differently (Centrifugo v6): the client reads
 * pushes only, so a connect error becomes a disconnect, and the channels it names in its connect
 * `subs` become server-side subscriptions where it could subscribe to them itself.
 */
import type { ChannelName } from '../../../shared/channels/channel-name.js';
import { parseChannel } from '../../../shared/channels/channel-name.js';
import type { ConnectRequest } from '../../../shared/protocol/client-protocol.js';
import type { CloseCode } from '../../../shared/protocol/codes.js';
import { Disconnects, Errors } from '../../../shared/protocol/codes.js';
import type { UniDisconnectTransform } from '../../../shared/protocol/uni-transports.js';
import type { AppError } from '../../../shared/result.js';
import type { NodeRuntime } from '../node-runtime.js';
import type { Session } from '../session.js';
import { UniHttpSocket } from '../uni-sockets.js';

/**
 * The disconnect a unidirectional client gets instead of an error reply to its connect:
 * `client.connect_code_to_unidirectional_disconnect` first, then Centrifugo's defaults (109/110 →
 * 3005, 111 → 3013, 103 → 3507), anything else 3004 "internal server error".
 */
export function uniConnectDisconnect(transforms: readonly UniDisconnectTransform[], error: AppError): CloseCode {
  const custom = transforms.find((t) => t.code === error.code);
  if (custom !== undefined) return custom.to;
  switch (error.code) {
    case Errors.expired.code:
    case Errors.tokenExpired.code:
      return Disconnects.expired;
    case Errors.tooManyRequests.code:
      return Disconnects.tooManyRequests;
    case Errors.permissionDenied.code:
      return Disconnects.permissionDenied;
    default:
      return Disconnects.internal;
  }
}

/** A failed uni connect: closed with the disconnect its error maps to (a uni_sse / uni_http_stream may answer an HTTP status instead). */
export function rejectUnidirectional(rt: NodeRuntime, s: Session, error: AppError): void {
  if (s.ws instanceof UniHttpSocket) s.ws.connectError = error;
  s.close(uniConnectDisconnect(rt.client.uni.connectCodeToDisconnect, error));
}

/**
 * Channels a uni client names in its connect `subs` join its server-side ones where it could
 * subscribe to them itself, as Centrifugo decides it for token and anonymous connects (not for
 * connect-proxy ones, whose backend names the channels). Others are skipped; a channel Switchboard
 * cannot place (unknown namespace, bad name) closes the connection 3501. False once closed.
 */
export function addRequestedSubs(rt: NodeRuntime, s: Session, req: ConnectRequest, user: string, subs: Map<string, object>): boolean {
  if (!s.unidirectional || req.subs === undefined) return true;
  const viaProxy = (req.token === undefined || req.token === '') && rt.init.proxies.connect !== '';
  if (viaProxy) return true;
  for (const channel of Object.keys(req.subs)) {
    if (subs.has(channel)) continue;
    const name = parseChannel(channel, rt.channels);
    if (!name.ok) {
      s.close(Disconnects.badRequest);
      return false;
    }
    if (mayRequest(name.value, user)) subs.set(channel, {});
  }
  return true;
}

/** Centrifugo's rule for a channel a uni client asks for (its permission model, without a subscription token). */
function mayRequest(name: ChannelName, user: string): boolean {
  const o = name.options;
  if (name.isPrivate || o.subscribeProxy !== '') return false;
  if (o.channelRegex !== '' && !new RegExp(o.channelRegex).test(name.rest)) return false;
  if (name.allowedUsers !== null && o.allowUserLimitedChannels && user !== '' && name.allowedUsers.includes(user)) return true;
  return o.allowSubscribeForClient && (user !== '' || o.allowSubscribeForAnonymous);
}
