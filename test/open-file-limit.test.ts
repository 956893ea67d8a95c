/**
 * A node at its open-file limit (every WebSocket is an open file): the gateway stops handing it
 * sockets and refuses new connections with a 503 that says why, every process stays up, and
 * connections are taken again once some close; the admin snapshot tells the console the capacity. The cluster runs in its own process under
 * `ulimit -n 160`, so a node holds 160 − 64 reserved = 96 connections.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { WebSocket } from 'ws';
import { mintConnectionToken } from '../embedded-server/index.js';
import type { LimitedClusterInfo } from './support/limited-cluster.js';
import { alive, sleep, waitFor } from './support/test-cluster.js';
import { AdminClient } from './support/admin-client.js';
import { snapshotAfter } from './support/admin-helpers.js';

const OPEN_FILES = 160;
const CAPACITY = OPEN_FILES - 64;

type Attempt = { ok: true; ws: WebSocket } | { ok: false; status: number; body: string };

/** Opens a socket and connects; answers the open socket, or the HTTP refusal of the upgrade. */
function attempt(url: string, token: string): Promise<Attempt> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ ok: false, status: 0, body: 'no answer in 5 s' });
    }, 5000);
    ws.on('open', () => ws.send(JSON.stringify({ connect: { token }, id: 1 })));
    ws.on('message', () => {
      clearTimeout(timer);
      resolve({ ok: true, ws });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ ok: false, status: res.statusCode ?? 0, body });
      });
    });
    ws.on('error', () => undefined);
  });
}

describe('a node at its open-file limit', () => {
  let child: ChildProcess;
  let info: LimitedClusterInfo;
  const open: WebSocket[] = [];
  before(async () => {
    const script = new URL('./support/limited-cluster.ts', import.meta.url).pathname;
    const cmd = `ulimit -n ${OPEN_FILES} && exec "$0" --import "$1" "$2"`;
    child = spawn('sh', ['-c', cmd, process.execPath, import.meta.resolve('tsx'), script], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    info = await new Promise<LimitedClusterInfo>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the limited cluster did not start in 20 s')), 20_000);
      child.once('message', (m) => {
        clearTimeout(timer);
        resolve(m as LimitedClusterInfo);
      });
      child.once('exit', (code) => reject(new Error(`the limited cluster exited (${code})`)));
    });
  });
  after(async () => {
    for (const ws of open) ws.terminate();
    if (child?.pid !== undefined && child.exitCode === null) {
      child.send('stop');
      await waitFor(() => child.exitCode !== null, { timeoutMs: 5000, what: 'the limited cluster to stop' }).catch(() => undefined);
      if (child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    }
    for (const pid of info?.nodePids ?? []) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  it(`takes ${CAPACITY} connections, refuses more with a 503 naming the limit, and takes new ones once some close`, async () => {
    const token = (i: number): Promise<string> => mintConnectionToken({ secret: info.tokenSecret, user: `fd-${i}` });
    const refused: Attempt[] = [];
    for (let i = 0; i < CAPACITY + 20; i++) {
      const a = await attempt(info.clientUrl, await token(i));
      if (a.ok) open.push(a.ws);
      else refused.push(a);
    }
    assert.equal(open.length, CAPACITY, `connections taken (refusals: ${JSON.stringify(refused.slice(0, 2))})`);
    assert.equal(refused.length, 20);
    for (const r of refused) {
      assert.equal(r.ok ? 0 : r.status, 503);
      assert.match(r.ok ? '' : r.body, /every node is at its open-file limit \(node-1: 96 connections\); raise ulimit -n or add a node/);
    }
    assert.ok(info.nodePids.every(alive), 'the node is still running');
    const admin = await AdminClient.connect(info);
    try {
      const full = await snapshotAfter(admin, 0, (s) => s.nodes[0]?.connections === CAPACITY, 'a snapshot with the node full');
      assert.equal(full.nodes[0]!.maxConnections, CAPACITY, 'the console is told the node\'s capacity');
    } finally {
      admin.close();
    }

    for (const ws of open.splice(0, 10)) ws.close();
    let taken = 0;
    for (let i = 0; i < 50 && taken < 10; i++) {
      const a = await attempt(info.clientUrl, await token(1000 + i));
      if (a.ok) {
        open.push(a.ws);
        taken++;
      } else await sleep(100);
    }
    assert.equal(taken, 10, 'connections are taken again after some closed');
    const health = await fetch(`${info.apiUrl.replace(/\/api$/, '')}/healthz`);
    assert.equal(health.status, 200, 'the supervisor still answers');
  });
});
