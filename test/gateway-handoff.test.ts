/**
 * The gateway's socket hand-off under load: a client sends its connect frame in the same turn as
 * its socket opens — the bytes can reach the server while the supervisor is still handing the
 * socket to a node. None may be swallowed: every client gets its connect reply. (A read left armed
 * on the supervisor's copy of the handle once lost such frames; see `stopReading` in the gateway.)
 * The clients run in their own process, as real ones do, and the supervisor (this process) is kept
 * busy in bursts, as under load. On this machine the race itself does not show here even with the
 * fix taken out (it was seen under the simulator's 5,000 bots); the test guards the hand-off as a
 * whole: no frame sent right after the upgrade is ever left unanswered.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { startTestCluster } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';
import type { HandshakeJob } from './support/handshake-client.js';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { clientFrame } from './support/fuzz-heads.js';

const CLIENTS = 1500;
/** The supervisor's loop is blocked this long, this often, while the clients connect. */
const BUSY_MS = 15;
const BUSY_EVERY_MS = 25;

function runClients(job: HandshakeJob, boundMs: number): { child: ChildProcess; outcomes: Promise<Record<string, number>> } {
  const child = fork(new URL('./support/handshake-client.ts', import.meta.url), [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const outcomes = new Promise<Record<string, number>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client process gave no result in ${boundMs} ms`)), boundMs);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as Record<string, number>);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`client process exited (${code}) without a result`));
    });
    child.send(job);
  });
  return { child, outcomes };
}

/** Clients that send their connect frame a moment after their head (one of these gaps), while others' hand-offs queue. */
const LATE_FRAME_CLIENTS = 300;
const FRAME_AFTER_HEAD_MS = [4, 10, 20, 40, 80];

/** Opens a raw socket, writes an upgrade head, then the connect frame `gapMs` later; answers whether the connect reply came within 5 s. */
async function lateFrameConnect(port: number, token: string, gapMs: number): Promise<boolean> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  let got = '';
  socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
  socket.on('error', () => undefined);
  try {
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(`GET /connection/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await sleep(gapMs);
    socket.write(clientFrame(Buffer.from(JSON.stringify({ id: 1, connect: { token } }))));
    for (let i = 0; i < 100 && !got.includes('"id":1'); i++) await sleep(50);
    return got.includes('"id":1');
  } finally {
    socket.destroy();
  }
}

describe('gateway hand-off', () => {
  let cluster: TestCluster;
  let child: ChildProcess | null = null;
  before(async () => {
    cluster = await startTestCluster({ nodes: 2 });
  });
  after(async () => {
    if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    await cluster?.stop();
  });

  it(`answers the connect frame of each of ${CLIENTS} clients (another process) that send it the moment their socket opens`, async () => {
    const tokens = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => cluster.token(`handoff-${i}`)));
    const run = runClients({ url: cluster.url, tokens, inFlight: 100, replyTimeoutMs: 8000 }, 90_000);
    child = run.child;
    const busy = setInterval(() => {
      const until = performance.now() + BUSY_MS;
      while (performance.now() < until) {
        // the supervisor's loop is blocked, as by a burst of work
      }
    }, BUSY_EVERY_MS);
    try {
      assert.deepEqual(await run.outcomes, { replied: CLIENTS });
    } finally {
      clearInterval(busy);
    }
  });
});

describe('gateway hand-off of a socket whose frame comes after its head', () => {
  let late: TestCluster;
  before(async () => {
    late = await startTestCluster({ nodes: 1 });
  });
  after(async () => {
    await late?.stop();
  });

  it(`answers the connect frame of each of ${LATE_FRAME_CLIENTS} clients that send it ${FRAME_AFTER_HEAD_MS.join('–')} ms after their head, while other sockets wait for their hand-off`, async () => {
    // A socket waiting for its turn on the IPC channel once read ahead again (Readable's read-ahead
    // re-armed the handle): a frame arriving then was dropped with the supervisor's copy. Found by
    // the gateway fuzzer; here 1 to 68 of 300 clients got a 101 and never a reply.
    const token = await late.token('late-frame');
    const answered = await Promise.all(Array.from({ length: LATE_FRAME_CLIENTS },
      (_, i) => lateFrameConnect(late.handle.port, token, FRAME_AFTER_HEAD_MS[i % FRAME_AFTER_HEAD_MS.length]!)));
    assert.equal(answered.filter((a) => !a).length, 0, 'connect frames sent after the head were lost at the hand-off');
  });
});
