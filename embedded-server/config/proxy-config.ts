/**
 * Centrifugo v6's proxy sections as Switchboard reads them: `client.proxy` (connect, refresh and our
 * `send`), `channel.proxy` (subscribe, publish, sub_refresh) with the namespace switches
 * (`subscribe_proxy_enabled`, `subscribe_proxy_name`, …), the `rpc` section and the named `proxies`
 * list. HTTP endpoints only: a `grpc://` endpoint is refused with what to use instead.
 */
import { z } from 'zod';
import { parseDuration } from '../../shared/duration.js';
import type { ChannelOptions } from '../../shared/channels/channel-options.js';
import type { ProxyEndpoint, ProxySettings, StatusTransform } from '../../shared/proxy/proxy-settings.js';
import { DEFAULT_PROXY_NAMES, PROXY_NAME } from '../../shared/proxy/proxy-settings.js';
import { CLOSE_REASON_MAX_BYTES } from '../../shared/proxy/proxy-protocol.js';
import { closest } from './suggest.js';

/** Centrifugo's default proxy timeout. */
export const DEFAULT_PROXY_TIMEOUT_MS = 1000;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const headerName = z.string().regex(HEADER_NAME, 'must be an HTTP header name');
const RESERVED_PROXY_NAMES: readonly string[] = Object.values(DEFAULT_PROXY_NAMES);

const endpointUrl = z.string().superRefine((value, ctx) => {
  if (value.startsWith('grpc://')) {
    ctx.addIssue({ code: 'custom', message: 'GRPC proxies are not supported: give an http:// or https:// endpoint (JSON over HTTP, as Centrifugo\'s HTTP proxy)' });
    return;
  }
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an http:// or https:// URL` });
  }
});

const timeout = z.union([z.string(), z.number()], { error: 'expected a duration like "1s" or "500ms"' }).transform((value, ctx) => {
  const parsed = parseDuration(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  if (parsed.value <= 0) {
    ctx.addIssue({ code: 'custom', message: 'must be greater than 0' });
    return z.NEVER;
  }
  return parsed.value;
});

const statusTransform = z.strictObject({
  status_code: z.number().int('expected a whole number').min(100).max(599, 'must be an HTTP status (100-599)'),
  to_error: z.strictObject({
    code: z.number().int('expected a whole number').min(1).max(0xffffffff),
    message: z.string().optional(),
    temporary: z.boolean().optional(),
  }).optional(),
  to_disconnect: z.strictObject({
    code: z.number().int('expected a whole number').min(3000).max(4999, 'must be a close code, 4000-4999 for an application'),
    reason: z.string().refine((r) => new TextEncoder().encode(r).length <= CLOSE_REASON_MAX_BYTES, `must be at most ${CLOSE_REASON_MAX_BYTES} bytes`).optional(),
  }).optional(),
}).refine((t) => (t.to_error === undefined) !== (t.to_disconnect === undefined), 'give exactly one of to_error and to_disconnect');

/** Centrifugo's "proxy configuration object", HTTP fields; the GRPC ones are accepted and warned about. */
const endpointShape = {
  endpoint: endpointUrl.optional(),
  timeout: timeout.optional(),
  http_headers: z.array(headerName).optional(),
  emulated_headers: z.array(headerName).optional(),
  include_connection_meta: z.boolean().optional(),
  binary_encoding: z.boolean().refine((b) => !b, 'base64 payloads need the Protobuf protocol, which is not served; leave binary_encoding off').optional(),
  http: z.strictObject({
    static_headers: z.record(headerName, z.string()).optional(),
    status_to_code_transforms: z.array(statusTransform).optional(),
    tls: z.unknown().optional(),
  }).optional(),
  grpc_metadata: z.unknown().optional(),
  grpc: z.unknown().optional(),
};

const withEndpoint = (o: { endpoint?: string }, ctx: z.RefinementCtx): void => {
  if (o.endpoint === undefined) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'is required: the backend URL to POST to' });
};

/** `client.proxy.connect` / `refresh` / `send`: switched on by `enabled`. */
const clientProxy = z.strictObject({ enabled: z.boolean().optional(), ...endpointShape }).superRefine((o, ctx) => {
  if (o.enabled === true) withEndpoint(o, ctx);
});
/** `channel.proxy.*` and `rpc.proxy`: switched on per namespace, so the endpoint is what defines them. */
const namespacedProxy = z.strictObject(endpointShape).superRefine(withEndpoint);

export const clientProxySection = z.strictObject({
  connect: clientProxy.optional(),
  refresh: clientProxy.optional(),
  send: clientProxy.optional(),
});

export const channelProxySection = z.strictObject({
  subscribe: namespacedProxy.optional(),
  publish: namespacedProxy.optional(),
  sub_refresh: namespacedProxy.optional(),
  subscribe_stream: z.unknown().optional(),
});

/** Namespace options that switch the channel proxies on. */
export const channelProxyOptionsShape = {
  subscribe_proxy_enabled: z.boolean().optional(),
  subscribe_proxy_name: z.string().regex(PROXY_NAME, 'proxy names need 2+ characters of a-z A-Z 0-9 _ - .').optional(),
  publish_proxy_enabled: z.boolean().optional(),
  publish_proxy_name: z.string().regex(PROXY_NAME, 'proxy names need 2+ characters of a-z A-Z 0-9 _ - .').optional(),
  sub_refresh_proxy_enabled: z.boolean().optional(),
  sub_refresh_proxy_name: z.string().regex(PROXY_NAME, 'proxy names need 2+ characters of a-z A-Z 0-9 _ - .').optional(),
};

const rpcNamespaceOptions = {
  proxy_enabled: z.boolean().optional(),
  proxy_name: z.string().regex(PROXY_NAME, 'proxy names need 2+ characters of a-z A-Z 0-9 _ - .').optional(),
};

export const rpcSection = z.strictObject({
  proxy: namespacedProxy.optional(),
  without_namespace: z.strictObject(rpcNamespaceOptions).optional(),
  namespaces: z.array(z.strictObject({
    name: z.string().regex(/^[-a-zA-Z0-9_.]{2,}$/, 'RPC namespace names need 2+ characters of a-z A-Z 0-9 _ - .'),
    ...rpcNamespaceOptions,
  })).optional(),
  namespace_boundary: z.string().min(1, 'must not be empty').optional(),
  ping: z.strictObject({ enabled: z.boolean().optional(), method: z.string().min(1, 'must not be empty').optional() }).optional(),
}).superRefine((rpc, ctx) => {
  const seen = new Set<string>();
  rpc.namespaces?.forEach((ns, i) => {
    if (seen.has(ns.name)) ctx.addIssue({ code: 'custom', path: ['namespaces', i, 'name'], message: `duplicate RPC namespace "${ns.name}"` });
    seen.add(ns.name);
  });
});

export const proxiesSection = z.array(z.strictObject({
  name: z.string().regex(PROXY_NAME, 'proxy names need 2+ characters of a-z A-Z 0-9 _ - .')
    .refine((n) => !RESERVED_PROXY_NAMES.includes(n), 'this name belongs to a default proxy; pick another'),
  ...endpointShape,
}).superRefine(withEndpoint)).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((p, i) => {
    if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate proxy name "${p.name}"` });
    seen.add(p.name);
  });
});

type FileEndpoint = z.output<typeof namespacedProxy>;
type FileChannelProxyOptions = { [K in keyof typeof channelProxyOptionsShape]?: K extends `${string}_enabled` ? boolean : string };

/** What buildProxies reads of the file. */
export interface ProxyFileSections {
  client?: { proxy?: z.output<typeof clientProxySection> };
  channel?: { proxy?: z.output<typeof channelProxySection> };
  rpc?: z.output<typeof rpcSection>;
  proxies?: z.output<typeof proxiesSection>;
}

function toEndpoint(name: string, e: FileEndpoint): ProxyEndpoint {
  const lower = (list: string[] | undefined): string[] => (list ?? []).map((h) => h.toLowerCase());
  return {
    name,
    endpoint: e.endpoint ?? '',
    timeoutMs: e.timeout ?? DEFAULT_PROXY_TIMEOUT_MS,
    httpHeaders: lower(e.http_headers),
    emulatedHeaders: lower(e.emulated_headers),
    staticHeaders: Object.fromEntries(Object.entries(e.http?.static_headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    includeConnectionMeta: e.include_connection_meta ?? false,
    statusTransforms: (e.http?.status_to_code_transforms ?? []).map((t): StatusTransform => {
      const out: StatusTransform = { status: t.status_code };
      if (t.to_error) out.error = { code: t.to_error.code, message: t.to_error.message ?? '', ...(t.to_error.temporary ? { temporary: true } : {}) };
      if (t.to_disconnect) out.disconnect = { code: t.to_disconnect.code, reason: t.to_disconnect.reason || 'disconnect' };
      return out;
    }),
  };
}

/** The endpoints and the client-wide and RPC routing of a validated file. */
export function buildProxies(file: ProxyFileSections): ProxySettings {
  const endpoints: Record<string, ProxyEndpoint> = {};
  const add = (name: string, e: FileEndpoint | undefined): string => {
    if (e?.endpoint === undefined) return '';
    endpoints[name] = toEndpoint(name, e);
    return name;
  };
  const client = file.client?.proxy;
  const channel = file.channel?.proxy;
  const connect = client?.connect?.enabled ? add(DEFAULT_PROXY_NAMES.connect, client.connect) : '';
  const refresh = client?.refresh?.enabled ? add(DEFAULT_PROXY_NAMES.refresh, client.refresh) : '';
  const send = client?.send?.enabled ? add(DEFAULT_PROXY_NAMES.send, client.send) : '';
  add(DEFAULT_PROXY_NAMES.subscribe, channel?.subscribe);
  add(DEFAULT_PROXY_NAMES.publish, channel?.publish);
  add(DEFAULT_PROXY_NAMES.subRefresh, channel?.sub_refresh);
  add(DEFAULT_PROXY_NAMES.rpc, file.rpc?.proxy);
  for (const p of file.proxies ?? []) add(p.name, p);
  const rpcProxy = (o: { proxy_enabled?: boolean; proxy_name?: string } | undefined): string =>
    (o?.proxy_enabled ? o.proxy_name ?? DEFAULT_PROXY_NAMES.rpc : '');
  const ping = file.rpc?.ping;
  return {
    endpoints,
    connect,
    refresh,
    send,
    rpc: {
      namespaceBoundary: file.rpc?.namespace_boundary ?? ':',
      withoutNamespace: rpcProxy(file.rpc?.without_namespace),
      namespaces: Object.fromEntries((file.rpc?.namespaces ?? []).map((ns) => [ns.name, rpcProxy(ns)])),
      pingMethod: ping?.enabled ? ping.method ?? 'ping' : '',
    },
  };
}

/** A namespace's channel proxies: the endpoint name each event uses, "" when not proxied (a name alone switches nothing on). */
export function channelProxies(o: FileChannelProxyOptions): Pick<ChannelOptions, 'subscribeProxy' | 'publishProxy' | 'subRefreshProxy'> {
  const pick = (enabled: boolean | undefined, name: string | undefined, fallback: string): string => (enabled ? name ?? fallback : '');
  return {
    subscribeProxy: pick(o.subscribe_proxy_enabled, o.subscribe_proxy_name, DEFAULT_PROXY_NAMES.subscribe),
    publishProxy: pick(o.publish_proxy_enabled, o.publish_proxy_name, DEFAULT_PROXY_NAMES.publish),
    subRefreshProxy: pick(o.sub_refresh_proxy_enabled, o.sub_refresh_proxy_name, DEFAULT_PROXY_NAMES.subRefresh),
  };
}

/** Every proxy a namespace or RPC namespace switches on must exist: one line per one that does not. */
export function checkProxyReferences(proxies: ProxySettings, namespaces: [label: string, options: ChannelOptions][]): string[] {
  const known = Object.keys(proxies.endpoints);
  const missing = (where: string, option: string, name: string, section: string): string => {
    if ((RESERVED_PROXY_NAMES as readonly string[]).includes(name)) return `${where}: ${option} is on, but ${section} names no endpoint: set ${section}.endpoint, or a proxy from \`proxies\` by name`;
    const guess = closest(name, known);
    return `${where}: no proxy named "${name}" in \`proxies\`${guess === undefined ? '' : ` (did you mean ${guess}?)`}`;
  };
  const problems: string[] = [];
  for (const [label, o] of namespaces) {
    if (o.subscribeProxy !== '' && !(o.subscribeProxy in proxies.endpoints)) problems.push(missing(label, 'subscribe_proxy_enabled', o.subscribeProxy, 'channel.proxy.subscribe'));
    if (o.publishProxy !== '' && !(o.publishProxy in proxies.endpoints)) problems.push(missing(label, 'publish_proxy_enabled', o.publishProxy, 'channel.proxy.publish'));
    if (o.subRefreshProxy !== '' && !(o.subRefreshProxy in proxies.endpoints)) problems.push(missing(label, 'sub_refresh_proxy_enabled', o.subRefreshProxy, 'channel.proxy.sub_refresh'));
  }
  const rpc: [string, string][] = [['rpc.without_namespace', proxies.rpc.withoutNamespace], ...Object.entries(proxies.rpc.namespaces).map(([n, p]): [string, string] => [`rpc namespace "${n}"`, p])];
  for (const [label, name] of rpc) {
    if (name !== '' && !(name in proxies.endpoints)) problems.push(missing(label, 'proxy_enabled', name, 'rpc.proxy'));
  }
  return problems;
}
