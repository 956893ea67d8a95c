/** Rules that span several values (and flag ranges), checked after the file, flags and defaults merge. */
import type { ChannelOptions } from '../../shared/channels/channel-options.js';
import type { ClusterConfig } from './cluster-config.js';
import { ENGINE_TYPES, ROUTING_STRATEGIES, redisAddressProblem } from './cluster-config.js';
import { formatDuration } from '../../shared/duration.js';
import type { CliOverrides } from './resolve-config.js';
import { checkProxyReferences } from './proxy-config.js';

const isWhole = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;

/** Range checks of command-line values, each message naming its flag. */
export function checkOverrides(o: CliOverrides): string[] {
  const problems: string[] = [];
  const range = (flag: string, value: number | undefined, min: number, max: number): void => {
    if (value !== undefined && !isWhole(value, min, max)) problems.push(`${flag} must be a whole number from ${min} to ${max} (got ${value})`);
  };
  range('--nodes', o.nodes, 1, 64);
  range('--port', o.port, 0, 65535);
  range('--admin-port', o.adminPort, 0, 65535);
  if (o.host === '') problems.push('--host must not be empty');
  if (o.adminHost === '') problems.push('--admin-host must not be empty');
  if (o.allowedHosts?.some((h) => h === '')) problems.push('--allowed-hosts must not hold an empty name');
  if (o.tokenSecret === '') problems.push('--token-secret must not be empty');
  if (o.apiKey === '') problems.push('--api-key must not be empty');
  if (o.strategy !== undefined && !(ROUTING_STRATEGIES as readonly string[]).includes(o.strategy)) {
    problems.push(`--strategy must be one of ${ROUTING_STRATEGIES.join(', ')} (got ${o.strategy})`);
  }
  if (o.engine !== undefined && !(ENGINE_TYPES as readonly string[]).includes(o.engine)) {
    problems.push(`--engine must be one of ${ENGINE_TYPES.join(', ')} (got ${o.engine})`);
  }
  const redisProblem = o.redisUrl === undefined ? undefined : redisAddressProblem(o.redisUrl);
  if (redisProblem) problems.push(`--redis-url: ${redisProblem}`);
  if (o.redisUrl !== undefined && o.engine === 'memory') problems.push('--redis-url needs --engine redis (it is memory)');
  return problems;
}

function checkNamespace(label: string, o: ChannelOptions): string[] {
  if (o.historyTtlMs <= o.historyMetaTtlMs) return [];
  return [`${label}: history_ttl (${formatDuration(o.historyTtlMs)}) must not exceed history_meta_ttl (${formatDuration(o.historyMetaTtlMs)})`];
}

/** Cross-field rules of the merged config; empty when it is fine. */
export function checkConfig(c: ClusterConfig): string[] {
  const problems: string[] = [];
  if (c.client.pongTimeoutMs >= c.client.pingIntervalMs) {
    problems.push(`client.pong_timeout (${formatDuration(c.client.pongTimeoutMs)}) must be shorter than client.ping_interval (${formatDuration(c.client.pingIntervalMs)})`);
  }
  if (c.restartBackoffMinMs > c.restartBackoffMaxMs) {
    problems.push(`cluster.restart_backoff_min (${formatDuration(c.restartBackoffMinMs)}) must not exceed cluster.restart_backoff_max (${formatDuration(c.restartBackoffMaxMs)})`);
  }
  if (c.nodeUnresponsiveTimeoutMs <= c.statsIntervalMs * 3.5) {
    problems.push(`cluster.node_unresponsive_timeout (${formatDuration(c.nodeUnresponsiveTimeoutMs)}) must be longer than three and a half cluster.stats_interval (${formatDuration(c.statsIntervalMs)}): a node is unhealthy first, replaced later`);
  }
  if (c.port !== 0 && c.port === c.adminPort) {
    problems.push(`the client port and the admin port must differ (both are ${c.port}; see --port, --admin-port, cluster.port, cluster.admin_port)`);
  }
  const subscribeRate = c.client.methodRateLimit.subscribe;
  if (subscribeRate > 0 && subscribeRate < c.client.channelLimit) {
    // A reconnecting client resubscribes every channel in one frame: below this it would be answered 111 on every reconnect.
    problems.push(`client.method_rate_limit.subscribe (${subscribeRate}) must be 0 or at least client.channel_limit (${c.client.channelLimit}): a reconnecting client resubscribes all its channels at once`);
  }
  problems.push(...checkNamespace('channel.without_namespace', c.channels.withoutNamespace));
  for (const [name, options] of Object.entries(c.channels.namespaces)) problems.push(...checkNamespace(`channel namespace "${name}"`, options));
  problems.push(...checkProxyReferences(c.proxies, [
    ['channel.without_namespace', c.channels.withoutNamespace],
    ...Object.entries(c.channels.namespaces).map(([name, o]): [string, ChannelOptions] => [`channel namespace "${name}"`, o]),
  ]));
  return problems;
}
