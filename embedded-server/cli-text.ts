/** What the `switchboard` CLI prints: help texts and the banner of `serve`. */
import type { ProxySettings } from '../shared/proxy/proxy-settings.js';
import type { ChannelSettings } from '../shared/channels/channel-options.js';
import type { ClusterConfig } from './config/index.js';
import { CONFIG_DEFAULTS, ROUTING_STRATEGIES, describeNamespaces } from './config/index.js';
import { SIM_LIMITS, SIM_PROFILES } from '../shared/admin/simulator-model.js';
import { isLoopbackHost } from './gateway/allowed-hosts.js';
import { describeTarget } from './engine/redis/redis-target.js';

export const MAIN_HELP = `switchboard — a local Centrifugo-compatible WebSocket cluster

Usage:
  switchboard serve [options]          start the cluster (see switchboard serve --help)
  switchboard token --user NAME [...]  print a connection token (see switchboard token --help)
  switchboard simulate [options]       a simulated client fleet against a running cluster (see switchboard simulate --help)
  switchboard help                     this text

Docs: docs/config.md (config file, default namespaces, secrets), docs/simulator.md (load simulator).
`;

export const SERVE_HELP = `Usage: switchboard serve [options]

Starts N node processes behind one client port and prints how to connect.

Options:
  --nodes N             node processes (default ${CONFIG_DEFAULTS.nodes})
  --port P              client WebSocket + HTTP API port (default ${CONFIG_DEFAULTS.port}; 0 = any free port)
  --admin-port P        admin API port (default ${CONFIG_DEFAULTS.adminPort}; 0 = any free port)
  --host ADDRESS        address the client port binds (default ${CONFIG_DEFAULTS.host})
  --admin-host ADDRESS  address the admin port binds (default ${CONFIG_DEFAULTS.adminHost}, whatever --host says)
  --allowed-hosts NAMES Host names the ports answer for besides localhost, IP addresses and the bound
                        addresses (comma-separated; *.example.com for subdomains; * for any)
  --token-secret S      HMAC secret for connection tokens (default: stored secret)
  --api-key K           HTTP API key (default: stored key)
  --strategy S          ${ROUTING_STRATEGIES.join(' | ')} (default ${CONFIG_DEFAULTS.strategy})
  --engine E            memory | redis: where streams, presence and the control bus live (default memory)
  --redis-url URL       Redis for --engine redis (default ${CONFIG_DEFAULTS.redisAddress}; implies --engine redis)
  --config FILE         JSON config in Centrifugo v6 layout plus a "cluster" section
  --insecure            no token, no API key, every permission granted — local experiments only
  -h, --help            this text

Flags override the config file. $SWITCHBOARD_TOKEN_SECRET and $SWITCHBOARD_API_KEY give the secrets
without showing them on the command line (a flag beats them, they beat the file). Secrets given by
none of these are generated once and kept in $SWITCHBOARD_CONFIG_DIR (default
~/.config/switchboard/secrets.json).
`;

export const TOKEN_HELP = `Usage: switchboard token --user NAME [options]

Prints an HS256 connection token signed with the same secret \`switchboard serve\` uses.

Options:
  --user NAME           the token's user id (sub claim); "" for an anonymous token
  --ttl DURATION        lifetime: 30m, 1h, 168h, …; 0 = never expires (default 24h)
  --info JSON           info claim, e.g. '{"name":"Alice"}'
  --channel CHANNEL     subscribe server-side on connect (repeatable)
  --config FILE         config file (for client.token.hmac_secret_key, audience, issuer)
  --token-secret S      sign with this secret instead
  -h, --help            this text
`;

export const SIMULATE_HELP = `Usage: switchboard simulate [options]

Runs a simulated client fleet against a running cluster (e.g. \`npm run serve\`): bots in their own
processes speak the real protocol, keep their own counts (sent, received, lost, duplicated, out of
order, recovered, latency) and print them every few seconds; the cluster's console shows the fleet
too (read-only). Ctrl+C stops every bot. docs/simulator.md explains the profiles and the counts.

Options:
  --clients N           simulated clients (default 1000, at most ${SIM_LIMITS.clients.max})
  --profile P           ${SIM_PROFILES.join(' | ')} (default chat)
  --channels N          rooms (chat, flaky, slow) or feeds (feed); bot i joins channel i mod N (default 50)
  --rate R              publications per second per channel (default 1; 0 = connections only)
  --ramp DURATION       bots start evenly over this long (default 10s)
  --duration DURATION   the whole run, ramp included (default 60s)
  --url URL             client WebSocket (default from the config: ws://127.0.0.1:8000/connection/websocket)
  --api-url URL         server HTTP API, used by the feed profile and for the fleet's status reports
                        (default http://127.0.0.1:8000/api)
  --api-key K           HTTP API key (default: stored key, as serve)
  --token-secret S      HMAC secret the bots sign their tokens with (default: stored secret, as serve)
  --config FILE         the config file the cluster runs with
  -h, --help            this text
`;

/** A channel the demo snippet can subscribe to with a plain user token. */
export function demoChannel(settings: ChannelSettings, user: string): string {
  const entries = Object.entries(settings.namespaces);
  const open = entries.find(([, o]) => o.allowSubscribeForClient && !o.allowUserLimitedChannels && o.subscribeProxy === '');
  if (open !== undefined) return `${open[0]}${settings.namespaceBoundary}lobby`;
  // Where the backend decides, it decides for the demo user too; at least the channel exists.
  const proxied = entries.find(([, o]) => o.subscribeProxy !== '');
  if (proxied !== undefined) return `${proxied[0]}${settings.namespaceBoundary}lobby`;
  const personal = entries.find(([, o]) => o.allowUserLimitedChannels);
  if (personal !== undefined) return `${personal[0]}${settings.namespaceBoundary}${settings.userBoundary}${user}`;
  return 'lobby';
}

/** The part of a running cluster the banner shows (a subset of ClusterHandle). */
export interface BannerInput {
  clientUrl: string;
  /** `http://host:port/api` */
  apiUrl: string;
  adminUrl: string;
  adminToken: string;
  /** The console in a browser, token included. */
  consoleUrl: string;
  config: ClusterConfig;
}

/** A Redis URL fit for a terminal: the password, if any, masked. */
function withoutPassword(address: string): string {
  try {
    const url = new URL(address);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return address;
  }
}

/** The text `serve` prints once the cluster runs. */
export function serveBanner(handle: BannerInput, demoToken: string): string {
  const { config } = handle;
  const channel = demoChannel(config.channels, 'demo');
  const key = config.apiInsecure ? '(none needed: insecure)' : config.apiKey;
  const api = handle.apiUrl.replace(/\/+$/, '');
  const publishUrl = api.endsWith('/api') ? `${api}/publish` : `${api}/api/publish`;
  const namespaces = describeNamespaces(config.channels).map((line) => `  ${line}`);
  return [
    `Switchboard is running: ${config.nodes} node${config.nodes === 1 ? '' : 's'}, ${config.strategy} routing`,
    '',
    `  console           ${handle.consoleUrl}`,
    `  client WebSocket  ${handle.clientUrl}`,
    `  HTTP API          ${handle.apiUrl}   X-API-Key: ${key}`,
    `  admin API         ${handle.adminUrl}   token: ${handle.adminToken}`,
    ...(config.engine.type === 'redis' ? [`  engine            Redis ${config.engine.redis.sentinel ? describeTarget({ url: '', sentinel: config.engine.redis.sentinel }) : withoutPassword(config.engine.redis.address)}, key prefix "${config.engine.redis.prefix}"`] : []),
    '',
    'Namespaces:',
    ...(namespaces.length > 0 ? namespaces : ['  (none)']),
    '',
    ...proxyLines(config.proxies),
    'Demo token (user "demo", valid 24h):',
    `  ${demoToken}`,
    '',
    // Runs as printed on Node 20 (no global WebSocket there), from a file inside this project so that
    // 'centrifuge' and 'ws' resolve; a browser needs neither the import nor the option.
    'centrifuge-js (save as demo.mjs in this project\'s folder, then: node demo.mjs):',
    `  import { Centrifuge } from 'centrifuge';`,
    `  import WebSocket from 'ws';  // in a browser, leave out this line and the websocket option`,
    `  const client = new Centrifuge('${handle.clientUrl}', { websocket: WebSocket, token: '${demoToken}' });`,
    `  const sub = client.newSubscription('${channel}');`,
    `  sub.on('publication', (ctx) => console.log(ctx.data)).subscribe();`,
    `  client.connect();`,
    '',
    'Publish from your backend:',
    `  curl -X POST ${publishUrl} -H 'X-API-Key: ${config.apiKey}' -d '{"channel":"${channel}","data":{"text":"hi"}}'`,
    '',
    'Ctrl+C stops the cluster.',
    '',
  ].join('\n');
}

/** The backend proxies, for the banner: which events go where (nothing when none is configured). */
function proxyLines(p: ProxySettings): string[] {
  const url = (name: string): string => p.endpoints[name]?.endpoint ?? name;
  const lines: string[] = [];
  if (p.connect !== '') lines.push(`  connect      ${url(p.connect)}   (clients without a token are authenticated by your backend)`);
  if (p.refresh !== '') lines.push(`  refresh      ${url(p.refresh)}`);
  if (p.send !== '') lines.push(`  send         ${url(p.send)}`);
  const rpc = [p.rpc.withoutNamespace, ...Object.values(p.rpc.namespaces)].filter((n) => n !== '');
  for (const name of new Set(rpc)) lines.push(`  rpc          ${url(name)}`);
  const channelProxies = Object.keys(p.endpoints).filter((n) => n.startsWith('channel.proxy.'));
  for (const name of channelProxies) lines.push(`  ${name.slice('channel.proxy.'.length).padEnd(12)} ${url(name)}   (for the namespaces that switch it on)`);
  return lines.length === 0 ? [] : ['Proxies:', ...lines, ''];
}

/**
 * One loud stderr block per port bound beyond loopback, printed once at startup: the client port
 * (what reaches it and how Host names are checked) and, worse, the admin port.
 */
export function exposureWarnings(config: Pick<ClusterConfig, 'host' | 'adminHost' | 'port' | 'adminPort'>): string[] {
  const warnings: string[] = [];
  if (!isLoopbackHost(config.host)) {
    warnings.push([
      '',
      `!!! The client port (${config.port}) listens on ${config.host}, beyond this computer:`,
      '!!! other machines can connect and call the HTTP API (with its key). Clients must use an IP address or a',
      '!!! name listed in --allowed-hosts / cluster.allowed_hosts. The admin port stays on 127.0.0.1 unless --admin-host.',
      '',
    ].join('\n'));
  }
  if (!isLoopbackHost(config.adminHost)) {
    warnings.push([
      '',
      `!!! THE ADMIN PORT (${config.adminPort}) LISTENS ON ${config.adminHost}: anyone who reaches it and has the admin`,
      '!!! token can kill nodes, kick clients and publish. Prefer an SSH tunnel to a loopback admin port.',
      '',
    ].join('\n'));
  }
  return warnings;
}

/** Printed loudly on stderr when --insecure is on. */
export const INSECURE_NOTICE = [
  '',
  '!!! INSECURE MODE (--insecure) !!!',
  '!!! Clients connect without a token, every subscribe/publish/presence/history check passes,',
  '!!! and the HTTP API needs no key. Use it for local experiments only.',
  '',
].join('\n');
