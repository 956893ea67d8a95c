/**
 * Admission control at the gateway (issue 11 §3): the connect rate of the whole gateway and of one
 * address, the per-node connection cap and the per-user cap across nodes. Refusals of the first
 * three are HTTP 503 with Retry-After, which the real centrifuge client treats as a failed
 * transport and retries with backoff; the per-user cap closes 3504, terminal, as in Centrifugo.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';
import { upgrade } from './support/upgrade-attempt.js';
import type { Upgrade } from './support/upgrade-attempt.js';

async function clientsPerNode(cluster: TestCluster): Promise<number[]> {
  const info = (await cluster.api('info', {})).body as { result: { nodes: { name: string; num_clients: number }[] } };
  return info.result.nodes.sort((a, b) => a.name.localeCompare(b.name)).map((n) => n.num_clients);
}

type Refused = Extract<Upgrade, { ok: false }>;
const refusedOf = (all: Upgrade[]): Refused[] => all.filter((u): u is Refused => !u.ok);
const openOf = (all: Upgrade[]): WebSocket[] => all.flatMap((u) => (u.ok ? [u.ws] : []));

/** Records a real client's transports (each one WebSocket it opened) and the codes of its 'disconnected' events. */
function watch(client: Centrifuge): { transports: () => number; disconnected: number[] } {
  const seen = { transports: () => counted.get(client) ?? 0, disconnected: [] as number[] };
  client.on('disconnected', (ctx) => seen.disconnected.push(ctx.code));
  return seen;
}

/** Transports opened per client: the WebSocket class given to the client counts its constructions. */
const counted = new Map<Centrifuge, number>();
function countingWebSocket(owner: () => Centrifuge | undefined): new (address: string, protocols?: string | string[]) => WebSocket {
  return class extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      const c = owner();
      if (c) counted.set(c, (counted.get(c) ?? 0) + 1);
    }
  };
}

/** A real client for `user` whose transports are counted. */
async function patientClient(cluster: TestCluster, user: string): Promise<{ client: Centrifuge; seen: ReturnType<typeof watch> }> {
  const holder: { client?: Centrifuge } = {};
  const client = await cluster.client(user, { minReconnectDelay: 200, maxReconnectDelay: 1000, websocket: countingWebSocket(() => holder.client) });
  holder.client = client;
  return { client, seen: watch(client) };
}

describe('the gateway-wide connect rate (client.connection_rate_limit)', () => {
  let cluster: TestCluster;
  const sockets: WebSocket[] = [];
  before(async () => {
    cluster = await startTestCluster({ nodes: 1, admission: { connectionRateLimit: 4 } });
  });
  after(async () => {
    for (const ws of sockets) ws.terminate();
    await cluster?.stop();
  });

  it('answers a burst past it with 503, Retry-After and the setting, admitting about one second\'s worth, while the node lives', async () => {
    const pid = cluster.pids()[0]!;
    const all = await Promise.all(Array.from({ length: 12 }, () => upgrade(cluster.url)));
    sockets.push(...openOf(all));
    const refused = refusedOf(all);
    // 4 tokens at once, one more every 250 ms while the burst lasts (a slow machine stretches it).
    assert.ok(openOf(all).length >= 4 && openOf(all).length <= 8, `${openOf(all).length} of 12 admitted`);
    assert.equal(refused.length, 12 - openOf(all).length);
    for (const r of refused) {
      assert.equal(r.status, 503);
      assert.equal(r.retryAfter, '1');
      assert.match(r.body, /too many new connections \(client\.connection_rate_limit: 4\/s\); retry later/);
    }
    assert.deepEqual(cluster.pids(), [pid]);
  });

  it('lets a real centrifuge client that was refused reconnect with backoff until it is admitted', async () => {
    sockets.push(...openOf(await Promise.all(Array.from({ length: 10 }, () => upgrade(cluster.url)))));
    const { client, seen } = await patientClient(cluster, 'patient');
    client.connect();
    await waitFor(() => client.state === 'connected', { timeoutMs: 15_000, what: 'the refused client to get in' });
    assert.ok(seen.transports() >= 2, `admitted on its first transport (${seen.transports()}): it was never refused`);
    assert.deepEqual(seen.disconnected, []);
  });
});

describe('the connect rate of one address (client.connection_rate_limit_per_ip)', () => {
  let cluster: TestCluster;
  const sockets: WebSocket[] = [];
  before(async () => {
    cluster = await startTestCluster({ nodes: 1, admission: { connectionRateLimitPerIp: 3 } });
  });
  after(async () => {
    for (const ws of sockets) ws.terminate();
    await cluster?.stop();
  });

  it('refuses a burst from 127.0.0.2 past it, naming the address, while 127.0.0.1 is admitted at the same time', async () => {
    const [noisy, quiet] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, () => upgrade(cluster.url, { localAddress: '127.0.0.2' }))),
      Promise.all(Array.from({ length: 3 }, () => upgrade(cluster.url, { localAddress: '127.0.0.1' }))),
    ]);
    sockets.push(...openOf(noisy), ...openOf(quiet));
    assert.equal(openOf(quiet).length, 3, JSON.stringify(refusedOf(quiet)));
    assert.ok(openOf(noisy).length >= 3 && openOf(noisy).length <= 6, `${openOf(noisy).length} of 10 admitted from 127.0.0.2`);
    for (const r of refusedOf(noisy)) {
      assert.equal(r.status, 503);
      assert.ok(Number(r.retryAfter) >= 1, `Retry-After ${r.retryAfter}`);
      assert.match(r.body, /from 127\.0\.0\.2 \(client\.connection_rate_limit_per_ip: 3\/s\)/);
    }
  });
});

describe('the per-node connection cap (client.connection_limit)', () => {
  let cluster: TestCluster;
  const sockets: WebSocket[] = [];
  before(async () => {
    cluster = await startTestCluster({ nodes: 2, admission: { connectionLimit: 3 } });
  });
  after(async () => {
    for (const ws of sockets) ws.terminate();
    await cluster?.stop();
  });

  it('fills every node to the cap, answers 503 naming it once all are full, and admits a waiting real client when one leaves', async () => {
    for (let i = 0; i < 6; i++) {
      const u = await upgrade(cluster.url, { token: await cluster.token(`capped-${i}`) });
      assert.ok(u.ok && u.reply && 'connect' in u.reply, `connection ${i}: ${JSON.stringify(u.ok ? u.reply ?? u.close : u)}`);
      sockets.push(u.ws);
    }
    const extra = await upgrade(cluster.url);
    assert.ok(!extra.ok, 'a seventh connection was admitted');
    assert.equal(extra.status, 503);
    assert.equal(extra.retryAfter, '1');
    assert.match(extra.body, /every node holds client\.connection_limit \(3\) connections/);
    await waitFor(async () => (await clientsPerNode(cluster)).join() === '3,3', { what: 'three clients on each node' });

    const { client, seen } = await patientClient(cluster, 'waiting');
    client.connect();
    await waitFor(() => seen.transports() >= 2, { timeoutMs: 5000, what: 'the waiting client to be refused and retry' });
    sockets.shift()!.close();
    await waitFor(() => client.state === 'connected', { timeoutMs: 10_000, what: 'the waiting client to get the freed place' });
    assert.deepEqual(seen.disconnected, []);
  });
});

describe("a user's connections across nodes (client.user_connection_limit)", () => {
  let cluster: TestCluster;
  const sockets: WebSocket[] = [];
  before(async () => {
    cluster = await startTestCluster({ nodes: 2, strategy: 'round-robin', client: { userConnectionLimit: 2 } });
  });
  after(async () => {
    for (const ws of sockets) ws.terminate();
    await cluster?.stop();
  });

  it("closes a connect past it with 3504, counting the user's connections on every node of the supervisor, and admits again after one closes", async () => {
    const token = await cluster.token('alice');
    for (let i = 0; i < 2; i++) {
      const u = await upgrade(cluster.url, { token });
      assert.ok(u.ok && u.reply && 'connect' in u.reply, JSON.stringify(u.ok ? u.reply ?? u.close : u));
      sockets.push(u.ws);
    }
    // Round-robin put one on each node: neither node alone holds two of alice's connections.
    await waitFor(async () => (await clientsPerNode(cluster)).join() === '1,1', { what: "one of alice's connections on each node" });
    for (let i = 0; i < 2; i++) {
      const third = await upgrade(cluster.url, { token });
      assert.ok(third.ok, JSON.stringify(third));
      assert.deepEqual(third.close, { code: 3504, reason: 'connection limit' });
    }

    const { client: real, seen } = await patientClient(cluster, 'alice');
    real.connect();
    await waitFor(() => seen.disconnected.length > 0, { timeoutMs: 5000, what: 'the real client to be refused' });
    assert.deepEqual(seen.disconnected, [3504]);
    assert.equal(real.state, 'disconnected');

    const bob = await upgrade(cluster.url, { token: await cluster.token('bob') });
    assert.ok(bob.ok && bob.reply && 'connect' in bob.reply, 'another user was refused');
    sockets.push(bob.ws);

    sockets.shift()!.close();
    await waitFor(async () => {
      const again = await upgrade(cluster.url, { token });
      if (again.ok && again.reply && 'connect' in again.reply) {
        sockets.push(again.ws);
        return true;
      }
      if (again.ok) again.ws.terminate();
      return false;
    }, { timeoutMs: 5000, intervalMs: 100, what: 'alice to be admitted again after one of hers closed' });
  });
});
