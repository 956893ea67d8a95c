/** The client protocol across a real 3-node cluster, driven by the real centrifuge client. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import type { Centrifuge, PublicationContext, Subscription } from 'centrifuge';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

/** Connects a client; answers it with the node it landed on (from the HTTP API `info`). */
async function connected(c: Centrifuge): Promise<Centrifuge> {
  c.connect();
  await c.ready(5000);
  return c;
}

function collect(sub: Subscription): PublicationContext[] {
  const got: PublicationContext[] = [];
  sub.on('publication', (ctx) => got.push(ctx));
  return got;
}

describe('the client protocol across nodes', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ strategy: 'round-robin' });
  });
  after(() => cluster.stop());

  it('delivers a publication made through one node once, in order, to a subscriber on another', async () => {
    const a = await connected(await cluster.client('ann'));
    const b = await connected(await cluster.client('bob'));
    const subA = a.newSubscription('chat:cross');
    const got = collect(subA);
    subA.subscribe();
    await subA.ready(5000);
    const subB = b.newSubscription('chat:cross');
    subB.subscribe();
    await subB.ready(5000);
    for (let i = 1; i <= 20; i++) await subB.publish({ n: i });
    await waitFor(() => got.length >= 20, { what: '20 publications' });
    assert.deepEqual(got.map((p) => (p.data as { n: number }).n), Array.from({ length: 20 }, (_, i) => i + 1));
    assert.deepEqual(got.map((p) => p.offset), Array.from({ length: 20 }, (_, i) => i + 1));
    assert.equal(got[0]!.info?.user, 'bob');
  });

  it('lands consecutive round-robin connections on different nodes', async () => {
    await waitFor(async () => {
      const info = (await cluster.api('info', {})).body as { result: { nodes: { num_clients: number }[] } };
      return info.result.nodes.filter((n) => n.num_clients > 0).length >= 2;
    }, { what: 'clients on two nodes' });
  });

  it('shares presence and join/leave between subscribers on different nodes', async () => {
    const a = await connected(await cluster.client('carol'));
    const b = await connected(await cluster.client('dave'));
    const subA = a.newSubscription('chat:presence', { joinLeave: true });
    const joins: string[] = [];
    const leaves: string[] = [];
    subA.on('join', (ctx) => joins.push(ctx.info.user));
    subA.on('leave', (ctx) => leaves.push(ctx.info.user));
    subA.subscribe();
    await subA.ready(5000);
    const subB = b.newSubscription('chat:presence');
    subB.subscribe();
    await subB.ready(5000);
    await waitFor(() => joins.includes('dave'), { what: "dave's join" });
    const presence = await subA.presence();
    assert.deepEqual(Object.values(presence.clients).map((c) => c.user).sort(), ['carol', 'dave']);
    const stats = await subA.presenceStats();
    assert.deepEqual(stats, { numClients: 2, numUsers: 2 });
    subB.unsubscribe();
    await waitFor(() => leaves.includes('dave'), { what: "dave's leave" });
    assert.deepEqual(Object.values((await subA.presence()).clients).map((c) => c.user), ['carol']);
  });

  it('answers history with offsets, limits and reverse order', async () => {
    const c = await connected(await cluster.client('erin'));
    const sub = c.newSubscription('chat:history');
    sub.subscribe();
    await sub.ready(5000);
    for (let i = 1; i <= 5; i++) await sub.publish({ n: i });
    const all = await sub.history({ limit: -1 });
    assert.deepEqual(all.publications.map((p) => p.offset), [1, 2, 3, 4, 5]);
    assert.equal(all.offset, 5);
    const last2 = await sub.history({ limit: 2, reverse: true });
    assert.deepEqual(last2.publications.map((p) => (p.data as { n: number }).n), [5, 4]);
    const since = await sub.history({ limit: 10, since: { offset: 3, epoch: all.epoch } });
    assert.deepEqual(since.publications.map((p) => p.offset), [4, 5]);
  });

  it('recovers missed publications on resubscribe, with recovered true', async () => {
    const c = await connected(await cluster.client('finn'));
    const sub = c.newSubscription('chat:recover');
    const got = collect(sub);
    sub.subscribe();
    await sub.ready(5000);
    await cluster.api('publish', { channel: 'chat:recover', data: { n: 1 } });
    await waitFor(() => got.length === 1, { what: 'first publication' });
    c.disconnect();
    for (let i = 2; i <= 4; i++) await cluster.api('publish', { channel: 'chat:recover', data: { n: i } });
    const recovered = new Promise<boolean>((resolve) => sub.once('subscribed', (ctx) => resolve(ctx.recovered)));
    c.connect();
    assert.equal(await recovered, true);
    await waitFor(() => got.length === 4, { what: 'recovered publications' });
    assert.deepEqual(got.map((p) => p.offset), [1, 2, 3, 4]);
  });

  it('refuses a token signed with another secret with close 3500 and no reconnect', async () => {
    const c = await cluster.client('mallory', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl' });
    const disconnected = new Promise<{ code: number; reason: string }>((resolve) => c.once('disconnected', resolve));
    c.connect();
    assert.deepEqual(await disconnected, { code: 3500, reason: 'invalid token' });
  });

  it('asks for a new token when the token expired, and connects with it', async () => {
    const expired = await new SignJWT({ sub: 'gus' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(cluster.config.client.tokenHmacSecret));
    let asked = 0;
    const c = await cluster.client('gus', {
      token: expired,
      getToken: async () => {
        asked++;
        return cluster.token('gus', { ttlSeconds: 3600 });
      },
    });
    c.connect();
    await c.ready(5000);
    assert.equal(asked, 1);
  });
});
