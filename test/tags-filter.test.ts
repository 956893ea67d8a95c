/**
 * Subscription tags filters (`tf`, namespace option `allow_tags_filter`) across a real 2-node
 * cluster, driven by the real centrifuge client's `tagsFilter` and publications made through the
 * HTTP API with `tags`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Centrifuge, FilterNode, PublicationContext, Subscription } from 'centrifuge';
import { defaultClusterConfig } from '../embedded-server/index.js';
import { settledCounts } from './support/cluster-nodes.js';
import { connectClient } from './support/real-clients.js';
import { connectRaw } from './support/raw-peer.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const AAPL: FilterNode = { key: 'ticker', cmp: 'eq', val: 'AAPL' };

interface Watched {
  sub: Subscription;
  got: PublicationContext[];
  /** Every `subscribed` context, and every `unsubscribed` code, in order. */
  subscribed: { recovered: boolean; wasRecovering: boolean }[];
  unsubscribed: number[];
}

/** A subscription (not yet subscribed) that records what happens to it. */
function watch(client: Centrifuge, channel: string, tagsFilter?: FilterNode): Watched {
  const sub = client.newSubscription(channel, tagsFilter ? { tagsFilter } : {});
  const w: Watched = { sub, got: [], subscribed: [], unsubscribed: [] };
  sub.on('publication', (ctx) => w.got.push(ctx));
  sub.on('subscribed', (ctx) => w.subscribed.push({ recovered: ctx.recovered, wasRecovering: ctx.wasRecovering }));
  sub.on('unsubscribed', (ctx) => w.unsubscribed.push(ctx.code));
  return w;
}

async function subscribed(client: Centrifuge, channel: string, tagsFilter?: FilterNode): Promise<Watched> {
  const w = watch(client, channel, tagsFilter);
  w.sub.subscribe();
  await w.sub.ready(5000);
  return w;
}

const offsets = (w: Watched): (number | undefined)[] => w.got.map((p) => p.offset);

describe('subscription tags filters', () => {
  let cluster: TestCluster;
  let publish: (channel: string, n: number, tags?: Record<string, string>) => Promise<void>;

  before(async () => {
    const base = defaultClusterConfig().channels;
    const chat = base.namespaces.chat!;
    cluster = await startTestCluster({
      nodes: 2,
      strategy: 'round-robin',
      channels: { namespaces: { ...base.namespaces, market: { ...chat, allowTagsFilter: true } } },
    });
    publish = async (channel, n, tags) => {
      const res = await cluster.api('publish', { channel, data: { n }, ...(tags ? { tags } : {}) });
      assert.equal(res.status, 200, res.text);
      assert.ok(!('error' in (res.body as object)), res.text);
    };
  });
  after(() => cluster.stop());

  it('delivers to filtered subscribers only what their filters pass, and everything to an unfiltered one on the other node', async () => {
    const ann = await connectClient(cluster, 'ann');
    await settledCounts(cluster, 1);
    const bob = await connectClient(cluster, 'bob');
    const perNode = await settledCounts(cluster, 2);
    assert.deepEqual([...perNode.values()], [1, 1], 'ann and bob are on different nodes');
    const cid = await connectClient(cluster, 'cid'); // round robin: on ann's node

    const byTicker = await subscribed(ann.client, 'market:live', AAPL);
    const all = await subscribed(bob.client, 'market:live');
    const byPrice = await subscribed(cid.client, 'market:live', { key: 'price', cmp: 'gt', val: '100' });
    await publish('market:live', 1, { ticker: 'AAPL', price: '150.25' });
    await publish('market:live', 2, { ticker: 'MSFT', price: '99.5' });
    await publish('market:live', 3, { ticker: 'AAPL', price: '90' });
    await publish('market:live', 4);
    await publish('market:live', 5, { ticker: 'GOOG', price: '2800' });
    await publish('market:live', 6, { ticker: 'AAPL', price: '151' });

    // Delivery keeps order, so once offset 6 arrived nothing earlier is still coming.
    for (const w of [byTicker, all, byPrice]) await waitFor(() => w.got.at(-1)?.offset === 6, { what: 'offset 6' });
    assert.deepEqual(offsets(all), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(offsets(byTicker), [1, 3, 6]);
    assert.deepEqual(offsets(byPrice), [1, 5, 6]);
    assert.deepEqual(byTicker.got.map((p) => p.data), [{ n: 1 }, { n: 3 }, { n: 6 }]);
    assert.deepEqual(byTicker.got[0]!.tags, { ticker: 'AAPL', price: '150.25' });
    for (const w of [byTicker, all, byPrice]) assert.deepEqual(w.unsubscribed, []);
  });

  it('recovers after a reconnect only the publications the filter passes, and reports recovered also when all were filtered out', async () => {
    const { client } = await connectClient(cluster, 'dora');
    const w = await subscribed(client, 'market:recover', AAPL);
    await publish('market:recover', 1, { ticker: 'AAPL' });
    await waitFor(() => w.got.length === 1, { what: 'the first publication' });

    client.disconnect();
    await publish('market:recover', 2, { ticker: 'MSFT' });
    await publish('market:recover', 3, { ticker: 'AAPL' });
    await publish('market:recover', 4);
    await publish('market:recover', 5, { ticker: 'AAPL' });
    await publish('market:recover', 6, { ticker: 'MSFT' });
    client.connect();
    await waitFor(() => w.subscribed.length === 2, { what: 'the resubscribe' });
    assert.deepEqual(w.subscribed[1], { recovered: true, wasRecovering: true });
    await waitFor(() => w.got.length === 3, { what: 'the recovered publications' });
    assert.deepEqual(offsets(w), [1, 3, 5]);

    // Only filtered-out publications while away: the client's position (5) is behind the stream
    // top (8), yet nothing is missing — the recovery succeeds with nothing to send.
    client.disconnect();
    await publish('market:recover', 7, { ticker: 'MSFT' });
    await publish('market:recover', 8, { ticker: 'GOOG' });
    client.connect();
    await waitFor(() => w.subscribed.length === 3, { what: 'the second resubscribe' });
    assert.deepEqual(w.subscribed[2], { recovered: true, wasRecovering: true });
    await publish('market:recover', 9, { ticker: 'MSFT' });
    await publish('market:recover', 10, { ticker: 'AAPL' });
    await waitFor(() => w.got.length === 4, { what: 'the next live publication' });
    assert.deepEqual(offsets(w), [1, 3, 5, 10]);
    assert.deepEqual(w.unsubscribed, []);
    assert.equal(w.sub.state, 'subscribed');
  });

  it('refuses a tags filter with 107 in a namespace without allow_tags_filter', async () => {
    const { client } = await connectClient(cluster, 'emil');
    const w = watch(client, 'chat:nofilter', AAPL);
    w.sub.subscribe();
    await waitFor(() => w.unsubscribed.length === 1, { what: 'the refusal' });
    assert.deepEqual(w.unsubscribed, [107]);
    assert.equal(w.sub.state, 'unsubscribed');
    // The same channel without a filter is fine.
    await subscribed(client, 'chat:nofilter-plain');
  });

  it('refuses an invalid tags filter with 107', async () => {
    const { client } = await connectClient(cluster, 'fay');
    let deep: FilterNode = AAPL;
    for (let i = 0; i < 20; i++) deep = { op: 'not', nodes: [deep] };
    const invalid = [
      { key: 'ticker', cmp: 'starts', val: 'A' } as unknown as FilterNode,
      { key: 'ticker', cmp: 'eq' } as FilterNode,
      { op: 'and', nodes: [] } as FilterNode,
      deep,
    ];
    const watched = invalid.map((tf, i) => watch(client, `market:invalid-${i}`, tf));
    for (const w of watched) w.sub.subscribe();
    for (const w of watched) await waitFor(() => w.unsubscribed.length === 1, { what: 'the refusal' });
    assert.deepEqual(watched.map((w) => w.unsubscribed[0]), [107, 107, 107, 107]);
  });

  it('closes 3501 on a wrongly typed filter, as Centrifugo\'s decoder does, and reads a null filter as none', async () => {
    const peer = await connectRaw(cluster, 'gus');
    peer.send({ id: 2, subscribe: { channel: 'typing:raw', tf: null } });
    assert.deepEqual(await peer.reply(2), { id: 2, subscribe: {} });
    peer.send({ id: 3, subscribe: { channel: 'market:raw', tf: { key: 'ticker', cmp: 'eq', val: 5 } } });
    assert.deepEqual(await peer.closed(), { code: 3501, reason: 'bad request' });
  });
});
