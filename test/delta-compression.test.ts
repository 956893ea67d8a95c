/**
 * Issue 13, delta compression: fossil deltas negotiated per subscription (`delta: 'fossil'`,
 * namespace `allowed_delta_types`), judged by the real centrifuge client — it rebuilds every
 * publication from the deltas it gets, and its own deltaStats() counts them. Plain subscribers in
 * the same channel are untouched; recovery and a second node keep the chain right.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Centrifuge } from 'centrifuge';
import type { Subscription } from 'centrifuge';
import WebSocket from 'ws';
import { generateSecret, mintConnectionToken, resolveConfig } from '../embedded-server/index.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

/** A document that changes a little each time: the shape deltas are for. */
const doc = (version: number): { version: number; title: string; rows: { id: number; label: string; score: number }[] } => ({
  version,
  title: 'Quarterly figures — Zürich',
  rows: Array.from({ length: 60 }, (_, id) => ({ id, label: `row ${id}`, score: id === version % 60 ? version : id })),
});

describe('delta compression', { timeout: 120_000 }, () => {
  let cluster: TestCluster;
  let secret: string;
  const clients: Centrifuge[] = [];

  before(async () => {
    const file = {
      channel: {
        namespaces: [
          { name: 'doc', history_size: 100, history_ttl: '300s', force_positioning: true, force_recovery: true, allowed_delta_types: ['fossil'], delta_publish: true, allow_subscribe_for_client: true },
          { name: 'ondemand', history_size: 100, history_ttl: '300s', force_positioning: true, allowed_delta_types: ['fossil'], allow_subscribe_for_client: true },
          { name: 'plain', history_size: 100, history_ttl: '300s', force_positioning: true, delta_publish: true, allow_subscribe_for_client: true },
        ],
      },
    };
    const resolved = resolveConfig(file, { port: 0, adminPort: 0 }, { tokenSecret: generateSecret(), apiKey: generateSecret() });
    if (!resolved.ok) throw new Error(resolved.error.join('\n'));
    cluster = await startTestCluster({ nodes: 2, strategy: 'round-robin', client: resolved.value.config.client, channels: resolved.value.config.channels });
    secret = resolved.value.config.client.tokenHmacSecret;
  });

  after(async () => {
    for (const c of clients) c.disconnect();
    await cluster?.stop();
  });

  async function client(user: string): Promise<Centrifuge> {
    const c = new Centrifuge(cluster.url, { websocket: WebSocket, token: await mintConnectionToken({ secret, user }), minReconnectDelay: 50, maxReconnectDelay: 200 });
    c.on('error', () => undefined);
    clients.push(c);
    await new Promise<void>((resolve) => {
      c.once('connected', () => resolve());
      c.connect();
    });
    return c;
  }

  async function subscribe(c: Centrifuge, channel: string, delta: boolean): Promise<{ sub: Subscription; got: unknown[] }> {
    const sub = c.newSubscription(channel, delta ? { delta: 'fossil' } : {});
    const got: unknown[] = [];
    sub.on('publication', (ctx) => got.push(ctx.data));
    await new Promise<void>((resolve, reject) => {
      sub.once('subscribed', () => resolve());
      sub.once('unsubscribed', (ctx) => reject(new Error(`unsubscribed ${ctx.code}`)));
      sub.subscribe();
    });
    return { sub, got };
  }

  async function publish(channel: string, from: number, to: number, extra: Record<string, unknown> = {}): Promise<void> {
    for (let v = from; v <= to; v++) {
      const r = await cluster.api('publish', { channel, data: doc(v), ...extra });
      assert.equal(r.status, 200, r.text);
    }
  }

  it('sends deltas the client rebuilds exactly, on two nodes at once, while plain subscribers of the channel get the publications as before', async () => {
    const [a, b, plain] = [await client('ann'), await client('bob'), await client('cy')];
    const subs = [await subscribe(a, 'doc:report', true), await subscribe(b, 'doc:report', true), await subscribe(plain, 'doc:report', false)];
    await publish('doc:report', 1, 20);
    const expected = Array.from({ length: 20 }, (_, i) => doc(i + 1));
    await waitFor(() => subs.every((s) => s.got.length === 20), { what: '20 publications each', timeoutMs: 10_000 });
    for (const s of subs) assert.deepEqual(s.got, expected);
    for (const s of subs.slice(0, 2)) {
      const stats = s.sub.deltaStats();
      assert.equal(stats.numDeltaPayloads, 19, 'every publication after the first came as a delta');
      assert.ok(stats.bytesReceived * 5 < stats.bytesDecoded, `deltas are small: ${stats.bytesReceived} bytes for ${stats.bytesDecoded}`);
    }
    assert.equal(subs[2]!.sub.deltaStats().numPublications, 0, 'the plain subscriber never took the delta path');
  });

  it('sends deltas only for publications that ask for one where the namespace does not delta every publication', async () => {
    const c = await client('dee');
    const s = await subscribe(c, 'ondemand:x', true);
    await publish('ondemand:x', 1, 3);
    await publish('ondemand:x', 4, 6, { delta: true });
    await waitFor(() => s.got.length === 6, { what: '6 publications', timeoutMs: 10_000 });
    assert.deepEqual(s.got, Array.from({ length: 6 }, (_, i) => doc(i + 1)));
    assert.equal(s.sub.deltaStats().numDeltaPayloads, 3);
  });

  it('does not negotiate deltas where the namespace does not allow them', async () => {
    const c = await client('eve');
    const s = await subscribe(c, 'plain:x', true);
    await publish('plain:x', 1, 4);
    await waitFor(() => s.got.length === 4, { what: '4 publications', timeoutMs: 10_000 });
    assert.deepEqual(s.got, Array.from({ length: 4 }, (_, i) => doc(i + 1)));
    assert.equal(s.sub.deltaStats().numDeltaPayloads, 0);
  });

  it('recovers what a delta subscriber missed while away and goes on with deltas after it', async () => {
    const c = await client('fay');
    const s = await subscribe(c, 'doc:live', true);
    await publish('doc:live', 1, 5);
    await waitFor(() => s.got.length === 5, { what: 'the first 5', timeoutMs: 10_000 });
    c.disconnect();
    await publish('doc:live', 6, 10);
    c.connect();
    await waitFor(() => s.got.length === 10, { what: 'the 5 missed ones, recovered', timeoutMs: 10_000 });
    await publish('doc:live', 11, 15);
    await waitFor(() => s.got.length === 15, { what: '15 publications', timeoutMs: 10_000 });
    assert.deepEqual(s.got, Array.from({ length: 15 }, (_, i) => doc(i + 1)));
    assert.ok(s.sub.deltaStats().numDeltaPayloads >= 8, `deltas before and after the recovery: ${JSON.stringify(s.sub.deltaStats())}`);
  });
});
