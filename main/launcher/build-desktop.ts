/**
 * Builds what the desktop app runs: the console bundle (Vite → dist/console) and the main process,
 * preloads, settings page, cluster code and CLI (tsc emit → dist-electron/, TOOLCHAIN.md §3).
 * `node --import tsx main/launcher/build-desktop.ts` runs both; `npm start` and `npm run dist` use it.
 * The same dist-electron/ is what `switchboard serve` runs (`npm run build:server`, bin/server-build.js).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markBuilt } from '../../bin/server-build.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');
const require = createRequire(import.meta.url);

export interface BuildOptions {
  /** Keep the tools' output off stdout (tests speak their protocol there); it goes to stderr on failure. */
  quiet?: boolean;
}

/** Runs a Node script of a dev dependency in the project root; resolves with whether it succeeded. */
function node(script: string, args: string[], options: BuildOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => {
      if (code !== 0 && output) process.stderr.write(output);
      resolve(code === 0);
    });
  });
}

const viteBin = (): string => join(require.resolve('vite/package.json'), '..', 'bin', 'vite.js');
const tscBin = (): string => join(require.resolve('typescript/package.json'), '..', 'bin', 'tsc');

/** dist/console (what `npm run build:console` does). */
export function buildConsole(options: BuildOptions = {}): Promise<boolean> {
  return node(viteBin(), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], options);
}

/**
 * dist-electron/: main + preloads + cluster code + CLI, then the settings page and its static files,
 * and the stamp that tells bin/switchboard.js which sources the build saw. Built aside and swapped in
 * whole: a `switchboard` started meanwhile runs the previous build or the sources, never half of one.
 */
export async function buildMain(options: BuildOptions = {}): Promise<boolean> {
  const next = join(ROOT, 'dist', '.staging', `dist-electron-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  // Taken before the compiler reads a source: a file saved during the build makes the build stale.
  const startedAt = Date.now();
  const built = (await node(tscBin(), ['-p', 'main/tsconfig.build.json', '--outDir', next], options))
    && (await node(tscBin(), ['-p', 'main/settings/tsconfig.build.json', '--outDir', next], options));
  if (!built) {
    rmSync(next, { recursive: true, force: true });
    return false;
  }
  const to = join(next, 'main', 'settings');
  mkdirSync(to, { recursive: true });
  for (const file of ['index.html', 'settings.css']) copyFileSync(join(ROOT, 'main', 'settings', file), join(to, file));
  markBuilt(next, startedAt);
  swapIn(next, join(ROOT, 'dist-electron'));
  return true;
}

/** Replaces `target` with `fresh` by two renames (the moment without either is a few microseconds). */
function swapIn(fresh: string, target: string): void {
  const old = `${fresh}-old`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(fresh, target);
  rmSync(old, { recursive: true, force: true });
}

export async function buildDesktop(options: BuildOptions = {}): Promise<boolean> {
  return (await buildConsole(options)) && (await buildMain(options));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ok = await buildDesktop();
  if (!ok) process.stderr.write('build-desktop: the build failed (see above)\n');
  process.exitCode = ok ? 0 : 1;
}
