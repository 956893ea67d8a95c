/**
 * The `switchboard` command line: `serve`, `token`, `simulate`, `help`.
 * Exit codes: 0 ok; 2 a flag or the config needs changing (one line per problem, never a stack);
 * 1 a runtime failure (the cluster could not start or stop).
 * Run with `node --import tsx embedded-server/cli.ts <command>` or through bin/switchboard.js.
 */
import type { Json } from '../shared/protocol/client-protocol.js';
import type { Result } from '../shared/result.js';
import { err, ok } from '../shared/result.js';
import type { CliOverrides, EngineType, LoadedConfig, RoutingStrategy } from './config/index.js';
import { ENGINE_TYPES, ROUTING_STRATEGIES, configDir, loadConfig, mintConnectionToken, parseTtl } from './config/index.js';
import { closest } from './config/suggest.js';
import type { Outcome } from './cli-common.js';
import type { Flags } from './cli-common.js';
import { EXIT_USAGE, commandFlags, complain, reportConfig, say, usageError, wholeNumber } from './cli-common.js';
import { simulate } from './cli-simulate.js';
import { onLauncherGone } from './launcher-link.js';
import { installCrashPolicy } from './crash-policy.js';
import { INSECURE_NOTICE, MAIN_HELP, SERVE_HELP, TOKEN_HELP, exposureWarnings, serveBanner } from './cli-text.js';

const DEMO_TTL_SECONDS = 24 * 3600;
/**
 * How long a stop (a signal, or the launcher gone) may take before the process exits anyway. Nodes
 * get 1.5 s for their clients' close handshakes and are killed at 2 s; Redis and the servers close in
 * well under a second: 10 s is only reached by a stop that hangs.
 */
const STOP_BOUND_MS = 10_000;

const SERVE_OPTIONS = {
  nodes: { type: 'string' },
  port: { type: 'string' },
  'admin-port': { type: 'string' },
  host: { type: 'string' },
  'admin-host': { type: 'string' },
  'allowed-hosts': { type: 'string', multiple: true },
  'token-secret': { type: 'string' },
  'api-key': { type: 'string' },
  strategy: { type: 'string' },
  engine: { type: 'string' },
  'redis-url': { type: 'string' },
  config: { type: 'string' },
  insecure: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const TOKEN_OPTIONS = {
  user: { type: 'string' },
  ttl: { type: 'string' },
  info: { type: 'string' },
  channel: { type: 'string', multiple: true },
  config: { type: 'string' },
  'token-secret': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const isStrategy = (s: string): s is RoutingStrategy => (ROUTING_STRATEGIES as readonly string[]).includes(s);
const isEngineType = (s: string): s is EngineType => (ENGINE_TYPES as readonly string[]).includes(s);

type ServeValues = Flags<typeof SERVE_OPTIONS>;

function serveOverrides(v: ServeValues): Result<CliOverrides, string> {
  const nodes = wholeNumber('--nodes', v.nodes);
  if (!nodes.ok) return nodes;
  const port = wholeNumber('--port', v.port);
  if (!port.ok) return port;
  const adminPort = wholeNumber('--admin-port', v['admin-port']);
  if (!adminPort.ok) return adminPort;
  if (v.strategy !== undefined && !isStrategy(v.strategy)) {
    return err(`--strategy must be one of ${ROUTING_STRATEGIES.join(', ')} (got "${v.strategy}")`);
  }
  if (v.engine !== undefined && !isEngineType(v.engine)) {
    return err(`--engine must be one of ${ENGINE_TYPES.join(', ')} (got "${v.engine}")`);
  }
  return ok({
    nodes: nodes.value, port: port.value, adminPort: adminPort.value, host: v.host, adminHost: v['admin-host'],
    allowedHosts: v['allowed-hosts']?.flatMap((list) => list.split(',')).map((h) => h.trim()),
    tokenSecret: v['token-secret'], apiKey: v['api-key'], strategy: v.strategy, insecure: v.insecure,
    engine: v.engine, redisUrl: v['redis-url'],
  });
}

async function serve(args: string[]): Promise<Outcome> {
  const values = commandFlags('serve', args, SERVE_OPTIONS, SERVE_HELP);
  if (typeof values === 'number') return values;
  const overrides = serveOverrides(values);
  if (!overrides.ok) return usageError(overrides.error);
  const loaded = reportConfig(loadConfig({ configPath: values.config, overrides: overrides.value }));
  if (loaded === undefined) return EXIT_USAGE;
  if (loaded.secretsCreated) complain(`generated a token secret and an API key, stored in ${loaded.secretsPath}`);
  if (values.insecure) process.stderr.write(`${INSECURE_NOTICE}\n`);
  for (const warning of exposureWarnings(loaded.config)) process.stderr.write(`${warning}\n`);
  return runCluster(loaded);
}

async function runCluster({ config }: LoadedConfig): Promise<Outcome> {
  // Loaded lazily: `token` and `--help` need none of the cluster code.
  const { startCluster } = await import('./index.js');
  // A programmer error nobody caught: a report with the stack and exit code 70, not a silent death.
  installCrashPolicy(() => `switchboard serve (pid ${process.pid})`);
  // The metrics history (and what else outlives the cluster) lives beside the stored secrets.
  const starting = startCluster(config, { dataDir: configDir() });
  let started: Awaited<typeof starting> | undefined;
  void starting.then((handle) => { started = handle; }, () => undefined);
  let stopping = false;
  /** Exits without waiting for the stop: no node is left behind, even one too frozen to notice. */
  const exitNow = (): never => {
    started?.killNodes();
    process.exit(1);
  };
  const stopAndExit = (): void => {
    stopping = true;
    setTimeout(() => {
      const waitingFor = started?.stopWaitingFor();
      complain(`the cluster did not stop within ${STOP_BOUND_MS / 1000} s${waitingFor ? ` (still waiting for ${waitingFor})` : ''}: exiting`);
      exitNow();
    }, STOP_BOUND_MS).unref();
    starting.then((handle) => handle.stop()).then(
      () => process.exit(0),
      (e: unknown) => { complain(`stop failed: ${(e as Error).message}`); process.exit(1); },
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      complain(`${signal} again: exiting now`);
      exitNow();
    }
    complain(`${signal}: stopping the cluster: clients are told to reconnect (3001 shutdown) once what is queued for them is sent (send it again to exit at once)`);
    stopAndExit();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const unwatchLauncher = onLauncherGone(() => {
    if (stopping) return;
    complain('the launcher exited: stopping the cluster');
    stopAndExit();
  });
  let handle: Awaited<typeof starting>;
  try {
    handle = await starting;
  } catch (e) {
    unwatchLauncher();
    complain(`could not start the cluster: ${(e as Error).message}`);
    return 1;
  }
  if (stopping) return 'running';
  const demoToken = await mintConnectionToken({
    secret: config.client.tokenHmacSecret, user: 'demo', ttlSeconds: DEMO_TTL_SECONDS,
    audience: config.client.tokenAudience, issuer: config.client.tokenIssuer,
  });
  say(serveBanner(handle, demoToken));
  return 'running';
}

function parseInfo(text: string | undefined): Result<Json | undefined, string> {
  if (text === undefined) return ok(undefined);
  try {
    return ok(JSON.parse(text) as Json);
  } catch {
    return err(`--info expects JSON, e.g. '{"name":"Alice"}' (got ${text})`);
  }
}

async function token(args: string[]): Promise<Outcome> {
  const values = commandFlags('token', args, TOKEN_OPTIONS, TOKEN_HELP);
  if (typeof values === 'number') return values;
  if (values.user === undefined) return usageError('token needs --user NAME (see switchboard token --help)');
  const ttl = parseTtl(values.ttl ?? '24h');
  if (!ttl.ok) return usageError(`--ttl: ${ttl.error}`);
  const info = parseInfo(values.info);
  if (!info.ok) return usageError(info.error);
  const overrides: CliOverrides = { tokenSecret: values['token-secret'] };
  const loaded = reportConfig(loadConfig({ configPath: values.config, overrides, tokenOnly: true }));
  if (loaded === undefined) return EXIT_USAGE;
  const { client } = loaded.config;
  say(await mintConnectionToken({
    secret: client.tokenHmacSecret, user: values.user, ttlSeconds: ttl.value, info: info.value,
    channels: values.channel, audience: client.tokenAudience, issuer: client.tokenIssuer,
  }));
  return 0;
}

async function main(argv: string[]): Promise<Outcome> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      say(MAIN_HELP);
      return 0;
    case 'serve':
      return serve(rest);
    case 'token':
      return token(rest);
    case 'simulate':
      return simulate(rest);
    default: {
      const guess = closest(command, ['serve', 'token', 'simulate', 'help']);
      const hint = guess === undefined ? '' : `did you mean ${guess}? `;
      return usageError(`unknown command '${command}' (${hint}see switchboard help)`);
    }
  }
}

main(process.argv.slice(2)).then(
  (outcome) => {
    if (outcome !== 'running') process.exitCode = outcome;
  },
  (e: unknown) => {
    // A bug, not a usage problem: keep the stack for the report.
    complain(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  },
);
