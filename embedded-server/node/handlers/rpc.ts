/**
 * rpc (PROTOCOL.md §2.9) and send: a method `ns:name` goes to RPC namespace `ns`'s proxy, one
 * without a namespace to `rpc.without_namespace`'s (Centrifugo's `rpc` section). No RPC proxy at all:
 * 108, as Centrifugo without one; a namespace that is not configured: 104; one without a proxy: 108.
 * `send` goes to `client.proxy.send` (a Switchboard extension) without an answer to the client.
 */
import type { Json } from '../../../shared/protocol/client-protocol.js';
import { Errors } from '../../../shared/protocol/codes.js';
import type { RpcSettings } from '../../../shared/proxy/proxy-settings.js';
import type { AppError } from '../../../shared/result.js';
import { proxyResult } from './proxy-answer.js';
import type { NodeRuntime } from '../node-runtime.js';
import { requestBase } from '../proxy-client.js';
import type { Session } from '../session.js';

/** Sends in flight per node at most; more are dropped (and counted as proxy failures) rather than queued without bound. */
export const SEND_IN_FLIGHT_LIMIT = 1024;

export async function handleRpc(rt: NodeRuntime, s: Session, id: number, p: { method?: string; data?: Json }): Promise<void> {
  const rpc = rt.init.proxies.rpc;
  const method = p.method ?? '';
  if (rpc.pingMethod !== '' && method === rpc.pingMethod) return rt.reply(s, id, 'rpc', {});
  const proxy = rpcProxy(rpc, method);
  if (typeof proxy !== 'string') return rt.replyError(s, id, proxy);
  const body = requestBase(s, true);
  if (method !== '') body.method = method;
  if (p.data !== undefined) body.data = p.data;
  const r = proxyResult(s, await rt.proxy.call(proxy, 'rpc', body, s.proxy), (e) => rt.replyError(s, id, e));
  if (r !== null) rt.reply(s, id, 'rpc', r.data === undefined ? {} : { data: r.data });
}

/** The proxy a method goes to, or the error that answers it. */
export function rpcProxy(rpc: RpcSettings, method: string): string | AppError {
  const at = method.indexOf(rpc.namespaceBoundary);
  const namespaced = at > 0;
  const proxy = namespaced ? rpc.namespaces[method.slice(0, at)] : rpc.withoutNamespace;
  if (proxy === undefined) return Object.keys(rpc.namespaces).length === 0 && rpc.withoutNamespace === '' ? Errors.notAvailable : Errors.methodNotFound;
  return proxy === '' ? Errors.notAvailable : proxy;
}

let sendsInFlight = 0;

/** An async message to the backend; nothing goes back to the client (PROTOCOL.md §2: `send` has no reply). */
export function handleSend(rt: NodeRuntime, s: Session, data: Json | undefined): void {
  const proxy = rt.init.proxies.send;
  if (proxy === '' || s.state !== 'connected') return;
  if (sendsInFlight >= SEND_IN_FLIGHT_LIMIT) {
    rt.proxy.dropped(proxy, 'send', `more than ${SEND_IN_FLIGHT_LIMIT} sends waiting for the backend`);
    return;
  }
  const body = requestBase(s, true);
  if (data !== undefined) body.data = data;
  sendsInFlight++;
  void rt.proxy.call(proxy, 'send', body, s.proxy).finally(() => sendsInFlight--);
}
