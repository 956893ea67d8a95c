/**
 * The server HTTP API against a real 3-node cluster (issue 2 item 8, PROTOCOL.md §10.2): the channel
 * methods, info and batch, each with a good request, observed through real centrifuge clients.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Centrifuge } from 'centrifuge';
import { apiError, apiResult } from './support/api-calls.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

type Position = { offset: number; epoch: string };
type HistoryResult = Position & { publications: { data: unknown; offset?: number }[] };
type PublishResult = Partial<Position>;

describe('the server HTTP API on a 3-node cluster', () => {
  let cluster: TestCluster;
  /** Every real client this file connected, to check `info` against. */
  const clients: Centrifuge[] = [];
  const connect = async (user: string, opts: Parameters<typeof connectClient>[2] = {}) => {
    const c = await connectClient(cluster, user, opts);
    clients.push(c.client);
    return c;
  };
  const publish = (channel: string, data: unknown) => apiResult<PublishResult>(cluster, 'publish', { channel, data });

  before(async () => {
    cluster = await startTestCluster();
  });
  after(() => cluster.stop());

  it('publishes to a subscribed real client and answers offset and epoch for a channel with history', async () => {
    const { client } = await connect('paula');
    const { got } = await subscribeTo(client, 'chat:api-publish');
    const first = await publish('chat:api-publish', { text: 'one' });
    const second = await publish('chat:api-publish', { text: 'two' });
    assert.equal(first.offset, 1);
    assert.equal(second.offset, 2);
    assert.equal(typeof first.epoch, 'string');
    assert.equal(second.epoch, first.epoch);
    await waitFor(() => got.length === 2, { what: 'two publications' });
    assert.deepEqual(got.map((p) => [p.data, p.offset]), [[{ text: 'one' }, 1], [{ text: 'two' }, 2]]);
  });

  it('answers {} for a publish to a channel without history, and still delivers it', async () => {
    const { client } = await connect('tina');
    const { got } = await subscribeTo(client, 'typing:x');
    assert.deepEqual(await publish('typing:x', true), {});
    await waitFor(() => got.length === 1, { what: 'the typing publication' });
    assert.equal(got[0]!.data, true);
    assert.equal(got[0]!.offset, undefined);
  });

  it('broadcasts to several channels, answering per channel in request order, an unknown namespace with 102', async () => {
    const { client } = await connect('bea');
    const a = await subscribeTo(client, 'chat:bc-a');
    const b = await subscribeTo(client, 'typing:bc-b');
    const result = await apiResult<{ responses: ({ result: PublishResult } | { error: { code: number } })[] }>(
      cluster, 'broadcast', { channels: ['chat:bc-a', 'nope:bc', 'typing:bc-b'], data: { hello: 'all' } },
    );
    assert.equal(result.responses.length, 3);
    const [ra, rn, rb] = result.responses;
    assert.ok(ra && 'result' in ra && ra.result.offset === 1, JSON.stringify(ra));
    assert.deepEqual(rn, { error: { code: 102, message: 'unknown channel' } });
    assert.deepEqual(rb, { result: {} });
    await waitFor(() => a.got.length === 1 && b.got.length === 1, { what: 'the broadcast on both channels' });
    assert.deepEqual([a.got[0]!.data, b.got[0]!.data], [{ hello: 'all' }, { hello: 'all' }]);
  });

  it('lists the presence of a channel by client id, and counts its clients and users', async () => {
    const token = await cluster.token('pia', { info: { name: 'Pia' } });
    const pia1 = await connect('pia', { token });
    const pia2 = await connect('pia', { token });
    const pete = await connect('pete');
    for (const c of [pia1, pia2, pete]) await subscribeTo(c.client, 'chat:api-presence');
    const { presence } = await apiResult<{ presence: Record<string, unknown> }>(cluster, 'presence', { channel: 'chat:api-presence' });
    assert.deepEqual(presence, {
      [pia1.id]: { user: 'pia', client: pia1.id, conn_info: { name: 'Pia' } },
      [pia2.id]: { user: 'pia', client: pia2.id, conn_info: { name: 'Pia' } },
      [pete.id]: { user: 'pete', client: pete.id },
    });
    const stats = await apiResult(cluster, 'presence_stats', { channel: 'chat:api-presence' });
    assert.deepEqual(stats, { num_clients: 3, num_users: 2 });
  });

  it('answers history with limit, reverse and since, and 112 "unrecoverable position" for a wrong epoch', async () => {
    const channel = 'chat:api-history';
    for (let n = 1; n <= 5; n++) await publish(channel, { n });
    const history = (body: object) => apiResult<HistoryResult>(cluster, 'history', { channel, ...body });
    const ns = (h: HistoryResult) => h.publications.map((p) => (p.data as { n: number }).n);
    const all = await history({ limit: -1 });
    assert.deepEqual(ns(all), [1, 2, 3, 4, 5]);
    assert.deepEqual(all.publications.map((p) => p.offset), [1, 2, 3, 4, 5]);
    assert.equal(all.offset, 5);
    const position = await history({});
    assert.deepEqual(position, { publications: [], epoch: all.epoch, offset: 5 });
    assert.deepEqual(ns(await history({ limit: 2 })), [1, 2]);
    assert.deepEqual(ns(await history({ limit: 2, reverse: true })), [5, 4]);
    assert.deepEqual(ns(await history({ limit: 10, since: { offset: 3, epoch: all.epoch } })), [4, 5]);
    assert.deepEqual(ns(await history({ limit: 10, since: { offset: 3, epoch: all.epoch }, reverse: true })), [2, 1]);
    const wrong = await apiError(cluster, 'history', { channel, limit: 10, since: { offset: 3, epoch: 'not-the-epoch' } });
    assert.deepEqual(wrong, { code: 112, message: 'unrecoverable position' });
  });

  it('removes the history of a channel but keeps its offset and epoch', async () => {
    const channel = 'chat:api-history-remove';
    for (let n = 1; n <= 3; n++) await publish(channel, { n });
    const before = await apiResult<HistoryResult>(cluster, 'history', { channel, limit: -1 });
    assert.equal(before.publications.length, 3);
    assert.deepEqual(await apiResult(cluster, 'history_remove', { channel }), {});
    const after = await apiResult<HistoryResult>(cluster, 'history', { channel, limit: -1 });
    assert.deepEqual(after, { publications: [], epoch: before.epoch, offset: 3 });
    assert.deepEqual(await publish(channel, { n: 4 }), { offset: 4, epoch: before.epoch });
  });

  it('lists only channels with subscribers, with their client counts, filtered by a glob pattern', async () => {
    const one = await connect('lena');
    const two = await connect('lars');
    await subscribeTo(one.client, 'chat:list-a');
    await subscribeTo(two.client, 'chat:list-a');
    const b = await subscribeTo(two.client, 'chat:list-b');
    await subscribeTo(two.client, 'typing:list-c');
    await publish('chat:list-nobody', { n: 1 });
    type Channels = { channels: Record<string, { num_clients: number }> };
    const everything = await apiResult<Channels>(cluster, 'channels', {});
    assert.deepEqual(everything.channels['chat:list-a'], { num_clients: 2 });
    assert.equal(everything.channels['chat:list-nobody'], undefined);
    const chat = await apiResult<Channels>(cluster, 'channels', { pattern: 'chat:list-*' });
    assert.deepEqual(chat.channels, { 'chat:list-a': { num_clients: 2 }, 'chat:list-b': { num_clients: 1 } });
    const alternatives = await apiResult<Channels>(cluster, 'channels', { pattern: '{chat,typing}:list-[bc]' });
    assert.deepEqual(Object.keys(alternatives.channels).sort(), ['chat:list-b', 'typing:list-c']);
    b.sub.unsubscribe();
    await waitFor(async () => {
      const now = await apiResult<Channels>(cluster, 'channels', { pattern: 'chat:list-*' });
      return now.channels['chat:list-b'] === undefined;
    }, { intervalMs: 50, what: 'chat:list-b to go once its last subscriber left' });
  });

  it('reports three nodes whose num_clients add up to the connected clients', async () => {
    await connect('ida');
    await connect('ivo');
    type Info = { nodes: { uid: string; name: string; version: string; num_clients: number; num_subs: number }[] };
    let info: Info = { nodes: [] };
    await waitFor(async () => {
      info = await apiResult<Info>(cluster, 'info', {});
      const live = clients.filter((c) => c.state === 'connected').length;
      return info.nodes.reduce((sum, n) => sum + n.num_clients, 0) === live;
    }, { intervalMs: 100, what: 'num_clients to sum up to the connected clients' });
    assert.equal(info.nodes.length, 3);
    assert.equal(new Set(info.nodes.map((n) => n.uid)).size, 3);
    for (const n of info.nodes) assert.equal(typeof n.version, 'string');
    assert.ok(info.nodes.filter((n) => n.num_clients > 0).length >= 2, 'least-connections spread the clients');
  });

  it('runs a batch in order, each reply keyed by its method or an error', async () => {
    const res = await cluster.api('batch', {
      commands: [
        { publish: { channel: 'chat:api-batch', data: { n: 1 } } },
        { history: { channel: 'chat:api-batch', limit: -1 } },
        { publish: { channel: 'nope:batch', data: { n: 2 } } },
        { presence_stats: { channel: 'chat:api-batch' } },
      ],
    });
    assert.equal(res.status, 200, res.text);
    const { replies } = res.body as { replies: Record<string, unknown>[] };
    assert.equal(replies.length, 4);
    const published = replies[0]!.publish as PublishResult;
    assert.equal(published.offset, 1);
    const history = replies[1]!.history as HistoryResult;
    assert.deepEqual(history.publications.map((p) => p.data), [{ n: 1 }]);
    assert.equal(history.epoch, published.epoch);
    assert.deepEqual(replies[2], { error: { code: 102, message: 'unknown channel' } });
    assert.deepEqual(replies[3], { presence_stats: { num_clients: 0, num_users: 0 } });
  });
});
