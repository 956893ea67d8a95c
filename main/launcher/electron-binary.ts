/**
 * Is there an Electron binary to launch, and if not, can it be fetched? Electron ≥ 42 downloads its
 * binary lazily (TOOLCHAIN.md §1): `require('electron')` runs its install.js the first time. This
 * does the same checks without throwing: what install.js considers installed, then one install
 * attempt with a timeout, with its output kept for the one-line explanation.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronProbe = { ok: true; path: string } | { ok: false; reason: string };

/** node_modules/electron of this project. */
export function electronPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
}

/** The executable electron's index.js would return, when it is on disk; else null. */
export function installedElectron(pkgDir: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const read = (name: string): string | null => {
    try {
      return readFileSync(join(pkgDir, name), 'utf8').trim();
    } catch {
      return null;
    }
  };
  const platformPath = read('path.txt');
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, platformPath ?? defaultPlatformPath());
    return existsSync(path) ? path : null;
  }
  if (platformPath === null) return null;
  const path = join(pkgDir, 'dist', platformPath);
  return existsSync(path) ? path : null;
}

function defaultPlatformPath(): string {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return process.platform === 'win32' ? 'electron.exe' : 'electron';
}

/** Why the binary is missing, in words for the one-line notice. */
export function describeInstallFailure(output: string, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `Electron's binary did not download within ${Math.round(timeoutMs / 1000)} s`;
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|network|HTTPError|status code 40[34]/i.test(output)) {
    return 'Electron could not be downloaded (no network access to its binary)';
  }
  const first = output.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('at '));
  return `Electron's binary could not be installed (${first ?? 'its installer failed without a message'})`;
}

export interface EnsureOptions {
  pkgDir?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Called once when the download takes longer than a moment (so the user knows to wait). */
  slow?: () => void;
}

/** The binary, downloading it once if needed; never throws. */
export async function ensureElectron(options: EnsureOptions = {}): Promise<ElectronProbe> {
  const pkgDir = options.pkgDir ?? electronPackageDir();
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const present = installedElectron(pkgDir, env);
  if (present) return { ok: true, path: present };
  const attempt = await runInstaller(join(pkgDir, 'install.js'), env, timeoutMs, options.slow);
  const after = installedElectron(pkgDir, env);
  if (after) return { ok: true, path: after };
  if (attempt.code === 0 && !attempt.timedOut) return { ok: false, reason: "Electron's binary is missing after its install step" };
  return { ok: false, reason: describeInstallFailure(attempt.output, attempt.timedOut, timeoutMs) };
}

function runInstaller(script: string, env: NodeJS.ProcessEnv, timeoutMs: number, slow?: () => void): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const slowTimer = setTimeout(() => slow?.(), 2000);
    const killTimer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const done = (code: number | null): void => {
      clearTimeout(slowTimer);
      clearTimeout(killTimer);
      resolve({ code, output, timedOut });
    };
    child.on('error', (e) => {
      output += e.message;
      done(1);
    });
    child.on('close', (code) => done(code));
  });
}
