/**
 * Test fixture of parent-channel.test.ts, in two roles. `parent`: forks itself as `child` and
 * reports the child's pid, then waits to be killed. `child`: installs the crash policy, as a node
 * does, and sends small messages without yielding for 2 s (so writes meet the dead channel before
 * its 'disconnect' can be seen); it exits 0 on 'disconnect', as node-main.ts does, and says how it exits on stderr.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { installCrashPolicy } from '../crash-policy.js';
import { sendToParent } from './parent-channel.js';

const role = process.argv[2];
if (role === 'parent') {
  const child = fork(fileURLToPath(import.meta.url), ['child'], { execArgv: process.execArgv, stdio: 'inherit' });
  child.on('message', (m: unknown) => {
    if (m === 'sending') process.stdout.write(`child ${child.pid}\n`);
  });
  setInterval(() => undefined, 1000);
} else if (role === 'child') {
  installCrashPolicy(() => 'fixture child');
  const send = sendToParent;
  process.on('disconnect', () => {
    process.stderr.write('child: disconnect, exiting 0\n');
    process.exit(0);
  });
  send('sending');
  // Busy as a loaded node is: small sends, one every millisecond, for 2 s without yielding — the
  // parent dies meanwhile, and the 'disconnect' cannot be seen before the loop ends.
  const start = Date.now();
  let next = start;
  while (Date.now() - start < 2_000) {
    if (Date.now() >= next) {
      send({ t: 'tick', at: next });
      next += 1;
    }
  }
  setTimeout(() => process.exit(3), 20_000).unref();
}
