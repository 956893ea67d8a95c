/**
 * The cluster host of the desktop app: the same cluster `switchboard serve` runs, in a process of
 * its own (ARCHITECTURE.md), so a crash here never takes the window down. The desktop main process
 * forks this file, sends `start` with its settings, and gets `ready` with the addresses and the admin
 * token (shared/desktop/host-ipc.ts). A `stop` message, SIGTERM or the parent going away stops the
 * cluster and every node process, then the host exits.
 */
import type { ClusterAddresses, HostReply, HostStartOptions } from '../shared/desktop/host-ipc.js';
import { parseHostRequest } from '../shared/desktop/host-ipc.js';
import { assertNever } from '../shared/result.js';
import type { ClusterHandle } from './index.js';
import { configDir, loadConfig, startCluster } from './index.js';
import { installCrashPolicy } from './crash-policy.js';

const log = (text: string): void => void process.stderr.write(`switchboard host: ${text}\n`);

let starting: Promise<ClusterHandle | null> | null = null;
let stopping: Promise<void> | null = null;

/** Sends a reply; resolves once it is written (or at once when the parent is gone). */
function reply(message: HostReply): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, () => resolve());
  });
}

/** A start failure as one line the user can act on. */
function describeStartError(e: unknown, options: HostStartOptions): string {
  const error = e as NodeJS.ErrnoException & { port?: number };
  if (error.code === 'EADDRINUSE') {
    const taken = error.port ?? (String(error.message).match(/:(\d+)\b/)?.[1] ?? `${options.port} or ${options.adminPort}`);
    return `port ${taken} is already in use (another Switchboard or switchboard serve?): choose other ports in Settings, or 0 for any free port`;
  }
  if (error.code === 'EACCES') return `not allowed to listen on port ${error.port ?? options.port}: choose a port above 1023 in Settings`;
  return `the cluster could not start: ${error.message ?? String(e)}`;
}

async function start(options: HostStartOptions): Promise<void> {
  if (starting) return void log('start ignored: the cluster is already starting or running');
  // The console bundle the admin port serves to browsers ("Open the console in a browser").
  process.env.SWITCHBOARD_CONSOLE_DIR = options.consoleDir;
  const loaded = loadConfig({
    configPath: options.configFile === '' ? undefined : options.configFile,
    overrides: { nodes: options.nodes, port: options.port, adminPort: options.adminPort, strategy: options.strategy },
  });
  if (!loaded.ok) {
    await reply({ type: 'failed', message: loaded.error.join('; ') });
    process.exit(1);
  }
  for (const warning of loaded.value.warnings) log(`warning: ${warning}`);
  starting = startCluster(loaded.value.config, { dataDir: configDir() }).catch(async (e: unknown) => {
    await reply({ type: 'failed', message: describeStartError(e, options) });
    process.exit(1);
  });
  const handle = await starting;
  if (!handle || stopping) return;
  const cluster: ClusterAddresses = {
    clientUrl: handle.clientUrl,
    apiUrl: handle.apiUrl,
    adminUrl: handle.adminUrl,
    adminToken: handle.adminToken,
    consoleUrl: handle.consoleUrl,
    nodes: handle.config.nodes,
    strategy: handle.config.strategy,
  };
  await reply({ type: 'ready', cluster });
}

/** Stops the cluster once, whoever asks; then the process exits. */
function stop(why: string): Promise<void> {
  stopping ??= (async () => {
    log(`stopping the cluster (${why})`);
    try {
      const handle = await starting;
      await handle?.stop();
    } catch (e) {
      log(`stop failed: ${(e as Error).message}`);
    }
    await reply({ type: 'stopped' });
    process.exit(0);
  })();
  return stopping;
}

// A programmer error nobody caught: a report with the stack and exit code 70, which the desktop app reports.
installCrashPolicy(() => `switchboard host (pid ${process.pid})`);

if (!process.send) {
  log('this entry runs only as a child of the desktop app (use `switchboard serve` in a terminal)');
  process.exit(2);
}

process.on('message', (raw: unknown) => {
  const request = parseHostRequest(raw);
  if (!request.ok) return log(request.error);
  switch (request.value.type) {
    case 'start':
      return void start(request.value.options);
    case 'stop':
      return void stop('asked by the desktop app');
    default:
      return assertNever(request.value);
  }
});
process.on('disconnect', () => void stop('the desktop app is gone'));
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
