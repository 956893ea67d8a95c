#!/usr/bin/env node
// Launcher for `npx switchboard …`: runs the CLI in a child Node process, forwards signals once and
// exits with the child's code. The CLI is the compiled build (dist-electron/embedded-server/cli.js,
// from `npm run build:server`) when it exists and no source is newer (bin/server-build.js); else
// embedded-server/cli.ts under tsx, with a one-line notice saying why. Forked cluster nodes follow
// the CLI: compiled node-main.js under plain Node, or node-main.ts under `--import tsx`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { serverRuntime } from './server-build.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const chosen = serverRuntime(root, process.env);
if (chosen.runtime === 'tsx') {
  process.stderr.write(`switchboard: running the TypeScript sources under tsx (${chosen.reason}; \`npm run build:server\` builds the compiled CLI)\n`);
}
// tsx is resolved from this package, not from the caller's working directory.
const entry = chosen.runtime === 'compiled'
  ? [chosen.cli]
  : ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('../embedded-server/cli.ts', import.meta.url))];
// The compiled cluster cannot find the console bundle relative to itself (it sits one level deeper).
const env = { ...process.env, SWITCHBOARD_CONSOLE_DIR: process.env.SWITCHBOARD_CONSOLE_DIR || join(root, 'dist', 'console') };

// On POSIX the child gets its own process group: a Ctrl+C at the terminal then reaches it once,
// through us, instead of twice (the terminal + our forwarding) — a second signal means "exit now".
const ownGroup = process.platform !== 'win32';
// The supervisor's V8 flags: shared/v8-flags.ts (SUPERVISOR_V8_FLAGS) says why; a test keeps the two equal.
const V8_FLAGS = ['--max-semi-space-size=4'];
// The 'ipc' channel is the child's lifeline: being in its own group, it would outlive a SIGKILL of this
// launcher (a ghost cluster holding the ports); the channel closes however we die, and the CLI then
// stops the cluster (embedded-server/launcher-link.ts).
const child = spawn(process.execPath, [...V8_FLAGS, ...entry, ...process.argv.slice(2)], {
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  detached: ownGroup,
  env,
});

const forward = (signal) => () => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward(signal));

child.on('error', (error) => {
  process.stderr.write(`switchboard: cannot start node: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal !== null) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
