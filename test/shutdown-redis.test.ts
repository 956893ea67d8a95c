/**
 * A supervisor stopped gracefully on a shared Redis (issue 11 §4): two `switchboard serve` processes
 * on one redis-server behind the repository's deploy/haproxy.cfg, real centrifuge clients subscribed
 * with recovery through HAProxy, publications flowing through B's HTTP API. Supervisor A alone gets
 * SIGTERM. A's clients must see close 3001 "shutdown", reconnect through HAProxy to B, and recover
 * from Redis every publication exactly once and in order; A must exit 0 with no node left behind.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { mintConnectionToken } from '../embedded-server/index.js';
import type { ConnectionRow } from '../shared/admin/admin-model.js';
import { AdminClient } from './support/admin-client.js';
import { startHaproxy } from './support/haproxy.js';
import type { RunningHaproxy } from './support/haproxy.js';
import { startRedis } from './support/redis-server.js';
import type { RunningRedis } from './support/redis-server.js';
import { liveGroupMembers, startServe } from './support/serve-process.js';
import type { ServeProcess } from './support/serve-process.js';
import { sleep, waitFor } from './support/test-cluster.js';

const CHANNEL = 'chat:graceful';
const TOKEN_SECRET = randomBytes(32).toString('base64url');
const API_KEY = randomBytes(16).toString('hex');
const WANT_ON_A = 3;
const WANT_ON_B = 2;
const MAX_CLIENTS = 16;
const PUBLISH_GAP_MS = 50;

interface Watched {
  user: string;
  client: Centrifuge;
  ids: string[];
  home: 'A' | 'B';
  got: number[];
  subscribed: { at: number; wasRecovering: boolean; recovered: boolean }[];
  lost: { at: number; code: number; reason: string }[];
}

describe('a supervisor stopped by SIGTERM behind HAProxy, on one Redis', () => {
  let redis: RunningRedis | undefined;
  let a: ServeProcess | undefined;
  let b: ServeProcess | undefined;
  let lb: RunningHaproxy | undefined;
  let adminA: AdminClient | undefined;
  let adminB: AdminClient | undefined;
  const watched: Watched[] = [];
  const published: { n: number; offset: number }[] = [];
  const publishErrors: string[] = [];
  let publishing = true;
  let publisher: Promise<void> = Promise.resolve();

  before(async () => {
    redis = await startRedis();
    const args = ['--nodes', '1', '--engine', 'redis', '--redis-url', redis.url, '--port', '0', '--admin-port', '0'];
    const env = { SWITCHBOARD_TOKEN_SECRET: TOKEN_SECRET, SWITCHBOARD_API_KEY: API_KEY };
    [a, b] = await Promise.all([startServe(args, { env }), startServe(args, { env })]);
    lb = await startHaproxy({ supervisorA: a.port, supervisorB: b.port });
    adminA = await AdminClient.connect(a);
    adminB = await AdminClient.connect(b);
    for (let i = 0; i < MAX_CLIENTS; i++) {
      if (watched.filter((w) => w.home === 'A').length >= WANT_ON_A && watched.filter((w) => w.home === 'B').length >= WANT_ON_B) break;
      watched.push(await connectThroughLb(`user-${i}`));
    }
    assert.ok(watched.filter((w) => w.home === 'A').length >= WANT_ON_A && watched.filter((w) => w.home === 'B').length >= WANT_ON_B,
      `HAProxy spread ${watched.length} clients as A ${watched.filter((w) => w.home === 'A').length}, B ${watched.filter((w) => w.home === 'B').length}`);
    publisher = publishLoop();
    await waitFor(() => watched.every((w) => w.got.length >= 10), { timeoutMs: 10_000, what: '10 publications at every client' });
  });

  after(async () => {
    publishing = false;
    await publisher;
    for (const w of watched) w.client.disconnect();
    adminA?.close();
    adminB?.close();
    await lb?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  async function connectThroughLb(user: string): Promise<Watched> {
    const token = await mintConnectionToken({ secret: TOKEN_SECRET, user });
    const client = new Centrifuge(lb!.clientUrl, { websocket: WebSocket, token, minReconnectDelay: 200, maxReconnectDelay: 1000 });
    client.on('error', () => undefined);
    const w: Watched = { user, client, ids: [], home: 'A', got: [], subscribed: [], lost: [] };
    const sub = client.newSubscription(CHANNEL);
    client.on('connected', (ctx) => w.ids.push(ctx.client));
    client.on('connecting', (ctx) => { if (w.ids.length > 0) w.lost.push({ at: Date.now(), code: ctx.code, reason: ctx.reason }); });
    sub.on('publication', (ctx) => w.got.push((ctx.data as { n: number }).n));
    sub.on('subscribed', (ctx) => w.subscribed.push({ at: Date.now(), wasRecovering: ctx.wasRecovering, recovered: ctx.recovered }));
    sub.subscribe();
    client.connect();
    await sub.ready(5000);
    let home: 'A' | 'B' | undefined;
    await waitFor(async () => {
      if (await holds(adminA!, w.ids[0]!)) home = 'A';
      else if (await holds(adminB!, w.ids[0]!)) home = 'B';
      return home !== undefined;
    }, { timeoutMs: 5000, what: `${w.ids[0]} in A's or B's connections` });
    w.home = home!;
    return w;
  }

  async function holds(admin: AdminClient, client: string): Promise<boolean> {
    const self = admin.snapshot.engine?.supervisor;
    const { items } = await admin.request('connections.query', { filter: { client } });
    return items.some((row: ConnectionRow) => !row.node.includes('/') && (row.supervisor === undefined || row.supervisor === self));
  }

  async function publishLoop(): Promise<void> {
    for (let n = 1; publishing && n <= 3000; n++) {
      try {
        const res = await fetch(`${b!.apiUrl}/publish`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
          body: JSON.stringify({ channel: CHANNEL, data: { n } }),
        });
        const body = await res.json() as { result?: { offset: number } };
        if (res.status !== 200 || !body.result) throw new Error(`HTTP ${res.status} ${JSON.stringify(body)}`);
        published.push({ n, offset: body.result.offset });
      } catch (error) {
        publishErrors.push(`${n}: ${(error as Error).message}`);
        if (publishErrors.length > 20) return;
      }
      await sleep(PUBLISH_GAP_MS);
    }
  }

  it('A exits 0; its clients get 3001, reconnect to B and recover every publication exactly once and in order', async (t) => {
    const moved = watched.filter((w) => w.home === 'A');
    const stayed = watched.filter((w) => w.home === 'B');
    const termAt = Date.now();
    process.kill(a!.pid, 'SIGTERM');
    const exit = await a!.exited;
    t.diagnostic(`SIGTERM → A exited in ${Date.now() - termAt} ms`);
    assert.deepEqual(exit, { code: 0, signal: null }, a!.output().slice(-2000));
    await waitFor(() => liveGroupMembers(a!.pid).length === 0, { timeoutMs: 5000, what: 'A\'s node to be gone' });
    await waitFor(() => moved.every((w) => w.subscribed.some((s) => s.at >= termAt)), { timeoutMs: 20_000, what: 'A\'s clients to resubscribe' });
    for (const w of moved) {
      assert.deepEqual(w.lost.map((l) => ({ code: l.code, reason: l.reason })), [{ code: 3001, reason: 'shutdown' }], `${w.user}: the close it saw`);
      const again = w.subscribed.filter((s) => s.at >= termAt);
      assert.deepEqual(again.map((s) => ({ wasRecovering: s.wasRecovering, recovered: s.recovered })), [{ wasRecovering: true, recovered: true }], w.user);
      assert.ok(await holds(adminB!, w.ids.at(-1)!), `${w.user}'s new connection is on B`);
    }
    const times = moved.map((w) => w.subscribed.find((s) => s.at >= termAt)!.at - termAt).sort((x, y) => x - y);
    t.diagnostic(`SIGTERM → recovered:true on B per client (ms): ${times.join(', ')}`);

    await sleep(1000);
    publishing = false;
    await publisher;
    assert.deepEqual(publishErrors, [], 'every publish through B succeeded');
    const last = published.at(-1)!.n;
    assert.deepEqual(published.map((p) => p.offset), published.map((p) => p.n));
    await waitFor(() => watched.every((w) => w.got.length >= last), { timeoutMs: 10_000, what: `publication ${last} at every client` }).catch(() => undefined);
    await sleep(300);
    const expected = Array.from({ length: last }, (_, i) => i + 1);
    for (const w of watched) assert.deepEqual(w.got, expected, `${w.user} got 1..${last} exactly once, in order`);
    for (const w of stayed) assert.equal(w.ids.length, 1, `${w.user} on B never reconnected`);
    t.diagnostic(`${moved.length} clients moved from A to B, ${stayed.length} stayed; ${last} publications, lost 0, duplicated 0`);
  });
});
