// Which code `switchboard` runs, decided in one place for bin/switchboard.js and the bench's server:
// the compiled build (dist-electron/, written by `npm run build:server`) when it exists and no
// source is newer than it; otherwise the TypeScript sources under tsx, and the caller says why.
// Plain JavaScript: it runs before tsx is loaded. Types: server-build.d.ts beside it.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Where the build goes, relative to the package root (main/tsconfig.build.json `outDir`). */
export const BUILD_DIR = 'dist-electron';
/** Written into the build when it succeeded: the time it started reading the sources. */
const STAMP = 'server-build.json';
/** The code the compiled CLI and cluster come from (main/ is the desktop shell's, not the server's). */
const SOURCE_DIRS = ['embedded-server', 'shared'];

/** `embedded-server/cli.ts` → `<root>/dist-electron/embedded-server/cli.js`. */
export function builtPath(root, source) {
  return join(root, BUILD_DIR, source.replace(/\.ts$/, '.js'));
}

/** Records in `buildDir` (a finished build, before it becomes dist-electron/) when it started reading the sources. */
export function markBuilt(buildDir, startedAtMs) {
  writeFileSync(join(buildDir, STAMP), `${JSON.stringify({ sourcesAt: startedAtMs })}\n`);
}

/** The newest source file (tests are not compiled, so they do not count), or undefined. */
function newestSource(root) {
  let newest;
  for (const dir of SOURCE_DIRS) {
    const base = join(root, dir);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base, { recursive: true })) {
      if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
      const path = join(base, name);
      const mtimeMs = statSync(path).mtimeMs;
      if (newest === undefined || mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
    }
  }
  return newest;
}

function stampTime(root) {
  try {
    const sourcesAt = JSON.parse(readFileSync(join(root, BUILD_DIR, STAMP), 'utf8')).sourcesAt;
    return typeof sourcesAt === 'number' ? sourcesAt : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The runtime to use. `env.SWITCHBOARD_RUNTIME=tsx` asks for the sources whatever is built.
 * Answers `{ runtime: 'compiled', cli, index }` or `{ runtime: 'tsx', reason }`.
 */
export function serverRuntime(root, env = {}) {
  if (env.SWITCHBOARD_RUNTIME === 'tsx') return { runtime: 'tsx', reason: 'SWITCHBOARD_RUNTIME=tsx' };
  const cli = builtPath(root, 'embedded-server/cli.ts');
  const builtAt = stampTime(root);
  if (!existsSync(cli) || builtAt === undefined) return { runtime: 'tsx', reason: `no server build in ${BUILD_DIR}/` };
  const newest = newestSource(root);
  if (newest !== undefined && newest.mtimeMs > builtAt) {
    return { runtime: 'tsx', reason: `the server build in ${BUILD_DIR}/ is older than ${relative(root, newest.path)}` };
  }
  return { runtime: 'compiled', cli, index: builtPath(root, 'embedded-server/index.ts') };
}
