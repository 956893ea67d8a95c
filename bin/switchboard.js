#!/usr/bin/env node
// Launcher for `npx switchboard …`: runs embedded-server/cli.ts under tsx in a child Node process
// (so forked cluster nodes inherit `--import tsx` through execArgv), forwards signals once and
// exits with the child's code.
import { spawn } from 'node:child_process';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const cliPath = fileURLToPath(new URL('../embedded-server/cli.ts', import.meta.url));
// Resolved from this package, not from the caller's working directory.
const tsxLoader = import.meta.resolve('tsx');

// On POSIX the child gets its own process group: a Ctrl+C at the terminal then reaches it once,
// through us, instead of twice (the terminal + our forwarding) — a second signal means "exit now".
const ownGroup = process.platform !== 'win32';
// The supervisor's V8 flags: shared/v8-flags.ts (SUPERVISOR_V8_FLAGS) says why; a test keeps the two equal.
const V8_FLAGS = ['--max-semi-space-size=4'];
// The 'ipc' channel is the child's lifeline: being in its own group, it would outlive a SIGKILL of this
// launcher (a ghost cluster holding the ports); the channel closes however we die, and the CLI then
// stops the cluster (embedded-server/launcher-link.ts).
const child = spawn(process.execPath, [...V8_FLAGS, '--import', tsxLoader, cliPath, ...process.argv.slice(2)], {
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  detached: ownGroup,
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
