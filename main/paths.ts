/**
 * Where the app's files are: next to the sources under tsx (tests), in dist-electron/ when built,
 * and inside the packaged app's resources. What `child_process.fork` runs, and what another
 * program reads (the console bundle, the docs), lives in app.asar.unpacked (electron-builder.yml
 * `asarUnpack`), because only Electron itself can read inside app.asar.
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUPERVISOR_V8_FLAGS } from '../shared/v8-flags.js';

/** A script to fork, with the Node flags it needs (tsx for the TypeScript sources). */
export interface ForkEntry {
  path: string;
  execArgv: string[];
}

export interface AppPaths {
  /** The package root: the repository, or …/resources/app.asar when packaged. */
  root: string;
  /** The built console (dist/console). */
  consoleDir: string;
  /** The settings page (dist-electron/main/settings). */
  settingsDir: string;
  consolePreload: string;
  settingsPreload: string;
  /** The cluster host process (embedded-server/host-entry). */
  hostEntry: ForkEntry;
  /** The window icon. */
  icon: string;
  /** README.md, opened by Help → Documentation. */
  readme: string;
}

/** `…/app.asar/x` → `…/app.asar.unpacked/x`; other paths unchanged. */
export function unpacked(path: string): string {
  return path.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
}

/** The paths for the code that is running now (sources under tsx, or the compiled app). */
export function appPaths(): AppPaths {
  const self = fileURLToPath(import.meta.url);
  const fromSources = self.endsWith('.ts');
  // main/paths.ts → repository root; dist-electron/main/paths.js → package root (or app.asar).
  const root = fileURLToPath(new URL(fromSources ? '..' : '../..', import.meta.url)).replace(/[\\/]$/, '');
  const built = join(root, 'dist-electron');
  return {
    root,
    consoleDir: unpacked(join(root, 'dist', 'console')),
    settingsDir: join(built, 'main', 'settings'),
    consolePreload: join(built, 'main', 'preload', 'preload.cjs'),
    settingsPreload: join(built, 'main', 'preload', 'settings-preload.cjs'),
    hostEntry: fromSources
      ? { path: join(root, 'embedded-server', 'host-entry.ts'), execArgv: [...SUPERVISOR_V8_FLAGS, '--import', import.meta.resolve('tsx')] }
      : { path: unpacked(join(built, 'embedded-server', 'host-entry.js')), execArgv: [...SUPERVISOR_V8_FLAGS] },
    icon: join(root, 'assets', 'icons', '512x512.png'),
    readme: unpacked(join(root, 'README.md')),
  };
}

/** True when the console bundle is built (the window has something to show). */
export const consoleBuilt = (paths: AppPaths): boolean => existsSync(join(paths.consoleDir, 'index.html'));
