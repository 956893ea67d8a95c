/**
 * Foreign load as the bench measures it: CPU of the processes outside its own process trees, from
 * /proc scans at a window's edges. Real processes: a busy `node -e` started outside this process's
 * tree (its shell parent exits, so it is re-parented away from us) and a busy child of ours.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { sleep } from './children.js';
import { CpuWindow, refOf, running, signal } from './proc.js';
import type { ProcessRef } from './proc.js';
import { scanProcs, treeOf } from './proc-scan.js';

/** Spins for at most 20 s, so it ends by itself even if this test dies before killing it. */
const SPIN = 'const end = Date.now() + 20000; while (Date.now() < end) {}';

const started: ProcessRef[] = [];

/** A busy process whose parent (a shell that exits at once) is not us: outside the bench's tree. */
function startForeign(): ProcessRef {
  const out = execFileSync('sh', ['-c', `"${process.execPath}" -e '${SPIN}' >/dev/null 2>&1 & echo $!`], { encoding: 'utf8' });
  const ref = refOf(Number(out.trim()));
  assert.ok(ref, `the foreign spinner (${out.trim()}) is not running`);
  started.push(ref);
  return ref;
}

function startOwnChild(): ProcessRef {
  const child = spawn(process.execPath, ['-e', SPIN], { stdio: 'ignore' });
  const ref = refOf(child.pid ?? 0);
  assert.ok(ref, 'the own spinner is not running');
  started.push(ref);
  return ref;
}

after(async () => {
  for (const ref of started) signal(ref, 'SIGKILL');
  for (let i = 0; i < 40 && started.some(running); i++) await sleep(25);
});

describe('foreign load', () => {
  it('counts a busy process outside the bench\'s trees as foreign, and a busy child of the bench as its own', async () => {
    const foreign = startForeign();
    const child = startOwnChild();
    assert.ok(!treeOf(scanProcs(), [process.pid]).has(foreign.pid), 'the foreign spinner is in our tree');
    const w = new CpuWindow(() => [], () => []);
    await sleep(1000);
    const r = w.end();
    assert.ok((r.foreignByPid.get(foreign.pid) ?? 0) > 0, `foreign spinner not counted: ${r.foreignTop.join(', ')}`);
    assert.equal(r.foreignByPid.has(child.pid), false, 'the bench\'s own child was counted as foreign');
    assert.ok((r.usOf(child.pid) ?? 0) > 0, 'the own child used no CPU in the window');
    assert.ok(r.foreignCores > 0);
    assert.ok(r.scanMs >= 0);
  });

  it('treats a child\'s own children as the bench\'s too (the tree, not just the pids given)', async () => {
    const mid = spawn('sh', ['-c', `"${process.execPath}" -e '${SPIN}' & wait`], { stdio: 'ignore' });
    const midRef = refOf(mid.pid ?? 0);
    assert.ok(midRef);
    started.push(midRef);
    let grandchild: number | undefined;
    for (let i = 0; i < 80 && grandchild === undefined; i++) {
      await sleep(25);
      grandchild = [...scanProcs().procs].find(([, e]) => e.ppid === midRef.pid)?.[0];
    }
    assert.ok(grandchild !== undefined, 'the grandchild did not start');
    const ref = refOf(grandchild);
    if (ref) started.push(ref);
    const w = new CpuWindow(() => [], () => []);
    await sleep(500);
    const r = w.end();
    assert.equal(r.foreignByPid.has(grandchild), false, 'a grandchild of the bench was counted as foreign');
    assert.ok((r.usOf(grandchild) ?? 0) > 0, 'the grandchild used no CPU in the window');
  });
});
