/**
 * `npm run build:server`: compiles what `switchboard serve` runs — the cluster, its nodes and the
 * CLI — into dist-electron/. It is the desktop build's tsc step (`buildMain`): one build, which
 * bin/switchboard.js then prefers to the TypeScript sources while no source is newer.
 */
import { buildMain } from './build-desktop.js';

const ok = await buildMain();
if (!ok) process.stderr.write('build:server: the build failed (the compiler output above says where)\n');
process.exitCode = ok ? 0 : 1;
