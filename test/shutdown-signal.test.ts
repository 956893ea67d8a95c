/**
 * `switchboard serve` stopped by a signal (issue 11 §4): the supervisor alone gets SIGTERM, as from
 * `kill <pid>` or a service manager. Once: it stops accepting, every publication it answered before
 * the signal reaches every subscribed client, then the clients see close 3001 "shutdown" — a
 * reconnect code, so the real centrifuge client goes on trying — and the process exits 0 within the
 * stop bound with no node left behind. Twice: the second signal ends it at once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { mintConnectionToken } from '../embedded-server/index.js';
import { range } from './support/publish-stream.js';
import { liveGroupMembers, startServe } from './support/serve-process.js';
import type { ServeProcess } from './support/serve-process.js';
import { waitFor } from './support/test-cluster.js';

const CHANNEL = 'chat:shutdown';
const TOKEN_SECRET = randomBytes(32).toString('base64url');
const API_KEY = randomBytes(16).toString('hex');
const ENV = { SWITCHBOARD_TOKEN_SECRET: TOKEN_SECRET, SWITCHBOARD_API_KEY: API_KEY };
const ARGS = ['--nodes', '2', '--port', '0', '--admin-port', '0'];
const CLIENTS = 6;
/** Publications fired together just before the signal: answered, but not necessarily delivered yet, when the signal lands. */
const BURST = 300;
/** The CLI's stop bound (embedded-server/cli.ts STOP_BOUND_MS); only ends the wait here. */
const STOP_BOUND_MS = 10_000;

interface Listener {
  client: Centrifuge;
  got: number[];
  /** `connecting` events after the first connect: code and reason, and how many publications had arrived by then. */
  lost: { code: number; reason: string; gotBefore: number }[];
  disconnected: { code: number; reason: string }[];
}

async function listen(serve: ServeProcess, user: string): Promise<Listener> {
  const token = await mintConnectionToken({ secret: TOKEN_SECRET, user });
  const client = new Centrifuge(serve.clientUrl, { websocket: WebSocket, token, minReconnectDelay: 200, maxReconnectDelay: 400 });
  client.on('error', () => undefined);
  const l: Listener = { client, got: [], lost: [], disconnected: [] };
  let connected = false;
  client.on('connected', () => { connected = true; });
  client.on('connecting', (ctx) => { if (connected) l.lost.push({ code: ctx.code, reason: ctx.reason, gotBefore: l.got.length }); });
  client.on('disconnected', (ctx) => l.disconnected.push({ code: ctx.code, reason: ctx.reason }));
  const sub = client.newSubscription(CHANNEL);
  sub.on('publication', (ctx) => l.got.push((ctx.data as { n: number }).n));
  sub.subscribe();
  client.connect();
  await sub.ready(5000);
  return l;
}

async function publish(serve: ServeProcess, n: number): Promise<boolean> {
  const res = await fetch(`${serve.apiUrl}/publish`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ channel: CHANNEL, data: { n } }),
  });
  return res.status === 200;
}

describe('serve stopped by SIGTERM', () => {
  const started: ServeProcess[] = [];
  const listeners: Listener[] = [];
  after(async () => {
    for (const l of listeners) l.client.disconnect();
    await Promise.all(started.map((s) => s.stop()));
  });

  it('delivers every publication answered before the signal, then closes clients with 3001 so they reconnect, and exits 0 within the bound', async (t) => {
    const serve = await startServe(ARGS, { env: ENV });
    started.push(serve);
    const mine = await Promise.all(range(1, CLIENTS).map((i) => listen(serve, `user-${i}`)));
    listeners.push(...mine);
    const answered = await Promise.all(range(1, BURST).map((n) => publish(serve, n)));
    assert.ok(answered.every(Boolean), 'every publication of the burst was accepted');
    const signalledAt = Date.now();
    process.kill(serve.pid, 'SIGTERM');
    const exit = await Promise.race([serve.exited, new Promise<null>((r) => setTimeout(() => r(null), STOP_BOUND_MS + 5000))]);
    assert.ok(exit !== null, `serve still running ${STOP_BOUND_MS + 5000} ms after SIGTERM`);
    const tookMs = Date.now() - signalledAt;
    assert.deepEqual(exit, { code: 0, signal: null }, serve.output().slice(-2000));
    assert.match(serve.output(), /SIGTERM: stopping the cluster/);
    await waitFor(() => liveGroupMembers(serve.pid).length === 0, { timeoutMs: 5000, what: 'no node left in the group' });
    await waitFor(() => mine.every((l) => l.lost.length > 0), { timeoutMs: 5000, what: 'every client to see its connection close' });
    for (const [i, l] of mine.entries()) {
      assert.deepEqual(l.lost[0], { code: 3001, reason: 'shutdown', gotBefore: BURST }, `client ${i + 1}: the close and what had arrived before it`);
      assert.deepEqual(l.got, range(1, BURST), `client ${i + 1}: every publication once, in order`);
      assert.deepEqual(l.disconnected, [], `client ${i + 1} gave up instead of reconnecting`);
      assert.equal(l.client.state, 'connecting', `client ${i + 1} keeps trying to reconnect`);
    }
    t.diagnostic(`SIGTERM → exit 0 in ${tookMs} ms; ${CLIENTS} clients each got all ${BURST} publications before close 3001`);
  });

  it('exits at once, with code 1, on a second signal while the first stop is under way', async (t) => {
    const serve = await startServe(ARGS, { env: ENV });
    started.push(serve);
    const mine = await Promise.all(range(1, CLIENTS).map((i) => listen(serve, `again-${i}`)));
    listeners.push(...mine);
    process.kill(serve.pid, 'SIGTERM');
    await waitFor(() => serve.output().includes('SIGTERM: stopping the cluster'), { timeoutMs: 5000, what: 'the first signal to be taken' });
    const secondAt = Date.now();
    process.kill(serve.pid, 'SIGTERM');
    const exit = await serve.exited;
    t.diagnostic(`second SIGTERM → exit in ${Date.now() - secondAt} ms`);
    assert.deepEqual(exit, { code: 1, signal: null });
    assert.match(serve.output(), /SIGTERM again: exiting now/);
    // Its nodes follow their supervisor out (their IPC channel closed).
    await waitFor(() => liveGroupMembers(serve.pid).length === 0, { timeoutMs: 5000, what: 'no node left in the group' });
  });
});
