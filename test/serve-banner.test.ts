/**
 * Issue 14, README truth: the centrifuge-js snippet `switchboard serve` prints runs where it says —
 * saved as demo.mjs in the project's folder and run with node (Node 20 has no global WebSocket) — and
 * receives what the printed curl line publishes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe } from './support/serve-process.js';
import type { ServeProcess } from './support/serve-process.js';
import { waitFor } from './support/test-cluster.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('the serve banner', { timeout: 60_000 }, () => {
  let serve: ServeProcess;
  let demo: ChildProcess | undefined;
  let dir = '';

  before(async () => {
    serve = await startServe(['--port', '0', '--admin-port', '0']);
  });

  after(async () => {
    if (demo?.pid && demo.exitCode === null) process.kill(demo.pid, 'SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
    await serve?.stop();
  });

  it('prints a centrifuge-js snippet that runs as shown and receives what the printed curl line publishes', async () => {
    const out = serve.output();
    const lines = out.split('\n');
    const start = lines.findIndex((l) => l.startsWith('centrifuge-js (save as demo.mjs'));
    assert.ok(start >= 0, 'the snippet is introduced with where to save it and how to run it');
    const snippet: string[] = [];
    for (const line of lines.slice(start + 1)) {
      if (!line.startsWith('  ')) break;
      snippet.push(line.slice(2));
    }
    assert.ok(snippet.some((l) => l.includes('websocket: WebSocket')), snippet.join('\n'));
    // "in this project's folder": a folder inside it, so that 'centrifuge' and 'ws' resolve from node_modules.
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'test-results', 'banner-demo-'));
    writeFileSync(join(dir, 'demo.mjs'), `${snippet.join('\n')}\n`);
    let received = '';
    demo = spawn(process.execPath, ['demo.mjs'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stdout!.on('data', (d: Buffer) => { received += d.toString(); });
    demo.stderr!.on('data', (d: Buffer) => { received += d.toString(); });
    const curl = lines.find((l) => l.trim().startsWith('curl -X POST'))!;
    const url = /curl -X POST (\S+)/.exec(curl)![1]!;
    const key = /X-API-Key: ([^']+)'/.exec(curl)![1]!;
    const body = /-d '(.*)'$/.exec(curl.trim())![1]!;
    await waitFor(async () => {
      const res = await fetch(url, { method: 'POST', headers: { 'X-API-Key': key }, body });
      assert.equal(res.status, 200);
      return received.includes("text: 'hi'");
    }, { what: `the demo to print the publication (it printed: ${received})`, timeoutMs: 20_000, intervalMs: 500 });
  });
});
