/**
 * Builds what the desktop app runs: the console bundle (Vite → dist/console) and the main process,
 * preloads, settings page and cluster code (tsc emit → dist-electron/, TOOLCHAIN.md §3).
 * `node --import tsx main/launcher/build-desktop.ts` runs both; `npm start` and `npm run dist` use it.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** dist-electron/: main + preloads + cluster code, then the settings page and its static files. */
export async function buildMain(options: BuildOptions = {}): Promise<boolean> {
  rmSync(join(ROOT, 'dist-electron'), { recursive: true, force: true });
  if (!(await node(tscBin(), ['-p', 'main/tsconfig.build.json'], options))) return false;
  if (!(await node(tscBin(), ['-p', 'main/settings/tsconfig.build.json'], options))) return false;
  const to = join(ROOT, 'dist-electron', 'main', 'settings');
  mkdirSync(to, { recursive: true });
  for (const file of ['index.html', 'settings.css']) copyFileSync(join(ROOT, 'main', 'settings', file), join(to, file));
  return true;
}

export async function buildDesktop(options: BuildOptions = {}): Promise<boolean> {
  return (await buildConsole(options)) && (await buildMain(options));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ok = await buildDesktop();
  if (!ok) process.stderr.write('build-desktop: the build failed (see above)\n');
  process.exitCode = ok ? 0 : 1;
}
