/**
 * File + flags + secrets → the ClusterConfig `startCluster` runs with. Precedence: a flag beats the
 * file, the file beats the defaults; secrets come from a flag, else the file, else the fallback
 * (the stored secrets of secrets.ts). Validation happens here once, with messages naming what to change.
 */
import type { ChannelOptions, ChannelSettings, ClientSettings } from '../../shared/channels/channel-options.js';
import { DEFAULT_CHANNEL_OPTIONS } from '../../shared/channels/channel-options.js';
import type { ClientCommandLimits } from '../../shared/protocol/client-limits.js';
import { CLIENT_COMMAND_LIMIT_DEFAULTS } from '../../shared/protocol/client-limits.js';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { ClusterConfig, EngineConfig, EngineType, HttpLimits, RoutingStrategy } from './cluster-config.js';
import type { ConfigFile, FileChannelOptions } from './config-file.js';
import { parseConfigFile } from './config-file.js';
import { checkConfig, checkOverrides } from './check-config.js';
import { buildProxies, channelProxies } from './proxy-config.js';
import { defaultChannelSettings, namespaceMap } from './default-namespaces.js';
import { generateSecret, randomSupervisorName } from './secrets.js';
import { buildUniTransports } from './uni-config.js';

/** Values given on the command line; each one overrides the file. */
export interface CliOverrides {
  nodes?: number;
  port?: number;
  adminPort?: number;
  host?: string;
  /** --admin-host: where the admin port binds (default loopback, whatever --host says). */
  adminHost?: string;
  /** --allowed-hosts: more Host names both ports answer for. */
  allowedHosts?: string[];
  tokenSecret?: string;
  apiKey?: string;
  strategy?: RoutingStrategy;
  /** client.insecure + http_api.insecure, for quick local experiments. */
  insecure?: boolean;
  /** --engine: engine.type. */
  engine?: EngineType;
  /** --redis-url: engine.redis.address; implies --engine redis. */
  redisUrl?: string;
}

/** Used when neither a flag nor the file gives a secret; adminToken is generated when absent too. */
export interface FallbackSecrets {
  tokenSecret: string;
  apiKey: string;
  adminToken?: string;
}

export interface ResolvedConfig {
  config: ClusterConfig;
  /** Ignored Centrifugo sections and options, one readable line each. */
  warnings: string[];
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** Switchboard's defaults (Centrifugo's where the option is Centrifugo's). */
export const CONFIG_DEFAULTS = {
  nodes: 3,
  host: '127.0.0.1',
  adminHost: '127.0.0.1',
  port: 8000,
  adminPort: 8001,
  strategy: 'least-connections',
  statsIntervalMs: SECOND,
  autoRestart: true,
  restartBackoffMinMs: 250,
  restartBackoffMaxMs: 10 * SECOND,
  standbyNodes: 0,
  nodeUnresponsiveTimeoutMs: 10 * SECOND,
  nodeQueueMaxSize: 32 * 1024 * 1024,
  pingIntervalMs: 25 * SECOND,
  presenceUpdateIntervalMs: 25 * SECOND,
  pongTimeoutMs: 8 * SECOND,
  channelLimit: 128,
  maxMessageSize: 65_536,
  queueMaxSize: 1_048_576,
  staleCloseDelayMs: 10 * SECOND,
  expiredCloseDelayMs: 25 * SECOND,
  publicationLimit: 300,
  historyMetaTtlMs: 720 * HOUR,
  idleChannelLimit: 100_000,
  httpHeadTimeoutMs: 10 * SECOND,
  httpHeadMaxBytes: 16 * 1024,
  httpBodyTimeoutMs: 30 * SECOND,
  httpIdleTimeoutMs: 5 * SECOND,
  // Above a 10,000-client reconnect burst (sockets wait in the hand-off queues meanwhile), below the fd limit.
  httpMaxPendingConnections: 16_384,
  // One address (a slowloris) fills its share, not the whole cap: four such addresses to lock others out.
  httpMaxPendingConnectionsPerIpShare: 0.25,
  adminRequestTimeoutMs: 10 * SECOND,
  apiMaxBodyBytes: 1024 * 1024,
  connectionLimit: 0,
  connectionRateLimit: 0,
  connectionRateLimitPerIp: 0,
  redisAddress: 'redis://127.0.0.1:6379',
  redisPrefix: 'switchboard',
} as const satisfies Record<string, number | string | boolean>;

/**
 * Browser origins allowed when the file names none: pages served from this machine (a dev server on
 * any port) may connect; other sites may not. Tools without an Origin header always may.
 */
export const LOCAL_ORIGINS = ['http://localhost:*', 'https://localhost:*', 'http://127.0.0.1:*', 'https://127.0.0.1:*', 'http://[::1]:*'] as const;

const given = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** The secrets the flags and the file give (undefined where the fallback would be used). */
export function givenSecrets(file: ConfigFile, overrides: CliOverrides): { tokenSecret?: string; apiKey?: string } {
  return {
    tokenSecret: given(overrides.tokenSecret) ?? given(file.client?.token?.hmac_secret_key),
    apiKey: given(overrides.apiKey) ?? given(file.http_api?.key),
  };
}

/** Validates the file (already JSON-parsed; undefined = no file), applies flags and defaults. */
export function resolveConfig(file: unknown, overrides: CliOverrides, secrets: FallbackSecrets): Result<ResolvedConfig, string[]> {
  const overrideErrors = checkOverrides(overrides);
  const parsed = parseConfigFile(file);
  if (!parsed.ok) return err([...overrideErrors, ...parsed.error]);
  if (overrideErrors.length > 0) return err(overrideErrors);
  const conflicts = engineFlagConflicts(parsed.value.file, overrides);
  if (conflicts.length > 0) return err(conflicts);
  const config = buildConfig(parsed.value.file, overrides, secrets);
  const problems = checkConfig(config);
  if (problems.length > 0) return err(problems);
  return ok({ config, warnings: parsed.value.warnings });
}

function buildConfig(file: ConfigFile, overrides: CliOverrides, secrets: FallbackSecrets): ClusterConfig {
  const cluster = file.cluster ?? {};
  const fromFlagsOrFile = givenSecrets(file, overrides);
  const insecure = overrides.insecure === true;
  return {
    nodes: overrides.nodes ?? cluster.nodes ?? CONFIG_DEFAULTS.nodes,
    host: overrides.host ?? cluster.address ?? CONFIG_DEFAULTS.host,
    adminHost: overrides.adminHost ?? cluster.admin_address ?? CONFIG_DEFAULTS.adminHost,
    allowedHosts: overrides.allowedHosts ?? cluster.allowed_hosts ?? [],
    adminAllowedOrigins: cluster.admin_allowed_origins ?? [],
    http: buildHttpLimits(cluster.http ?? {}, file.http_api?.max_body_size),
    admission: {
      connectionLimit: file.client?.connection_limit ?? CONFIG_DEFAULTS.connectionLimit,
      connectionRateLimit: file.client?.connection_rate_limit ?? CONFIG_DEFAULTS.connectionRateLimit,
      connectionRateLimitPerIp: file.client?.connection_rate_limit_per_ip ?? CONFIG_DEFAULTS.connectionRateLimitPerIp,
    },
    port: overrides.port ?? cluster.port ?? CONFIG_DEFAULTS.port,
    adminPort: overrides.adminPort ?? cluster.admin_port ?? CONFIG_DEFAULTS.adminPort,
    adminToken: given(cluster.admin_token) ?? given(secrets.adminToken) ?? generateSecret(),
    strategy: overrides.strategy ?? cluster.strategy ?? CONFIG_DEFAULTS.strategy,
    apiKey: fromFlagsOrFile.apiKey ?? secrets.apiKey,
    apiInsecure: insecure || (file.http_api?.insecure ?? false),
    statsIntervalMs: cluster.stats_interval ?? CONFIG_DEFAULTS.statsIntervalMs,
    autoRestart: cluster.auto_restart ?? CONFIG_DEFAULTS.autoRestart,
    restartBackoffMinMs: cluster.restart_backoff_min ?? CONFIG_DEFAULTS.restartBackoffMinMs,
    restartBackoffMaxMs: cluster.restart_backoff_max ?? CONFIG_DEFAULTS.restartBackoffMaxMs,
    standbyNodes: cluster.standby_nodes ?? CONFIG_DEFAULTS.standbyNodes,
    // Unset, it stays past the unhealthy mark (3.5 reports) however slow the reports are.
    nodeUnresponsiveTimeoutMs: cluster.node_unresponsive_timeout
      ?? Math.max(CONFIG_DEFAULTS.nodeUnresponsiveTimeoutMs, 4 * (cluster.stats_interval ?? CONFIG_DEFAULTS.statsIntervalMs)),
    nodeQueueMaxSize: cluster.node_queue_max_size ?? CONFIG_DEFAULTS.nodeQueueMaxSize,
    personalNamespace: cluster.personal_namespace ?? 'personal',
    idleChannelLimit: cluster.idle_channel_limit ?? CONFIG_DEFAULTS.idleChannelLimit,
    engine: buildEngine(file.engine ?? {}, overrides),
    name: cluster.name ?? randomSupervisorName(),
    client: { ...buildClient(file.client ?? {}, fromFlagsOrFile.tokenSecret ?? secrets.tokenSecret, insecure), uni: buildUniTransports(file) },
    channels: file.channel === undefined ? defaultChannelSettings() : buildChannels(file.channel),
    proxies: buildProxies(file),
  };
}

function buildHttpLimits(h: NonNullable<NonNullable<ConfigFile['cluster']>['http']>, apiMaxBody: number | undefined): HttpLimits {
  const d = CONFIG_DEFAULTS;
  const maxPendingConnections = h.max_pending_connections ?? d.httpMaxPendingConnections;
  return {
    headTimeoutMs: h.head_timeout ?? d.httpHeadTimeoutMs,
    headMaxBytes: h.head_max_size ?? d.httpHeadMaxBytes,
    bodyTimeoutMs: h.body_timeout ?? d.httpBodyTimeoutMs,
    idleTimeoutMs: h.idle_timeout ?? d.httpIdleTimeoutMs,
    maxPendingConnections,
    maxPendingConnectionsPerIp: h.max_pending_connections_per_ip
      ?? Math.max(1, Math.floor(maxPendingConnections * d.httpMaxPendingConnectionsPerIpShare)),
    adminRequestTimeoutMs: d.adminRequestTimeoutMs,
    apiMaxBodyBytes: apiMaxBody ?? d.apiMaxBodyBytes,
  };
}

function buildEngine(e: NonNullable<ConfigFile['engine']>, overrides: CliOverrides): EngineConfig {
  return {
    // --redis-url alone means Redis: a URL given on the command line is never silently unused.
    type: overrides.engine ?? (overrides.redisUrl === undefined ? undefined : 'redis') ?? e.type ?? 'memory',
    redis: {
      address: overrides.redisUrl ?? e.redis?.address ?? CONFIG_DEFAULTS.redisAddress,
      prefix: e.redis?.prefix ?? CONFIG_DEFAULTS.redisPrefix,
      ...(e.redis?.presence_ttl === undefined ? {} : { presenceTtlMs: e.redis.presence_ttl }),
      ...(e.redis?.user === undefined ? {} : { user: e.redis.user }),
      ...(e.redis?.password === undefined ? {} : { password: e.redis.password }),
      ...(e.redis?.db === undefined ? {} : { db: e.redis.db }),
      ...(e.redis?.sentinel_address === undefined || e.redis.sentinel_master_name === undefined ? {} : {
        sentinel: {
          addresses: e.redis.sentinel_address,
          masterName: e.redis.sentinel_master_name,
          ...(e.redis.sentinel_user === undefined ? {} : { user: e.redis.sentinel_user }),
          ...(e.redis.sentinel_password === undefined ? {} : { password: e.redis.sentinel_password }),
        },
      }),
    },
  };
}

/** --redis-url names one Redis; a file that finds the master through Sentinel cannot also take it. */
function engineFlagConflicts(file: ConfigFile, overrides: CliOverrides): string[] {
  if (overrides.redisUrl === undefined || file.engine?.redis?.sentinel_address === undefined) return [];
  return ['--redis-url names one Redis, but the config file finds the master through engine.redis.sentinel_address: drop the flag, or the sentinel settings'];
}

function buildClient(c: NonNullable<ConfigFile['client']>, tokenSecret: string, insecure: boolean): Omit<ClientSettings, 'uni'> & ClientCommandLimits {
  const d = CONFIG_DEFAULTS;
  return {
    tokenHmacSecret: tokenSecret,
    tokenAudience: c.token?.audience ?? '',
    tokenIssuer: c.token?.issuer ?? '',
    insecure: insecure || (c.insecure ?? false),
    allowAnonymousConnectWithoutToken: c.allow_anonymous_connect_without_token ?? false,
    insecureSkipTokenSignatureVerify: c.insecure_skip_token_signature_verify ?? false,
    allowedOrigins: c.allowed_origins ?? [...LOCAL_ORIGINS],
    pingIntervalMs: c.ping_interval ?? d.pingIntervalMs,
    presenceUpdateIntervalMs: c.presence_update_interval ?? d.presenceUpdateIntervalMs,
    pongTimeoutMs: c.pong_timeout ?? d.pongTimeoutMs,
    channelLimit: c.channel_limit ?? d.channelLimit,
    userConnectionLimit: c.user_connection_limit ?? 0,
    maxMessageSize: c.message_size_limit ?? d.maxMessageSize,
    queueMaxSize: c.queue_max_size ?? d.queueMaxSize,
    staleCloseDelayMs: c.stale_close_delay ?? d.staleCloseDelayMs,
    expiredCloseDelayMs: c.expired_close_delay ?? d.expiredCloseDelayMs,
    recoveryMaxPublicationLimit: c.recovery_max_publication_limit ?? d.publicationLimit,
    historyMaxPublicationLimit: c.history_max_publication_limit ?? d.publicationLimit,
    commandRateLimit: c.command_rate_limit ?? CLIENT_COMMAND_LIMIT_DEFAULTS.commandRateLimit,
    errorRateLimit: c.error_rate_limit ?? CLIENT_COMMAND_LIMIT_DEFAULTS.errorRateLimit,
    frameCommandLimit: c.frame_command_limit ?? CLIENT_COMMAND_LIMIT_DEFAULTS.frameCommandLimit,
    methodRateLimit: methodRateLimit(c.method_rate_limit ?? {}),
  };
}

function methodRateLimit(m: NonNullable<NonNullable<ConfigFile['client']>['method_rate_limit']>): ClientCommandLimits['methodRateLimit'] {
  const d = CLIENT_COMMAND_LIMIT_DEFAULTS.methodRateLimit;
  return {
    publish: m.publish ?? d.publish,
    subscribe: m.subscribe ?? d.subscribe,
    presence: m.presence ?? d.presence,
    history: m.history ?? d.history,
  };
}

function buildChannels(c: NonNullable<ConfigFile['channel']>): ChannelSettings {
  const base: ChannelOptions = { ...DEFAULT_CHANNEL_OPTIONS, historyMetaTtlMs: c.history_meta_ttl ?? CONFIG_DEFAULTS.historyMetaTtlMs };
  const defaults = defaultChannelSettings();
  return {
    withoutNamespace: toChannelOptions(c.without_namespace ?? {}, base),
    namespaces: namespaceMap((c.namespaces ?? []).map((ns) => [ns.name, toChannelOptions(ns, base)] as const)),
    privatePrefix: c.private_prefix ?? defaults.privatePrefix,
    namespaceBoundary: c.namespace_boundary ?? defaults.namespaceBoundary,
    userBoundary: c.user_boundary ?? defaults.userBoundary,
    userSeparator: c.user_separator ?? defaults.userSeparator,
    maxLength: c.max_length ?? defaults.maxLength,
  };
}

/** File options (snake_case, every key optional) over a base → the full camelCase ChannelOptions. */
export function toChannelOptions(o: FileChannelOptions, base: ChannelOptions): ChannelOptions {
  return {
    presence: o.presence ?? base.presence,
    joinLeave: o.join_leave ?? base.joinLeave,
    forcePushJoinLeave: o.force_push_join_leave ?? base.forcePushJoinLeave,
    historySize: o.history_size ?? base.historySize,
    historyTtlMs: o.history_ttl ?? base.historyTtlMs,
    historyMetaTtlMs: o.history_meta_ttl ?? base.historyMetaTtlMs,
    forcePositioning: o.force_positioning ?? base.forcePositioning,
    allowPositioning: o.allow_positioning ?? base.allowPositioning,
    forceRecovery: o.force_recovery ?? base.forceRecovery,
    allowRecovery: o.allow_recovery ?? base.allowRecovery,
    allowSubscribeForClient: o.allow_subscribe_for_client ?? base.allowSubscribeForClient,
    allowSubscribeForAnonymous: o.allow_subscribe_for_anonymous ?? base.allowSubscribeForAnonymous,
    allowPublishForClient: o.allow_publish_for_client ?? base.allowPublishForClient,
    allowPublishForSubscriber: o.allow_publish_for_subscriber ?? base.allowPublishForSubscriber,
    allowPublishForAnonymous: o.allow_publish_for_anonymous ?? base.allowPublishForAnonymous,
    allowPresenceForClient: o.allow_presence_for_client ?? base.allowPresenceForClient,
    allowPresenceForSubscriber: o.allow_presence_for_subscriber ?? base.allowPresenceForSubscriber,
    allowPresenceForAnonymous: o.allow_presence_for_anonymous ?? base.allowPresenceForAnonymous,
    allowHistoryForClient: o.allow_history_for_client ?? base.allowHistoryForClient,
    allowHistoryForSubscriber: o.allow_history_for_subscriber ?? base.allowHistoryForSubscriber,
    allowHistoryForAnonymous: o.allow_history_for_anonymous ?? base.allowHistoryForAnonymous,
    allowUserLimitedChannels: o.allow_user_limited_channels ?? base.allowUserLimitedChannels,
    channelRegex: o.channel_regex ?? base.channelRegex,
    ...channelProxies(o),
    publicationDataFormat: o.publication_data_format ?? base.publicationDataFormat,
    publishRateLimit: o.publish_rate_limit ?? base.publishRateLimit,
    allowTagsFilter: o.allow_tags_filter ?? base.allowTagsFilter,
    allowDelta: o.allowed_delta_types === undefined ? base.allowDelta : o.allowed_delta_types.includes('fossil'),
    deltaPublish: o.delta_publish ?? base.deltaPublish,
  };
}

/**
 * A complete config with the defaults, the default namespaces and fresh random secrets, listening
 * on port 0 and admin port 0 (the OS picks free ones) — for tests and embedding. Shallow overrides.
 */
export function defaultClusterConfig(overrides: Partial<ClusterConfig> = {}): ClusterConfig {
  const resolved = resolveConfig(undefined, { port: 0, adminPort: 0 }, { tokenSecret: generateSecret(), apiKey: generateSecret() });
  if (!resolved.ok) throw new Error(`default config is invalid: ${resolved.error.join('; ')}`);
  return { ...resolved.value.config, ...overrides };
}
