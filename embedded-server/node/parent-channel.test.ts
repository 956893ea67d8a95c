import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processAlive } from '../../test/support/serve-process.js';

const FIXTURE = fileURLToPath(new URL('./parent-channel.fixture.ts', import.meta.url));

/** Runs the fixture's parent, SIGKILLs it while its child is busy writing, and returns the child's stderr once the child is gone. */
async function killParentMidWrite(): Promise<string> {
  const parent = spawn(process.execPath, ['--import', 'tsx', FIXTURE, 'parent'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  parent.stdout.on('data', (d: Buffer) => void (out += d.toString()));
  parent.stderr.on('data', (d: Buffer) => void (err += d.toString()));
  try {
    const childPid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no child within 15 s: ${err}`)), 15_000);
      parent.stdout.on('data', () => {
        const m = /child (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    parent.kill('SIGKILL');
    // The child writes to the same stderr pipe; it closes once the child is gone too.
    await new Promise<void>((resolve) => {
      const deadline = Date.now() + 15_000;
      const poll = (): void => {
        if (!processAlive(childPid) || Date.now() > deadline) return resolve();
        setTimeout(poll, 50);
      };
      poll();
    });
    if (processAlive(childPid)) {
      process.kill(childPid, 'SIGKILL');
      assert.fail('the child outlived its parent by 15 s');
    }
    return err;
  } finally {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
  }
}

describe('the node\'s channel to its supervisor', () => {
  it('takes a supervisor killed while the node is busy writing as the end of the channel, not as a crash of the node', async () => {
    const err = await killParentMidWrite();
    assert.doesNotMatch(err, /uncaught exception|EPIPE/);
    assert.match(err, /child: disconnect, exiting 0/);
  });
});
