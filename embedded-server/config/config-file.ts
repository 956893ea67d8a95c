/**
 * The config FILE layout: Centrifugo v6's `client`, `channel` and `http_api` sections (PROTOCOL.md §9)
 * plus our own `cluster` section. Every key is optional here; defaults are applied by resolve-config.ts.
 * Objects are strict, so a misspelt option fails with its path; known Centrifugo options and sections
 * that Switchboard does not implement are accepted and reported as warnings (config-issues.ts).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import { ENGINE_TYPES, REDIS_PREFIX, REDIS_PREFIX_RULE, ROUTING_STRATEGIES, parseSentinelAddress, redisAddressProblem } from './cluster-config.js';
import { parseDuration } from '../../shared/duration.js';
import { channelProxyOptionsShape, channelProxySection, clientProxySection, proxiesSection, rpcSection } from './proxy-config.js';
import { uniDisconnectSection, uniHttpSection, uniWebsocketSection } from './uni-config.js';
import {
  IGNORED_CHANNEL_OPTIONS, IGNORED_CLIENT_OPTIONS, IGNORED_HTTP_API_OPTIONS, IGNORED_SECTIONS, collectWarnings, formatIssues,
} from './config-issues.js';

/** A Centrifugo duration ("25s", "1h30m") or a number of seconds → milliseconds. */
const duration = () => z.union([z.string(), z.number()], { error: 'expected a duration like "25s" or "5m"' })
  .transform((value, ctx) => {
    const parsed = parseDuration(value);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  });
const positiveDuration = () => duration().refine((ms) => ms > 0, 'must be greater than 0');
/** `cluster.name`: it prefixes node incarnations (`<name>/node-1#0`), so no `/` or `#`. */
export const SUPERVISOR_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const SUPERVISOR_NAME_RULE = 'must be 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit';
const count = (min: number) => z.number().int(`expected a whole number`).min(min, `must be at least ${min}`);
const port = () => count(0).max(65535, 'must be at most 65535');
const nonEmpty = () => z.string().min(1, 'must not be empty');

const DATA_FORMATS = ['', 'json', 'json_object'] as const;
type DataFormat = (typeof DATA_FORMATS)[number];
const isDataFormat = (v: string): v is DataFormat => (DATA_FORMATS as readonly string[]).includes(v);

const publicationDataFormat = z.string().transform((value, ctx): DataFormat => {
  if (isDataFormat(value)) return value;
  const message = value === 'binary'
    ? '"binary" is not supported: Switchboard speaks the JSON protocol only; use "", "json" or "json_object"'
    : `unknown format "${value}": use "", "json" or "json_object"`;
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
});

const forceRecoveryMode = z.string().refine((v) => v === 'stream', {
  message: 'only "stream" recovery is supported ("cache" mode is not); remove the option or set "stream"',
});

const channelRegex = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `does not compile: ${(e as Error).message}` });
  }
});

/** Accepts Centrifugo keys we do not implement; collectWarnings reports them. */
function ignored<const K extends string>(keys: readonly K[]): { [P in K]: z.ZodOptional<z.ZodUnknown> } {
  return Object.fromEntries(keys.map((k) => [k, z.unknown().optional()])) as { [P in K]: z.ZodOptional<z.ZodUnknown> };
}

/** PROTOCOL.md §9.2 options, snake_case as in Centrifugo, plus our `publish_rate_limit`. */
const channelOptionsShape = {
  presence: z.boolean().optional(),
  join_leave: z.boolean().optional(),
  force_push_join_leave: z.boolean().optional(),
  history_size: count(0).optional(),
  history_ttl: duration().optional(),
  history_meta_ttl: positiveDuration().optional(),
  force_positioning: z.boolean().optional(),
  allow_positioning: z.boolean().optional(),
  force_recovery: z.boolean().optional(),
  allow_recovery: z.boolean().optional(),
  force_recovery_mode: forceRecoveryMode.optional(),
  allow_subscribe_for_client: z.boolean().optional(),
  allow_subscribe_for_anonymous: z.boolean().optional(),
  allow_publish_for_client: z.boolean().optional(),
  allow_publish_for_subscriber: z.boolean().optional(),
  allow_publish_for_anonymous: z.boolean().optional(),
  allow_presence_for_client: z.boolean().optional(),
  allow_presence_for_subscriber: z.boolean().optional(),
  allow_presence_for_anonymous: z.boolean().optional(),
  allow_history_for_client: z.boolean().optional(),
  allow_history_for_subscriber: z.boolean().optional(),
  allow_history_for_anonymous: z.boolean().optional(),
  allow_user_limited_channels: z.boolean().optional(),
  channel_regex: channelRegex.optional(),
  ...channelProxyOptionsShape,
  publication_data_format: publicationDataFormat.optional(),
  publish_rate_limit: z.number().min(0, 'must be 0 (unlimited) or more').optional(),
  allow_tags_filter: z.boolean().optional(),
  allowed_delta_types: z.array(z.string().refine((t) => t === 'fossil', 'only "fossil" deltas exist')).optional(),
  delta_publish: z.boolean().optional(),
  ...ignored(IGNORED_CHANNEL_OPTIONS),
};

interface HistoryNeeds {
  history_size?: number;
  history_ttl?: number;
  force_recovery?: boolean;
  allow_recovery?: boolean;
  force_positioning?: boolean;
  allow_positioning?: boolean;
}

/** Centrifugo's rule: recovery and positioning work on history, so they need size > 0 and ttl > 0. */
function requireHistory(options: HistoryNeeds, ctx: z.RefinementCtx): void {
  if ((options.history_size ?? 0) > 0 && (options.history_ttl ?? 0) > 0) return;
  for (const key of ['force_recovery', 'allow_recovery', 'force_positioning', 'allow_positioning'] as const) {
    if (options[key] !== true) continue;
    ctx.addIssue({ code: 'custom', path: [key], message: 'needs history: set history_size and history_ttl above 0' });
  }
}

const channelOptions = z.strictObject(channelOptionsShape).superRefine(requireHistory);

const namespace = z.strictObject({
  name: z.string().regex(/^[-a-zA-Z0-9_]{2,}$/, 'namespace names need 2+ characters of a-z A-Z 0-9 _ -'),
  ...channelOptionsShape,
}).superRefine(requireHistory);

const channelSection = z.strictObject({
  without_namespace: channelOptions.optional(),
  namespaces: z.array(namespace).optional(),
  history_meta_ttl: positiveDuration().optional(),
  private_prefix: nonEmpty().optional(),
  namespace_boundary: nonEmpty().optional(),
  user_boundary: nonEmpty().optional(),
  user_separator: nonEmpty().optional(),
  max_length: count(1).optional(),
  proxy: channelProxySection.optional(),
}).superRefine((channel, ctx) => {
  const seen = new Map<string, number>();
  channel.namespaces?.forEach((ns, index) => {
    const first = seen.get(ns.name);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['namespaces', index, 'name'], message: `duplicate namespace "${ns.name}" (also namespaces[${first}])` });
    }
    seen.set(ns.name, first ?? index);
  });
});

const clientSection = z.strictObject({
  token: z.strictObject({
    hmac_secret_key: z.string().optional(),
    audience: z.string().optional(),
    issuer: z.string().optional(),
  }).optional(),
  insecure: z.boolean().optional(),
  allow_anonymous_connect_without_token: z.boolean().optional(),
  insecure_skip_token_signature_verify: z.boolean().optional(),
  allowed_origins: z.array(z.string()).optional(),
  ping_interval: positiveDuration().optional(),
  // Entries live 60 s after a refresh (the engine's presence TTL): a longer interval would let them lapse.
  presence_update_interval: positiveDuration().refine((ms) => ms < 60_000, 'must be below 60s, the presence TTL, or entries expire between refreshes').optional(),
  pong_timeout: positiveDuration().optional(),
  channel_limit: count(1).optional(),
  user_connection_limit: count(0).optional(),
  connection_limit: count(0).optional(),
  connection_rate_limit: count(0).optional(),
  connection_rate_limit_per_ip: count(0).optional(),
  method_rate_limit: z.strictObject({
    publish: count(0).optional(),
    subscribe: count(0).optional(),
    presence: count(0).optional(),
    history: count(0).optional(),
  }).optional(),
  message_size_limit: count(1).optional(),
  queue_max_size: count(1).optional(),
  command_rate_limit: count(0).optional(),
  error_rate_limit: count(0).optional(),
  frame_command_limit: count(1).optional(),
  stale_close_delay: positiveDuration().optional(),
  expired_close_delay: duration().optional(),
  recovery_max_publication_limit: count(1).optional(),
  history_max_publication_limit: count(1).optional(),
  proxy: clientProxySection.optional(),
  connect_code_to_unidirectional_disconnect: uniDisconnectSection.optional(),
  ...ignored(Object.keys(IGNORED_CLIENT_OPTIONS) as (keyof typeof IGNORED_CLIENT_OPTIONS)[]),
});

const httpApiSection = z.strictObject({
  key: z.string().optional(),
  insecure: z.boolean().optional(),
  max_body_size: count(1024).optional(),
  ...ignored(IGNORED_HTTP_API_OPTIONS),
});

const clusterSection = z.strictObject({
  nodes: count(1).max(64, 'must be at most 64').optional(),
  address: nonEmpty().optional(),
  admin_address: nonEmpty().optional(),
  allowed_hosts: z.array(nonEmpty()).optional(),
  admin_allowed_origins: z.array(nonEmpty()).optional(),
  port: port().optional(),
  admin_port: port().optional(),
  admin_token: z.string().optional(),
  strategy: z.enum(ROUTING_STRATEGIES, { error: `expected one of ${ROUTING_STRATEGIES.join(', ')}` }).optional(),
  stats_interval: positiveDuration().optional(),
  auto_restart: z.boolean().optional(),
  restart_backoff_min: positiveDuration().optional(),
  restart_backoff_max: positiveDuration().optional(),
  standby_nodes: count(0).max(8, 'must be at most 8').optional(),
  node_unresponsive_timeout: positiveDuration().optional(),
  node_queue_max_size: count(65_536).optional(),
  personal_namespace: z.string().optional(),
  idle_channel_limit: count(1).optional(),
  name: z.string().regex(SUPERVISOR_NAME, SUPERVISOR_NAME_RULE).optional(),
  http: z.strictObject({
    head_timeout: positiveDuration().optional(),
    head_max_size: count(1024).max(1_048_576, 'must be at most 1048576').optional(),
    body_timeout: positiveDuration().optional(),
    idle_timeout: positiveDuration().optional(),
    max_pending_connections: count(1).optional(),
    max_pending_connections_per_ip: count(1).optional(),
  }).optional(),
});

/** One Redis URL, as a string or (Centrifugo's form) a list of one. */
const redisAddress = z.union([z.string(), z.array(z.string())], { error: 'expected "redis://host:port" or a list of one' })
  .transform((value, ctx) => {
    const list = Array.isArray(value) ? value : [value];
    const problem = list.length === 1
      ? redisAddressProblem(list[0]!)
      : 'one address only: sharding over several Redis servers is not supported';
    if (problem === undefined) return list[0]!;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });

/** Sentinels as `host:port` strings, one or a list (Centrifugo's `sentinel_address`). */
const sentinelAddresses = z.union([z.string(), z.array(z.string())], { error: 'expected "host:port" or a list of them' })
  .transform((value, ctx) => {
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'expected at least one sentinel as "host:port"' });
      return z.NEVER;
    }
    const parsed = list.map(parseSentinelAddress);
    for (const p of parsed) if ('problem' in p) ctx.addIssue({ code: 'custom', message: p.problem });
    return parsed.flatMap((p) => ('problem' in p ? [] : [p]));
  });

/** `engine.redis`: one Redis by `address`, or a master found through Sentinel; Redis Cluster is refused. */
const redisSection = z.strictObject({
  address: redisAddress.optional(),
  prefix: z.string().regex(REDIS_PREFIX, REDIS_PREFIX_RULE).optional(),
  presence_ttl: positiveDuration().optional(),
  user: z.string().min(1, 'must not be empty').optional(),
  password: z.string().min(1, 'must not be empty').optional(),
  db: count(0).optional(),
  sentinel_address: sentinelAddresses.optional(),
  sentinel_master_name: z.string().min(1, 'must not be empty').optional(),
  sentinel_user: z.string().min(1, 'must not be empty').optional(),
  sentinel_password: z.string().min(1, 'must not be empty').optional(),
  // Accepted by the schema only to answer it with what is missing (below), not "unknown option".
  cluster_address: z.unknown().optional(),
}).superRefine((r, ctx) => {
  const issue = (key: string, message: string): void => ctx.addIssue({ code: 'custom', path: [key], message });
  if (r.cluster_address !== undefined) {
    issue('cluster_address', 'Redis Cluster is not supported yet (issue 10): use address for one Redis, or sentinel_address with sentinel_master_name');
  }
  const sentinel = r.sentinel_address !== undefined;
  if (sentinel && r.sentinel_master_name === undefined) {
    issue('sentinel_address', 'needs sentinel_master_name: the master group the sentinels watch (their "sentinel monitor <name> …" line)');
  }
  if (!sentinel) {
    for (const key of ['sentinel_master_name', 'sentinel_user', 'sentinel_password'] as const) {
      if (r[key] !== undefined) issue(key, 'needs sentinel_address: the sentinels to ask, as "host:port"');
    }
  }
  if (sentinel && r.address !== undefined) {
    issue('address', 'set either address or sentinel_address, not both: with Sentinel the master\'s address comes from the sentinels');
  }
  const url = typeof r.address === 'string' && URL.canParse(r.address) ? new URL(r.address) : undefined;
  if (url) {
    // The URL's own credentials and database would silently win over the fields.
    if (r.user !== undefined && url.username !== '') issue('user', 'the address URL names a user already: give it in one place');
    if (r.password !== undefined && url.password !== '') issue('password', 'the address URL carries a password already: give it in one place');
    if (r.db !== undefined && url.pathname.length > 1) issue('db', 'the address URL names a database already: give it in one place');
  }
});

/** Centrifugo v6's `engine` section: the in-process engine or one Redis (address as a string or a one-item list). */
const engineSection = z.strictObject({
  type: z.enum(ENGINE_TYPES, { error: `expected one of ${ENGINE_TYPES.join(', ')}` }).optional(),
  redis: redisSection.optional(),
});

/** The whole file. Centrifugo sections we do not use are accepted (and warned about). */
export const configFileSchema = z.strictObject({
  $schema: z.string().optional(),
  client: clientSection.optional(),
  channel: channelSection.optional(),
  http_api: httpApiSection.optional(),
  cluster: clusterSection.optional(),
  engine: engineSection.optional(),
  rpc: rpcSection.optional(),
  proxies: proxiesSection.optional(),
  uni_websocket: uniWebsocketSection.optional(),
  uni_sse: uniHttpSection.optional(),
  uni_http_stream: uniHttpSection.optional(),
  ...ignored(Object.keys(IGNORED_SECTIONS) as (keyof typeof IGNORED_SECTIONS)[]),
}, { error: (issue) => (issue.code === 'invalid_type' ? 'the config file must hold a JSON object' : undefined) });

/** The validated file, durations already in milliseconds. */
export type ConfigFile = z.output<typeof configFileSchema>;
/** Options of one namespace (or `without_namespace`) as written in the file. */
export type FileChannelOptions = z.output<typeof channelOptions>;

/** Validates a parsed config file; errors and warnings are readable lines naming the path. */
export function parseConfigFile(raw: unknown): Result<{ file: ConfigFile; warnings: string[] }, string[]> {
  const parsed = configFileSchema.safeParse(raw ?? {});
  if (!parsed.success) return err(formatIssues(parsed.error.issues, configFileSchema));
  return ok({ file: parsed.data, warnings: collectWarnings(parsed.data) });
}

/** Reads and JSON-parses a config file (validation is parseConfigFile's job). */
export function loadConfigFile(path: string): Result<unknown, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return err(code === 'ENOENT' ? `config file ${path} does not exist` : `cannot read config file ${path}: ${(e as Error).message}`);
  }
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (e) {
    return err(`config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}
