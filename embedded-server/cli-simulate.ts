/**
 * `switchboard simulate`: a simulated client fleet against a running cluster (docs/simulator.md).
 * This process coordinates; the bots run in child processes. Addresses and secrets default to the
 * same config and stored secrets as `serve`, so it works against `npm run serve` with no flags.
 * Prints the fleet's counts every few seconds and reports them to the cluster, whose console shows
 * the fleet read-only (fleet-reporter.ts); SIGINT/SIGTERM end every child, then exit 0.
 */
import type { SimProfile, SimulatorParams, SimulatorStatus } from '../shared/admin/simulator-model.js';
import { SIM_LIMITS, SIM_PROFILES } from '../shared/admin/simulator-model.js';
import type { Result } from '../shared/result.js';
import { err, ok } from '../shared/result.js';
import type { Outcome } from './cli-common.js';
import type { Flags } from './cli-common.js';
import { EXIT_USAGE, commandFlags, complain, reportConfig, say, usageError } from './cli-common.js';
import { SIMULATE_HELP } from './cli-text.js';
import type { ClusterConfig } from './config/index.js';
import { loadConfig, parseDuration } from './config/index.js';
import { DEFAULT_BOTS_PER_PROCESS } from '../shared/admin/simulator-model.js';
import { Fleet } from './simulator/fleet.js';
import { FleetReporter } from './simulator/fleet-reporter.js';
import type { SimTarget } from './simulator/sim-ipc.js';
import { finalSummary, tableHeader, tableRow } from './simulator/sim-table.js';

const SIMULATE_OPTIONS = {
  clients: { type: 'string' },
  profile: { type: 'string' },
  channels: { type: 'string' },
  rate: { type: 'string' },
  ramp: { type: 'string' },
  duration: { type: 'string' },
  url: { type: 'string' },
  'api-url': { type: 'string' },
  'api-key': { type: 'string' },
  'token-secret': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A row every this many seconds; a header every HEADER_EVERY rows. */
const ROW_EVERY_S = 3;
const HEADER_EVERY = 20;

type Values = Flags<typeof SIMULATE_OPTIONS>;

function bounded(flag: string, text: string | undefined, fallback: number, limits: { min: number; max: number }, whole: boolean): Result<number, string> {
  if (text === undefined) return ok(fallback);
  const n = Number(text);
  const shape = whole ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (!shape.test(text) || n < limits.min || n > limits.max) {
    return err(`${flag} must be a ${whole ? 'whole ' : ''}number from ${limits.min} to ${limits.max} (got "${text}")`);
  }
  return ok(n);
}

function seconds(flag: string, text: string | undefined, fallback: number, limits: { min: number; max: number }): Result<number, string> {
  if (text === undefined) return ok(fallback);
  const parsed = parseDuration(text);
  if (!parsed.ok) return err(`${flag}: ${parsed.error}`);
  const s = parsed.value / 1000;
  if (s < limits.min || s > limits.max) return err(`${flag} must be from ${limits.min}s to ${limits.max}s (got "${text}")`);
  return ok(s);
}

const isProfile = (p: string): p is SimProfile => (SIM_PROFILES as readonly string[]).includes(p);

function runParams(v: Values): Result<SimulatorParams, string> {
  const profile = v.profile ?? 'chat';
  if (!isProfile(profile)) return err(`--profile must be one of ${SIM_PROFILES.join(', ')} (got "${profile}")`);
  const clients = bounded('--clients', v.clients, 1000, SIM_LIMITS.clients, true);
  if (!clients.ok) return clients;
  const channels = bounded('--channels', v.channels, 50, SIM_LIMITS.channels, true);
  if (!channels.ok) return channels;
  const rate = bounded('--rate', v.rate, 1, SIM_LIMITS.rate, false);
  if (!rate.ok) return rate;
  const ramp = seconds('--ramp', v.ramp, 10, SIM_LIMITS.rampSeconds);
  if (!ramp.ok) return ramp;
  const duration = seconds('--duration', v.duration, 60, SIM_LIMITS.durationSeconds);
  if (!duration.ok) return duration;
  return ok({ profile, clients: clients.value, channels: channels.value, rate: rate.value, rampSeconds: ramp.value, durationSeconds: duration.value });
}

/** Flags first, then the config and stored secrets `serve` uses. */
function target(v: Values): SimTarget | undefined {
  const loaded = reportConfig(loadConfig({ configPath: v.config, overrides: { tokenSecret: v['token-secret'], apiKey: v['api-key'] } }));
  if (loaded === undefined) return undefined;
  if (loaded.secretsCreated) complain(`warning: no stored secrets yet: generated new ones in ${loaded.secretsPath} (a cluster started without them will refuse the bots)`);
  const { config } = loaded;
  const host = reachable(config);
  return {
    url: v.url ?? `ws://${host}:${config.port}/connection/websocket`,
    apiUrl: v['api-url'] ?? `http://${host}:${config.port}/api`,
    apiKey: config.apiInsecure ? '' : config.apiKey,
    tokenSecret: config.client.tokenHmacSecret,
    tokenAudience: config.client.tokenAudience,
    tokenIssuer: config.client.tokenIssuer,
  };
}

/** The address to dial for the configured bind address (a wildcard bind is reached on loopback). */
function reachable(config: ClusterConfig): string {
  if (config.host === '0.0.0.0' || config.host === '') return '127.0.0.1';
  if (config.host === '::') return '[::1]';
  return config.host.includes(':') ? `[${config.host}]` : config.host;
}

export async function simulate(args: string[]): Promise<Outcome> {
  const values = commandFlags('simulate', args, SIMULATE_OPTIONS, SIMULATE_HELP);
  if (typeof values === 'number') return values;
  const params = runParams(values);
  if (!params.ok) return usageError(params.error);
  const where = target(values);
  if (where === undefined) return EXIT_USAGE;
  return run(params.value, where);
}

async function run(params: SimulatorParams, where: SimTarget): Promise<Outcome> {
  const processes = Math.ceil(params.clients / DEFAULT_BOTS_PER_PROCESS);
  say(`simulating ${params.clients} ${params.profile} clients against ${where.url}: ${params.channels} channels, ${params.rate}/s per channel, `
    + `ramp ${params.rampSeconds}s, duration ${params.durationSeconds}s, ${processes} bot process${processes === 1 ? '' : 'es'} (Ctrl+C stops)`);
  let rows = 0;
  let lastState = '';
  let everConnected = false;
  // The console's Simulator view shows this fleet (read-only) while the cluster hears from it.
  const reporter = new FleetReporter({ apiUrl: where.apiUrl, apiKey: where.apiKey, log: complain, tell: say });
  const fleet = new Fleet({
    id: 'cli', params, target: where,
    onStatus: (s: SimulatorStatus) => {
      reporter.report(s);
      everConnected ||= s.counts.connected > 0;
      const due = Math.round(s.elapsedMs / 1000) % ROW_EVERY_S === 0 || s.state !== lastState;
      lastState = s.state;
      if (!due || s.state === 'finished' || s.state === 'failed') return;
      if (rows++ % HEADER_EVERY === 0) say(tableHeader());
      say(tableRow(s));
    },
  });
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // Bot processes exit on their own once this process (their IPC parent) is gone.
      complain(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    complain(`${signal}: stopping the fleet (send it again to exit at once)`);
    void fleet.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await fleet.start();
  const final = await fleet.done;
  await reporter.settled();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  say(finalSummary(final));
  if (final.state === 'failed') return 1;
  if (!everConnected) {
    complain(`no bot could connect to ${where.url}: is the cluster running (npm run serve), with the same secrets?`);
    return 1;
  }
  return 0;
}
