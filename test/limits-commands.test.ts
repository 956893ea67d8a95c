/**
 * Per-connection rates of publish, subscribe, presence and history (`client.method_rate_limit`,
 * issue 11 §3): past the rate a command is answered error 111 "too many requests" and the
 * connection lives on (the real client may retry); a connection that keeps going past twice the
 * rate within the second is closed 3013, which makes the client reconnect with backoff.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Bystander } from './support/bystander.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import { connectRaw } from './support/raw-peer.js';
import type { RawPeer } from './support/raw-peer.js';
import { sleep, startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const RATE = 5;

/** Waits for the start of a second, so a burst's commands fall in one rate window. */
async function startOfSecond(): Promise<void> {
  await sleep(1000 - (Date.now() % 1000) + 20);
}

/** The error codes of the replies with these ids (0 = a result), once all arrived. */
async function replyCodes(peer: RawPeer, ids: number[]): Promise<number[]> {
  await waitFor(() => ids.every((id) => peer.received.some((m) => m.id === id)), { what: `replies ${ids[0]}…${ids.at(-1)}` });
  return ids.map((id) => ((peer.received.find((m) => m.id === id)!.error as { code?: number } | undefined)?.code ?? 0));
}

describe('per-kind command rates (client.method_rate_limit)', () => {
  let cluster: TestCluster;
  let bystander: Bystander;
  let pid: number;
  before(async () => {
    cluster = await startTestCluster({ nodes: 1, client: { methodRateLimit: { publish: RATE, subscribe: RATE, presence: RATE, history: RATE } } });
    pid = cluster.pids()[0]!;
    bystander = await Bystander.start(cluster, 'bystander', 'chat:calm');
  });
  after(async () => {
    await cluster?.stop();
  });

  const kinds: [string, (id: number) => object][] = [
    ['publish', (id) => ({ id, publish: { channel: 'chat:rated', data: { id } } })],
    ['subscribe', (id) => ({ id, subscribe: { channel: `chat:s${id}` } })],
    ['presence', (id) => ({ id, presence: { channel: 'chat:rated' } })],
    ['presence_stats', (id) => ({ id, presence_stats: { channel: 'chat:rated' } })],
    ['history', (id) => ({ id, history: { channel: 'chat:rated', limit: 1 } })],
  ];
  for (const [kind, command] of kinds) {
    it(`answers ${kind} past ${RATE} a second with 111 "too many requests" and keeps the connection`, async () => {
      const peer = await connectRaw(cluster, `rated-${kind}`);
      peer.send({ id: 2, subscribe: { channel: 'chat:rated' } });
      await peer.reply(2);
      await startOfSecond();
      const ids = Array.from({ length: RATE + 3 }, (_, i) => 100 + i);
      peer.send(...ids.map(command));
      const codes = await replyCodes(peer, ids);
      assert.ok(codes.slice(0, RATE).every((c) => c !== 111), `within the rate: ${codes.join(',')}`);
      assert.deepEqual(codes.slice(RATE), [111, 111, 111]);
      const refused = peer.received.find((m) => m.id === ids.at(-1))!.error as { message: string; temporary?: boolean };
      assert.deepEqual(refused, { code: 111, message: 'too many requests', temporary: true });
      await sleep(50);
      assert.ok(peer.open, `closed: ${JSON.stringify(peer.closeEvent)}`);
      peer.ws.close();
    });
  }

  it('closes a connection that sends more than twice the rate in one second with 3013 "too many requests"', async () => {
    const peer = await connectRaw(cluster, 'keeps-going');
    peer.send({ id: 2, subscribe: { channel: 'chat:rated' } });
    await peer.reply(2);
    await startOfSecond();
    peer.send(...Array.from({ length: 3 * RATE }, (_, i) => ({ id: 100 + i, publish: { channel: 'chat:rated', data: { i } } })));
    assert.deepEqual(await peer.closed(5000), { code: 3013, reason: 'too many requests' });
    const codes = peer.received.filter((m) => typeof m.id === 'number' && m.id >= 100).map((m) => (m.error as { code?: number } | undefined)?.code ?? 0);
    assert.deepEqual(codes, [...Array(RATE).fill(0), ...Array(RATE).fill(111)]);
    assert.deepEqual(cluster.pids(), [pid]);
    await bystander.assertServed();
  });

  it('rejects a real client\'s publishes past the rate with 111 while it stays connected, and accepts them again the next second', async () => {
    const { client } = await connectClient(cluster, 'real-publisher');
    await subscribeTo(client, 'chat:rated');
    await startOfSecond();
    const outcomes = await Promise.allSettled(Array.from({ length: RATE + 2 }, (_, i) => client.publish('chat:rated', { i })));
    const codes = outcomes.map((o) => (o.status === 'fulfilled' ? 0 : (o.reason as { code: number }).code));
    assert.deepEqual(codes, [...Array(RATE).fill(0), 111, 111]);
    assert.equal(client.state, 'connected');
    await startOfSecond();
    await client.publish('chat:rated', { again: true });
    await bystander.assertServed();
  });

  it('has a real client whose subscribes past the rate were answered 111 retry them with backoff until all are subscribed, never giving up', async (t) => {
    const { client } = await connectClient(cluster, 'real-subscriber');
    let reconnects = 0;
    let gaveUp = false;
    client.on('connecting', () => reconnects++);
    client.on('disconnected', () => (gaveUp = true));
    const errors: number[] = [];
    await startOfSecond();
    const subs = Array.from({ length: RATE + 3 }, (_, i) => {
      const sub = client.newSubscription(`chat:many-${i}`, { minResubscribeDelay: 200, maxResubscribeDelay: 1000 });
      sub.on('error', (ctx) => errors.push(ctx.error.code));
      sub.subscribe();
      return sub;
    });
    await waitFor(() => subs.every((sub) => sub.state === 'subscribed'), { timeoutMs: 10_000, what: 'every subscription to succeed in the end' });
    // Retries landing in the same second can pass twice the rate (3013): the client then reconnects
    // with backoff and resubscribes; either way it never gives up.
    t.diagnostic(`subscribe errors ${errors.join(',')}; reconnects ${reconnects}`);
    assert.ok(errors.includes(111), `no subscribe was answered 111: errors ${errors.join(',')}`);
    assert.equal(gaveUp, false);
    assert.equal(client.state, 'connected');
  });
});
