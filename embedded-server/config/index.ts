/** The public configuration API of the embedded server: file layout, defaults, secrets, tokens. */
export type { ClusterConfig, EngineConfig, EngineType, HttpLimits, RoutingStrategy } from './cluster-config.js';
export { ENGINE_TYPES, ROUTING_STRATEGIES } from './cluster-config.js';
export type { ConfigFile, FileChannelOptions } from './config-file.js';
export { configFileSchema, loadConfigFile, parseConfigFile } from './config-file.js';
export type { CliOverrides, FallbackSecrets, ResolvedConfig } from './resolve-config.js';
export { CONFIG_DEFAULTS, defaultClusterConfig, givenSecrets, resolveConfig, toChannelOptions } from './resolve-config.js';
export type { LoadConfigRequest, LoadedConfig } from './load-config.js';
export { loadConfig } from './load-config.js';
export type { SecretsFile, StoredSecrets } from './secrets.js';
export { configDir, generateSecret, loadOrCreateSecrets } from './secrets.js';
export type { ConnectionTokenRequest } from './tokens.js';
export { mintConnectionToken, parseTtl } from './tokens.js';
export { defaultChannelSettings, defaultNamespaces, describeNamespaces, describeOptions } from './default-namespaces.js';
export { formatDuration, parseDuration } from '../../shared/duration.js';
