/**
 * Backend proxies after the config is loaded (Centrifugo v6's proxy model, docs/protocol.md
 * "Proxies"): each endpoint once, by name, and which one each event uses. Nodes make the calls; the
 * supervisor holds the same copy for the console's proxy health.
 */
import type { AppError } from '../result.js';

/** What a non-2xx HTTP status becomes (`http.status_to_code_transforms`): an error, or a disconnect. */
export interface StatusTransform {
  status: number;
  error?: AppError;
  disconnect?: { code: number; reason: string };
}

/** One backend endpoint (Centrifugo's "proxy configuration object"), HTTP only. */
export interface ProxyEndpoint {
  /**
   * How the console and the logs name it: the config path of a default proxy
   * (`client.proxy.connect`, `channel.proxy.subscribe`, `rpc.proxy`…) or the name it has in `proxies`.
   */
  name: string;
  /** `http://` or `https://` URL; every call is a POST with a JSON body. */
  endpoint: string;
  timeoutMs: number;
  /** Headers of the client's own HTTP request (WebSocket upgrade or stream request) passed on, lower case. */
  httpHeaders: string[];
  /** Headers the client sent in its connect command (`headers`, centrifuge-js's `headers` option) passed on, lower case. */
  emulatedHeaders: string[];
  /** Added to every call; a passed-on header of the same name wins. */
  staticHeaders: Record<string, string>;
  /** Sends the connection's `meta` (from the connect proxy or the token's `meta` claim). */
  includeConnectionMeta: boolean;
  statusTransforms: StatusTransform[];
}

/** Proxy names: what `proxies[].name`, `*_proxy_name` and `proxy_name` accept (Centrifugo's rule). */
export const PROXY_NAME = /^[-a-zA-Z0-9_.]{2,}$/;

/** The names default (unnamed) proxies get: their config paths, which `proxies[].name` may not take. */
export const DEFAULT_PROXY_NAMES = {
  connect: 'client.proxy.connect',
  refresh: 'client.proxy.refresh',
  send: 'client.proxy.send',
  subscribe: 'channel.proxy.subscribe',
  publish: 'channel.proxy.publish',
  subRefresh: 'channel.proxy.sub_refresh',
  rpc: 'rpc.proxy',
} as const;

/** RPC routing (Centrifugo's `rpc` section): a method `ns:name` goes to namespace `ns`'s proxy. */
export interface RpcSettings {
  /** Separates the namespace from the method name (`rpc.namespace_boundary`, default ":"). */
  namespaceBoundary: string;
  /** Proxy of methods without a namespace; "" = none. */
  withoutNamespace: string;
  /** Namespace → its proxy name ("" = the namespace exists but proxies nothing: 108). */
  namespaces: Record<string, string>;
  /** `rpc.ping`: this method answers an empty result without a proxy; "" = off. */
  pingMethod: string;
}

export interface ProxySettings {
  /** Every endpoint some event uses, by name. */
  endpoints: Record<string, ProxyEndpoint>;
  /** Client-wide events: the endpoint name, "" when the event is not proxied. */
  connect: string;
  refresh: string;
  /** Switchboard extension: `send` (async messages) to the backend; "" drops them, as before. */
  send: string;
  rpc: RpcSettings;
}

export const NO_PROXIES: ProxySettings = {
  endpoints: {},
  connect: '',
  refresh: '',
  send: '',
  rpc: { namespaceBoundary: ':', withoutNamespace: '', namespaces: {}, pingMethod: '' },
};

/** Lower-case header names some endpoint passes on from the client's HTTP request (empty: nothing to keep). */
export function passedOnHeaders(p: ProxySettings): string[] {
  const names = new Set<string>();
  for (const e of Object.values(p.endpoints)) for (const h of e.httpHeaders) names.add(h);
  return [...names];
}
