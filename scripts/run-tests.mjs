#!/usr/bin/env node
/**
 * Every test of `npm test`, in four node:test runs, with one closing line that sums them.
 *
 * - unit: the tests beside the code in shared/, embedded-server/, renderer/, main/. They start no
 *   cluster, and most of a file's time is the start of its process (tsx loading the import graph).
 * - integration: test/ (real node processes, Redis, HAProxy, the real centrifuge client) and
 *   bench/'s reduced runs. Most of their time is waiting — on handshakes, timeouts, processes.
 * - e2e: test/e2e/, the console in Debian's Chromium against real clusters.
 * - soak: the chaos soak alone, last, with the machine to itself: it injects faults on a schedule
 *   and checks that nothing is lost, and shares its 60 s with nothing else.
 *
 * The first three run two files at a time: on these 2-core machines that overlaps one file's
 * waiting with the other's work (measured: the suite passes unchanged at load 10, and no test
 * asserts a duration). Each run's TAP output passes through unchanged. The last line is
 * `N passed, N failed` over all runs (cancelled files count as failed); the exit code is non-zero
 * when any run failed.
 *
 * `node scripts/run-tests.mjs unit` (or integration, e2e, soak) runs one of them.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Files under `dirs` whose name ends with `suffix`, sorted, node_modules skipped. */
function find(dirs, suffix) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(suffix)) out.push(relative(root, path));
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return out.sort();
}

/** The one file that runs alone. */
const SOAK = 'test/chaos-soak.test.ts';

const runs = {
  unit: { concurrency: 2, files: () => find(['shared', 'embedded-server', 'renderer', 'main'], '.test.ts') },
  integration: { concurrency: 2, files: () => find(['test', 'bench'], '.test.ts').filter((f) => f !== SOAK) },
  e2e: { concurrency: 2, files: () => find(['test/e2e'], '.e2e.ts') },
  soak: { concurrency: 1, files: () => [SOAK] },
};

/** Runs one node:test run; resolves with its exit code and the counts of its closing summary. */
function run(name) {
  const { concurrency, files } = runs[name];
  const args = ['--import', 'tsx', '--test', '--test-reporter=tap', `--test-concurrency=${concurrency}`, ...files()];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const counts = {};
    let rest = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        // The closing summary: unindented `# pass 12`, `# fail 0`, …
        const m = /^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line);
        if (m) counts[m[1]] = Number(m[2]);
      }
    });
    child.on('close', (code, signal) => resolve({ name, code: code ?? (signal ? 1 : 0), counts }));
  });
}

const chosen = process.argv[2] ? [process.argv[2]] : Object.keys(runs);
for (const name of chosen) {
  if (!(name in runs)) {
    process.stderr.write(`unknown test run "${name}": use one of ${Object.keys(runs).join(', ')}\n`);
    process.exit(2);
  }
}
const results = [];
for (const name of chosen) results.push(await run(name));

const sum = (key) => results.reduce((n, r) => n + (r.counts[key] ?? 0), 0);
const failedRuns = results.filter((r) => r.code !== 0 || r.counts.pass === undefined);
for (const r of results) {
  process.stdout.write(`# run ${r.name}: ${r.counts.pass ?? '?'} passed, ${r.counts.fail ?? '?'} failed, ${r.counts.cancelled ?? 0} cancelled, ${r.counts.skipped ?? 0} skipped (exit ${r.code})\n`);
}
// A run that died before its summary counts as one failure, so the closing line cannot read clean.
const failed = sum('fail') + sum('cancelled') + results.filter((r) => r.counts.pass === undefined).length;
process.stdout.write(`${sum('pass')} passed, ${failed} failed\n`);
process.exit(failedRuns.length > 0 || failed > 0 ? 1 : 0);
