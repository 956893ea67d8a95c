/**
 * bin/switchboard.js as users run it: secrets from the environment stay off every command line, and a
 * launcher killed with SIGKILL takes the whole cluster with it (no ghost holding the ports).
 * Linux only: process trees and command lines are read from /proc.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const BIN = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));
const TOKEN_SECRET = 'env-token-secret-4f2a9c1d7e';
const API_KEY = 'env-api-key-8b3e6f0a2c';
const linux = process.platform === 'linux';

/** Pids whose parent is `parent`, read from /proc/PID/stat (the field after the command name). */
function childrenOf(parent: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** True while the pid is a live process (a zombie waiting for its reaper counts as gone). */
/** Every process below `root` (node processes, and tsx's esbuild service). */
function descendantsOf(root: number): number[] {
  const out: number[] = [];
  for (let queue = [root]; queue.length > 0;) {
    const next = childrenOf(queue.shift()!);
    out.push(...next);
    queue.push(...next);
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function cmdline(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
}

/** Resolves once the port can be bound again on 127.0.0.1, i.e. nobody holds it any more. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the switchboard launcher', { skip: !linux && 'reads /proc' }, () => {
  const home = mkdtempSync(join(tmpdir(), 'switchboard-launcher-'));
  let launcher: ChildProcess;
  let output = '';
  let supervisor = 0;
  /** Every process under the supervisor: the nodes and helpers such as esbuild. */
  let below: number[] = [];
  let nodes: number[] = [];
  let ports: number[] = [];
  let apiUrl = '';

  before(async () => {
    launcher = spawn(process.execPath, [BIN, 'serve', '--nodes', '2', '--port', '0', '--admin-port', '0'], {
      env: { ...process.env, SWITCHBOARD_CONFIG_DIR: join(home, 'config'), SWITCHBOARD_TOKEN_SECRET: TOKEN_SECRET, SWITCHBOARD_API_KEY: API_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    launcher.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    await waitFor('the serve banner', () => /admin API\s+ws:\/\/\S+/.test(output), 30_000);
    apiUrl = /HTTP API\s+(http:\/\/\S+)/.exec(output)![1]!;
    ports = [/client WebSocket\s+ws:\/\/127\.0\.0\.1:(\d+)/, /admin API\s+ws:\/\/127\.0\.0\.1:(\d+)/].map((re) => Number(re.exec(output)![1]));
    [supervisor = 0] = childrenOf(launcher.pid!);
    below = descendantsOf(supervisor);
    nodes = below.filter((pid) => cmdline(pid).includes('node-main'));
  });

  after(() => {
    for (const pid of [launcher.pid!, supervisor, ...below]) {
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('takes SWITCHBOARD_TOKEN_SECRET and SWITCHBOARD_API_KEY from the environment, off every command line', async () => {
    assert.ok(supervisor > 0, 'the supervisor runs as the launcher\'s child');
    assert.equal(nodes.length, 2, `two node processes under the supervisor\n${output}`);
    for (const pid of [launcher.pid!, supervisor, ...below]) {
      const line = cmdline(pid);
      assert.ok(!line.includes(TOKEN_SECRET) && !line.includes(API_KEY), `pid ${pid}: ${line}`);
    }
    const withKey = await fetch(`${apiUrl}/info`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: '{}' });
    assert.equal(withKey.status, 200);
    assert.ok(((await withKey.json()) as { result?: unknown }).result !== undefined);
    const wrongKey = await fetch(`${apiUrl}/info`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'nope' }, body: '{}' });
    assert.equal(wrongKey.status, 401);
  });

  it('leaves no process of the cluster and frees both ports once the launcher is killed with SIGKILL', async () => {
    assert.ok(await canBind(ports[0]!) === false, 'the client port is held while the cluster runs');
    process.kill(launcher.pid!, 'SIGKILL');
    const pids = [supervisor, ...below];
    // Generous: a clean stop takes well under a second; the supervisor forces its exit after 10 s.
    await waitFor(`pids ${pids.join(', ')} to exit`, () => pids.every((pid) => !alive(pid)), 20_000);
    for (const port of ports) assert.equal(await canBind(port), true, `port ${port} is free`);
  });
});
