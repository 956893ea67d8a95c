/**
 * A supervisor that dies (issue 10 §2, §4): two `switchboard serve` processes on one redis-server,
 * the repository's deploy/haproxy.cfg in front of them on one URL, real centrifuge clients
 * subscribed with recovery through HAProxy, publications flowing through B's HTTP API. Supervisor A's
 * whole process group (supervisor and node) is SIGKILLed mid-stream. A's clients must come back
 * through HAProxy on B and recover from Redis every publication exactly once and in order; A's node
 * must leave B's cluster view within 3 s of A's last heartbeat; A's presence entries must go long
 * before their 60 s TTL would expire them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Centrifuge } from 'centrifuge';
import type { Subscription } from 'centrifuge';
import WebSocket from 'ws';
import { mintConnectionToken } from '../embedded-server/index.js';
import type { ClusterSnapshot, ConnectionRow } from '../shared/admin/admin-model.js';
import { AdminClient } from './support/admin-client.js';
import { startHaproxy } from './support/haproxy.js';
import type { RunningHaproxy } from './support/haproxy.js';
import { startRedis } from './support/redis-server.js';
import type { RunningRedis } from './support/redis-server.js';
import { liveGroupMembers, processAlive, startServe } from './support/serve-process.js';
import type { ServeProcess } from './support/serve-process.js';
import { sleep, waitFor } from './support/test-cluster.js';

const CHANNEL = 'chat:failover'; // `chat`: history 100 / 5 min, forced recovery, presence, join/leave
const TOKEN_SECRET = randomBytes(32).toString('base64url');
const API_KEY = randomBytes(16).toString('hex');
/** Clients connected through HAProxy until at least this many sit on each supervisor. */
const WANT_ON_A = 3;
const WANT_ON_B = 2;
const MAX_CLIENTS = 16;
/** Pause between two publications through B (~12/s: a 5 s outage stays well inside the history of 100). */
const PUBLISH_GAP_MS = 80;
/** The spec: a supervisor that misses 3 one-second heartbeats leaves. Bound = that + one check period + slack for a shared machine. */
const LEAVE_BOUND_MS = 5_000;
/** Presence entries expire after 60 s unrefreshed; the survivor should reap them long before. */
const PRESENCE_BOUND_MS = 20_000;

interface Watched {
  user: string;
  client: Centrifuge;
  sub: Subscription;
  /** Connection ids in order: the first from the first connect, one more per reconnect. */
  ids: string[];
  home: 'A' | 'B';
  /** Every publication's `n`, in arrival order. */
  got: number[];
  subscribed: { at: number; wasRecovering: boolean; recovered: boolean }[];
  /** Client ids named by `leave` pushes. */
  leaves: Set<string>;
}

describe('a supervisor SIGKILLed behind HAProxy, on one Redis', () => {
  let redis: RunningRedis | undefined;
  let a: ServeProcess | undefined;
  let b: ServeProcess | undefined;
  let lb: RunningHaproxy | undefined;
  let adminA: AdminClient | undefined;
  let adminB: AdminClient | undefined;
  let aName = '';
  let aNodePids: number[] = [];
  const watched: Watched[] = [];

  // The publisher: sequential publishes through B's HTTP API until `stopPublishing`.
  const published: { n: number; offset: number }[] = [];
  const publishErrors: string[] = [];
  let publishing = true;
  let publisher: Promise<void> = Promise.resolve();

  // Set by the kill.
  let killAt = 0;
  let presenceGone: Promise<{ at: number } | { error: string }> | undefined;

  before(async () => {
    redis = await startRedis();
    const serveArgs = ['--nodes', '1', '--engine', 'redis', '--redis-url', redis.url, '--port', '0', '--admin-port', '0'];
    // Both supervisors share the secrets (flags win over a stored file; here through the environment).
    const env = { SWITCHBOARD_TOKEN_SECRET: TOKEN_SECRET, SWITCHBOARD_API_KEY: API_KEY };
    [a, b] = await Promise.all([startServe(serveArgs, { env }), startServe(serveArgs, { env })]);
    lb = await startHaproxy({ supervisorA: a.port, supervisorB: b.port });
    adminA = await AdminClient.connect(a);
    adminB = await AdminClient.connect(b);
    aName = adminA.snapshot.engine?.supervisor ?? '';
    assert.ok(aName !== '', 'A\'s admin snapshot names its supervisor (engine.supervisor)');
    // A's own nodes: `node-N` (another supervisor's show as `<supervisor>/node-N`).
    aNodePids = adminA.snapshot.nodes.filter((n) => !n.id.includes('/')).map((n) => n.pid);
    assert.equal(aNodePids.length, 1);

    // Clients through HAProxy (leastconn) until both supervisors hold enough of them.
    for (let i = 0; i < MAX_CLIENTS; i++) {
      const onA = watched.filter((w) => w.home === 'A').length;
      const onB = watched.filter((w) => w.home === 'B').length;
      if (onA >= WANT_ON_A && onB >= WANT_ON_B) break;
      watched.push(await connectThroughLb(`user-${i}`));
    }
    const counts = { A: watched.filter((w) => w.home === 'A').length, B: watched.filter((w) => w.home === 'B').length };
    assert.ok(counts.A >= WANT_ON_A && counts.B >= WANT_ON_B, `HAProxy spread ${MAX_CLIENTS} clients as ${JSON.stringify(counts)}`);

    // The health check passes on both (a failing /healthz check would have logged "is DOWN").
    assert.doesNotMatch(lb.output(), /is DOWN/, 'HAProxy found both supervisors healthy');

    // B's HTTP API sees every client's presence before anything dies.
    await waitFor(async () => {
      const ids = new Set(Object.keys(await presenceOnB()));
      return watched.every((w) => ids.has(w.ids[0]!));
    }, { timeoutMs: 5000, what: 'every client in B\'s presence' });
    // The HTTP API answers on HAProxy's URL too, with the clients of both supervisors.
    const { num_clients } = await api<{ num_clients: number }>('presence_stats', { channel: CHANNEL }, lb.apiUrl);
    assert.equal(num_clients, watched.length, 'presence_stats through HAProxy counts every client');

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
    const client = new Centrifuge(lb!.clientUrl, { websocket: WebSocket, token });
    client.on('error', () => undefined);
    const w: Watched = { user, client, sub: client.newSubscription(CHANNEL, { joinLeave: true }), ids: [], home: 'A', got: [], subscribed: [], leaves: new Set() };
    client.on('connected', (ctx) => w.ids.push(ctx.client));
    w.sub.on('publication', (ctx) => w.got.push((ctx.data as { n: number }).n));
    w.sub.on('subscribed', (ctx) => w.subscribed.push({ at: Date.now(), wasRecovering: ctx.wasRecovering, recovered: ctx.recovered }));
    w.sub.on('leave', (ctx) => w.leaves.add(ctx.info.client));
    w.sub.subscribe();
    client.connect();
    await w.sub.ready(5000);
    const id = w.ids[0]!;
    let home: 'A' | 'B' | undefined;
    await waitFor(async () => {
      if (await holds(adminA!, id)) home = 'A';
      else if (await holds(adminB!, id)) home = 'B';
      return home !== undefined;
    }, { timeoutMs: 5000, what: `${id} in A's or B's connections` });
    w.home = home!;
    return w;
  }

  /** The admin API's connection rows for `client` that live on that admin's own supervisor. */
  async function holds(admin: AdminClient, client: string): Promise<boolean> {
    const self = admin.snapshot.engine?.supervisor;
    const { items } = await admin.request('connections.query', { filter: { client } });
    return items.some((row: ConnectionRow) => !row.node.includes('/') && (row.supervisor === undefined || row.supervisor === self));
  }

  /** A server HTTP API call through B (default) or any other API URL; answers its result. */
  async function api<T>(method: string, body: unknown, apiUrl = b!.apiUrl): Promise<T> {
    const res = await fetch(`${apiUrl}/${method}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = JSON.parse(text) as { result?: T; error?: unknown };
    if (res.status !== 200 || parsed.result === undefined) throw new Error(`${method}: HTTP ${res.status} ${text}`);
    return parsed.result;
  }

  async function presenceOnB(): Promise<Record<string, { client: string }>> {
    return (await api<{ presence: Record<string, { client: string }> }>('presence', { channel: CHANNEL })).presence;
  }

  async function publishLoop(): Promise<void> {
    for (let n = 1; publishing && n <= 2000; n++) {
      try {
        const { offset } = await api<{ offset: number }>('publish', { channel: CHANNEL, data: { n } });
        published.push({ n, offset });
      } catch (error) {
        publishErrors.push(`${n}: ${(error as Error).message}`);
        if (publishErrors.length > 20) return;
      }
      await sleep(PUBLISH_GAP_MS);
    }
  }

  it('SIGKILL of A\'s process group ends the supervisor and its node, leaving no process behind', async (t) => {
    const aClientIds = watched.filter((w) => w.home === 'A').map((w) => w.ids[0]!);
    killAt = Date.now();
    presenceGone = waitPresenceGone(aClientIds);
    await a!.killGroup('SIGKILL');
    assert.equal((await a!.exited).signal, 'SIGKILL');
    await waitFor(() => liveGroupMembers(a!.pid).length === 0 && aNodePids.every((pid) => !processAlive(pid)), {
      timeoutMs: 5000, what: `A's process group ${a!.pid} (node pids ${aNodePids.join(', ')}) to be gone`,
    });
    const markedDown = await lb!.waitForLine(/Server supervisors\/a is DOWN/, 10_000, killAt);
    t.diagnostic(`HAProxy marked supervisor A down ${markedDown - killAt} ms after the SIGKILL`);
  });

  it('A\'s clients reconnect through HAProxy to B and recover every publication exactly once and in order', async (t) => {
    assert.ok(killAt > 0, 'A was killed');
    const moved = watched.filter((w) => w.home === 'A');
    const stayed = watched.filter((w) => w.home === 'B');
    const recoveredAfterKill = (w: Watched): Watched['subscribed'][number] | undefined => w.subscribed.find((s) => s.at >= killAt);
    await waitFor(() => moved.every((w) => recoveredAfterKill(w) !== undefined), { timeoutMs: 20_000, what: 'A\'s clients to resubscribe' });
    const times = moved.map((w) => recoveredAfterKill(w)!.at - killAt).sort((x, y) => x - y);
    t.diagnostic(`kill → recovered per client (ms): ${times.join(', ')}; p50 ${times[Math.floor((times.length - 1) / 2)]}, max ${times[times.length - 1]}`);
    for (const w of moved) {
      const { wasRecovering, recovered } = recoveredAfterKill(w)!;
      assert.deepEqual({ wasRecovering, recovered }, { wasRecovering: true, recovered: true }, `${w.user} resubscribed with recovered: true`);
    }
    // Their new connections are B's.
    for (const w of moved) assert.ok(await holds(adminB!, w.ids[w.ids.length - 1]!), `${w.user}'s new connection is on B`);

    await sleep(1000); // publishing goes on after the recovery
    publishing = false;
    await publisher;
    assert.deepEqual(publishErrors, [], 'every publish through B succeeded');
    const last = published[published.length - 1]!.n;
    assert.deepEqual(published.map((p) => p.offset), published.map((p) => p.n), 'B assigned offsets 1..N in publish order');
    await waitFor(() => watched.every((w) => w.got.length >= last), { timeoutMs: 10_000, what: `publication ${last} at every client` });
    await sleep(300); // a duplicate would arrive right behind the last one

    const expected = Array.from({ length: last }, (_, i) => i + 1);
    for (const w of watched) {
      const distinct = new Set(w.got);
      const lost = expected.filter((n) => !distinct.has(n)).length;
      const duplicated = w.got.length - distinct.size;
      t.diagnostic(`${w.user} (${w.home === 'A' ? 'moved from A' : 'stayed on B'}): ${w.got.length} received of ${last}, lost ${lost}, duplicated ${duplicated}`);
      assert.deepEqual(w.got, expected, `${w.user} got 1..${last} exactly once, in order`);
    }
    for (const w of stayed) assert.equal(w.ids.length, 1, `${w.user} on B never reconnected`);
    for (const w of moved) assert.equal(w.ids.length, 2, `${w.user} reconnected exactly once`);
  });

  it('A\'s node leaves B\'s cluster snapshot within 3 s of A\'s last heartbeat', async (t) => {
    assert.ok(killAt > 0, 'A was killed');
    const showsA = (s: ClusterSnapshot): boolean =>
      (s.supervisors ?? []).some((v) => v.id === aName) || s.nodes.some((n) => n.supervisor === aName || n.id.startsWith(`${aName}/`));
    const before = adminB!.snapshots.filter((s) => s.at < killAt);
    assert.ok(before.some((s) => showsA(s) && s.nodes.some((n) => n.supervisor === aName || n.id.startsWith(`${aName}/`))),
      `B's cluster.snapshot showed A (${aName}) and its node before the kill`);
    await adminB!.snapshotWhere((s) => s.at > killAt && !showsA(s), Math.max(1000, killAt + 15_000 - Date.now()), 'a B snapshot without A');
    const gone = adminB!.snapshots.find((s) => s.at > killAt && !showsA(s))!;
    const lastHeard = Math.max(...adminB!.snapshots.flatMap((s) => (s.supervisors ?? []).filter((v) => v.id === aName).map((v) => v.heardAt)));
    const left = adminB!.events.find((e) => e.type === 'supervisor.left' && e.supervisor === aName);
    const leftAt = left?.at ?? gone.at;
    t.diagnostic(`A left B's view ${leftAt - lastHeard} ms after A's last heartbeat heard by B (${leftAt - killAt} ms after the SIGKILL; first snapshot without A ${gone.at - killAt} ms after it)`);
    assert.ok(left !== undefined && left.type === 'supervisor.left', 'B logged supervisor.left for A');
    assert.equal(left.nodes, 1, 'supervisor.left names A\'s one node');
    assert.ok(leftAt - lastHeard <= LEAVE_BOUND_MS, `A left ${leftAt - lastHeard} ms after its last heartbeat (bound ${LEAVE_BOUND_MS} ms)`);
  });

  it('A\'s clients\' presence entries leave B\'s HTTP API presence well within the 60 s TTL, with leave pushes', async (t) => {
    assert.ok(presenceGone !== undefined, 'A was killed');
    const result = await presenceGone;
    assert.ok('at' in result, 'error' in result ? result.error : '');
    t.diagnostic(`A's old presence entries gone from B's HTTP API ${result.at - killAt} ms after the SIGKILL`);
    const oldIds = watched.filter((w) => w.home === 'A').map((w) => w.ids[0]!);
    // B's clients stayed subscribed throughout with join/leave on: each hears every old connection of A leave.
    const stayed = watched.filter((w) => w.home === 'B');
    await waitFor(() => stayed.every((w) => oldIds.every((id) => w.leaves.has(id))), {
      timeoutMs: 5000, what: 'a leave push for each of A\'s old connections at every client on B',
    });
  });

  /** Polls B's HTTP API presence from the kill on; resolves when none of `ids` is left, or with an error past the bound. */
  async function waitPresenceGone(ids: string[]): Promise<{ at: number } | { error: string }> {
    const deadline = killAt + PRESENCE_BOUND_MS;
    let left: string[] = ids;
    while (Date.now() <= deadline) {
      try {
        const present = await presenceOnB();
        left = ids.filter((id) => present[id] !== undefined);
        if (left.length === 0) return { at: Date.now() };
      } catch (error) {
        return { error: `presence through B failed: ${(error as Error).message}` };
      }
      await sleep(200);
    }
    return { error: `A's old connections ${left.join(', ')} still in B's presence ${PRESENCE_BOUND_MS} ms after the SIGKILL` };
  }
});
