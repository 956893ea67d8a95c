/**
 * What the config loader tells the user: zod issues turned into one line per problem, naming the
 * path (`channel.namespaces[0].histroy_size: unknown option (did you mean history_size?)`), and
 * warnings for the Centrifugo sections and options Switchboard accepts but does not use.
 */
import { z } from 'zod';
import type { ConfigFile } from './config-file.js';
import { closest } from './suggest.js';
import { uniWarnings } from './uni-config.js';

/** Top-level Centrifugo v6 sections we accept and ignore, with what to do instead. */
export const IGNORED_SECTIONS = {
  http_server: 'set cluster.address and cluster.port instead',
  log: 'node logs go to the console',
  broker: 'set engine.type (memory or redis) instead',
  presence_manager: 'set engine.type (memory or redis) instead',
  grpc_api: 'only the HTTP API is served',
  consumers: 'use the HTTP API to publish',
  websocket: 'set client.message_size_limit for the incoming message limit',
  sse: 'only the WebSocket transport is served',
  http_stream: 'only the WebSocket transport is served',
  webtransport: 'only the WebSocket transport is served',
  uni_grpc: 'the unidirectional gRPC transport is not served: use uni_websocket, uni_sse or uni_http_stream',
  emulation: 'only the WebSocket transport is served',
  admin: 'the Switchboard console has its own admin API (cluster.admin_port, cluster.admin_token)',
  prometheus: 'node stats are shown in the console',
  health: 'not served',
  swagger: 'not served',
  debug: 'not served',
  opentelemetry: 'not supported',
  graphite: 'not supported',
  usage_stats: 'Switchboard sends no usage stats',
  node: 'nodes are named by the supervisor',
  shutdown: 'not configurable',
  pid_file: 'not supported',
  enable_unreleased_features: 'not supported',
} as const;

/** `client` options we accept and ignore, with the reason. */
export const IGNORED_CLIENT_OPTIONS = {
  subscription_token: 'subscription tokens are verified with client.token',
  disallow_anonymous_connection_tokens: 'not supported',
  expired_sub_close_delay: 'not configurable',
  concurrency: 'not configurable',
  channel_position_check_delay: 'positioning is checked on every delivery',
  channel_position_max_time_lag: 'positioning is checked on every delivery',
  connect_include_server_time: 'not supported',
  user_id_http_header: 'not supported',
  subscribe_to_user_personal_channel: 'not supported; subscribe to a `#` user channel instead',
} as const;

/** Namespace options of Centrifugo's subscription streams, which we accept and ignore. */
export const IGNORED_CHANNEL_OPTIONS = [
  'subscribe_stream_proxy_enabled',
  'subscribe_stream_proxy_name', 'subscribe_stream_proxy_bidirectional',
] as const;

/** `http_api` options we accept and ignore. */
export const IGNORED_HTTP_API_OPTIONS = ['disabled', 'handler_prefix', 'error_mode', 'external'] as const;

/** Known Centrifugo options whose absence would change security: an error, not a warning. */
const UNSUPPORTED: Record<string, string> = {
  rsa_public_key: 'not supported: Switchboard verifies HMAC (HS256/384/512) tokens only',
  ecdsa_public_key: 'not supported: Switchboard verifies HMAC (HS256/384/512) tokens only',
  jwks_public_endpoint: 'not supported: Switchboard verifies HMAC (HS256/384/512) tokens only',
  audience_regex: 'not supported: use client.token.audience',
  issuer_regex: 'not supported: use client.token.issuer',
  user_id_claim: 'not supported: the user id is always the `sub` claim',
};

/** Centrifugo v5 flat names → where v6 (and Switchboard) expect them. */
const V5_NAMES: Record<string, string> = {
  token_hmac_secret_key: 'client.token.hmac_secret_key',
  token_audience: 'client.token.audience',
  token_issuer: 'client.token.issuer',
  api_key: 'http_api.key',
  api_insecure: 'http_api.insecure',
  client_insecure: 'client.insecure',
  allow_anonymous_connect_without_token: 'client.allow_anonymous_connect_without_token',
  allowed_origins: 'client.allowed_origins',
  ping_interval: 'client.ping_interval',
  pong_timeout: 'client.pong_timeout',
  client_channel_limit: 'client.channel_limit',
  client_user_connection_limit: 'client.user_connection_limit',
  client_queue_max_size: 'client.queue_max_size',
  client_stale_close_delay: 'client.stale_close_delay',
  client_expired_close_delay: 'client.expired_close_delay',
  websocket_message_size_limit: 'client.message_size_limit',
  namespaces: 'channel.namespaces',
  history_meta_ttl: 'channel.history_meta_ttl',
  channel_max_length: 'channel.max_length',
  channel_private_prefix: 'channel.private_prefix',
  channel_namespace_boundary: 'channel.namespace_boundary',
  channel_user_boundary: 'channel.user_boundary',
  channel_user_separator: 'channel.user_separator',
  port: 'cluster.port',
  address: 'cluster.address',
};

/** `a.b[0].c` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, seg) => {
    if (typeof seg === 'number') return `${out}[${seg}]`;
    return out === '' ? String(seg) : `${out}.${String(seg)}`;
  }, '');
}

/** The keys an object schema allows at `path` (for "did you mean"). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  for (const seg of path) {
    while (node instanceof z.ZodOptional) node = node.unwrap() as z.ZodType;
    if (node instanceof z.ZodObject && typeof seg === 'string') node = node.shape[seg] as z.ZodType | undefined;
    else if (node instanceof z.ZodArray && typeof seg === 'number') node = node.element as z.ZodType;
    else return [];
  }
  while (node instanceof z.ZodOptional) node = node.unwrap() as z.ZodType;
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unknownKey(path: readonly PropertyKey[], key: string, schema: z.ZodType, channelOptionNames: string[]): string {
  const where = formatPath([...path, key]);
  const unsupported = UNSUPPORTED[key];
  if (path.length > 0 && unsupported !== undefined) return `${where}: ${unsupported}`;
  const known = keysAt(schema, path).filter((k) => k !== '$schema');
  const guess = closest(key, known);
  const suggestion = guess === undefined ? '' : ` (did you mean ${guess}?)`;
  if (path.length > 0) return `${where}: unknown option${suggestion}`;
  const v6 = V5_NAMES[key] ?? (channelOptionNames.includes(key) ? `channel.without_namespace.${key}` : undefined);
  if (v6 !== undefined) return `${where}: unknown section — this is a Centrifugo v5 name; in the v6 layout it is ${v6}`;
  return `${where}: unknown section${suggestion || ' (expected client, channel, http_api or cluster)'}`;
}

/** One readable line per zod issue, each starting with the path it is about. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType): string[] {
  const channelOptionNames = keysAt(schema, ['channel', 'without_namespace']);
  const lines = issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => unknownKey(issue.path, k, schema, channelOptionNames));
    const where = formatPath(issue.path);
    const message = issue.code === 'invalid_type' && issue.message.endsWith('received undefined')
      ? 'is required'
      : issue.message.replace(/^Invalid input: /, '');
    return [where === '' ? message : `${where}: ${message}`];
  });
  return [...new Set(lines)];
}

const channelOptionReason = (): string => 'subscription streams are not supported';

function ignoredKeys(value: object | undefined, path: string, reasons: (key: string) => string | undefined): string[] {
  if (value === undefined) return [];
  return Object.keys(value).flatMap((key) => {
    const reason = reasons(key);
    return reason === undefined ? [] : [`${path}${key}: ignored (${reason})`];
  });
}

const lookup = (table: Record<string, string>) => (key: string): string | undefined => table[key];
const channelOptionLookup = (key: string): string | undefined =>
  ((IGNORED_CHANNEL_OPTIONS as readonly string[]).includes(key) ? channelOptionReason() : undefined);

/** Warnings for accepted-but-unused Centrifugo sections and options, in file order. */
export function collectWarnings(file: ConfigFile): string[] {
  const http = (IGNORED_HTTP_API_OPTIONS as readonly string[]);
  return [
    ...ignoredKeys(file, '', lookup(IGNORED_SECTIONS)),
    ...ignoredKeys(file.client, 'client.', lookup(IGNORED_CLIENT_OPTIONS)),
    ...ignoredKeys(file.http_api, 'http_api.', (k) => (http.includes(k) ? 'the API is served at /api on the client port' : undefined)),
    ...ignoredKeys(file.channel?.proxy, 'channel.proxy.', (k) => (k === 'subscribe_stream' ? 'subscription streams are not supported' : undefined)),
    ...proxyWarnings(file),
    ...uniWarnings(file),
    ...ignoredKeys(file.channel?.without_namespace, 'channel.without_namespace.', channelOptionLookup),
    ...(file.channel?.namespaces ?? []).flatMap((ns, i) => ignoredKeys(ns, `channel.namespaces[${i}].`, channelOptionLookup)),
  ];
}

/** GRPC-only and TLS options of proxy objects: accepted, unused (Switchboard calls backends over HTTP). */
function proxyWarnings(file: ConfigFile): string[] {
  const objects: [string, object | undefined][] = [
    ['client.proxy.connect', file.client?.proxy?.connect],
    ['client.proxy.refresh', file.client?.proxy?.refresh],
    ['client.proxy.send', file.client?.proxy?.send],
    ['channel.proxy.subscribe', file.channel?.proxy?.subscribe],
    ['channel.proxy.publish', file.channel?.proxy?.publish],
    ['channel.proxy.sub_refresh', file.channel?.proxy?.sub_refresh],
    ['rpc.proxy', file.rpc?.proxy],
    ...(file.proxies ?? []).map((p, i): [string, object] => [`proxies[${i}]`, p]),
  ];
  return objects.flatMap(([path, o]) => [
    ...ignoredKeys(o, `${path}.`, (k) => (k === 'grpc' || k === 'grpc_metadata' ? 'proxies are called over HTTP only' : undefined)),
    ...ignoredKeys((o as { http?: object } | undefined)?.http, `${path}.http.`, (k) => (k === 'tls' ? 'the default TLS settings of Node are used' : undefined)),
  ]);
}
