/**
 * `npm start`: builds what is needed and launches the desktop app. Where the Electron binary is
 * missing and cannot be fetched, it says so in one line, starts the same cluster headless and
 * prints (and tries to open) the console URL — never a stack trace.
 *
 * Arguments after `--` go to the cluster (`npm start -- --port 0 --nodes 2`). `--headless` skips
 * Electron on purpose. Environment: SWITCHBOARD_ELECTRON_TIMEOUT_MS (download time limit, default
 * 120000), SWITCHBOARD_NO_BROWSER=1 (do not open a browser), SWITCHBOARD_SKIP_BUILD=1 (use what is
 * built).
 */
import { spawn } from 'node:child_process';
import { buildConsole, buildDesktop, ROOT } from './build-desktop.js';
import { ensureElectron } from './electron-binary.js';
import type { ElectronProbe } from './electron-binary.js';
import { runHeadless } from './headless.js';

function launchElectron(binary: string, args: string[]): Promise<number> {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [ROOT, ...args], { cwd: ROOT, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('error', (e) => {
      process.stderr.write(`Electron could not be started (${e.message}); try \`npm start -- --headless\`.\n`);
      resolve(1);
    });
    child.on('exit', (code) => resolve(code ?? 0));
  });
}

async function main(argv: string[]): Promise<number> {
  const headless = argv.includes('--headless');
  const args = argv.filter((a) => a !== '--headless');
  const skipBuild = process.env.SWITCHBOARD_SKIP_BUILD === '1';
  const timeoutMs = Number(process.env.SWITCHBOARD_ELECTRON_TIMEOUT_MS) || 120_000;
  const probe: ElectronProbe = headless
    ? { ok: false, reason: 'Headless start asked for (--headless)' }
    : await ensureElectron({ timeoutMs, slow: () => process.stdout.write("Fetching Electron's binary (first launch only)…\n") });
  if (probe.ok) {
    if (!skipBuild && !(await buildDesktop())) return failedBuild();
    return launchElectron(probe.path, args);
  }
  if (!skipBuild && !(await buildConsole())) return failedBuild();
  return runHeadless(ROOT, probe.reason, args, process.env.SWITCHBOARD_NO_BROWSER !== '1');
}

function failedBuild(): number {
  process.stderr.write('npm start: the build failed (the compiler output above says where).\n');
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`npm start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
