import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXIT_CRASH } from './crash-policy.js';

const POLICY = pathToFileURL(join(import.meta.dirname, 'crash-policy.ts')).href;

/** Runs a script that installs the policy and then does `then`; answers its exit code and stderr. */
function run(then: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'crash-policy-'));
  try {
    const file = join(dir, 'entry.ts');
    writeFileSync(file, `import { installCrashPolicy } from ${JSON.stringify(POLICY)};\ninstallCrashPolicy(() => 'test entry');\n${then}\n`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 20_000 });
    return { status: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('installCrashPolicy', () => {
  it('reports an uncaught exception with its stack and exits with code 70', () => {
    const r = run("setTimeout(() => { throw new RangeError('too deep'); }, 0);");
    assert.equal(r.status, EXIT_CRASH);
    assert.match(r.stderr, /^test entry: uncaught exception, exiting with code 70: RangeError: too deep\n\s+at /m);
  });

  it('reports an unhandled rejection and exits with code 70', () => {
    const r = run("void Promise.reject(new Error('nobody waited'));");
    assert.equal(r.status, EXIT_CRASH);
    assert.match(r.stderr, /test entry: unhandled rejection, exiting with code 70: Error: nobody waited/);
  });

  it('leaves a process without errors alone', () => {
    assert.deepEqual(run("process.stdout.write('fine');"), { status: 0, stderr: '' });
  });
});
