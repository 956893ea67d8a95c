/**
 * Bad frames and commands (issue 2 item 9): each answered with the protocol's error or close code
 * (PROTOCOL.md §1, §2, §5), while a healthy client on the same node keeps being served. Sticky
 * routing on one key puts every socket of this file on the bystander's node.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Bystander, assertOneNodeHolds } from './support/bystander.js';
import { connectRaw, openRaw } from './support/raw-peer.js';
import { startTestCluster } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const KEY = 'user=bystander';
const ENDPOINT = `/connection/websocket?${KEY}`;

describe('bad frames and commands', () => {
  let cluster: TestCluster;
  let bystander: Bystander;
  before(async () => {
    cluster = await startTestCluster({ strategy: 'sticky', client: { maxMessageSize: 1024, channelLimit: 3 } });
    bystander = await Bystander.start(cluster, 'bystander', 'chat:bystander', KEY);
    const probe = await openRaw(cluster, ENDPOINT);
    await assertOneNodeHolds(cluster, 2);
    probe.ws.close();
  });
  after(() => cluster.stop());

  it('closes a frame over the size limit with 1009', async () => {
    const peer = await connectRaw(cluster, 'big', ENDPOINT);
    peer.send({ id: 2, publish: { channel: 'chat:bystander', data: 'x'.repeat(2000) } });
    assert.equal((await peer.closed()).code, 1009);
    await bystander.assertServed();
  });

  it('leaves the real client disconnected with "message size limit exceeded" after it sent too much', async () => {
    const c = await cluster.client('bigger', { query: KEY });
    c.connect();
    await c.ready(5000);
    const disconnected = new Promise<{ code: number; reason: string }>((resolve) => c.once('disconnected', resolve));
    const sub = c.newSubscription('chat:too-big');
    sub.subscribe();
    await sub.ready(5000);
    await sub.publish({ text: 'x'.repeat(2000) }).catch(() => undefined);
    assert.deepEqual(await disconnected, { code: 3, reason: 'message size limit exceeded' });
    assert.equal(c.state, 'disconnected');
    await bystander.assertServed();
  });

  it('closes a frame that is not JSON with 3501 "bad request"', async () => {
    const peer = await connectRaw(cluster, 'mangled', ENDPOINT);
    peer.sendRaw('{"id":2,"subscribe":{"channel":');
    assert.deepEqual(await peer.closed(), { code: 3501, reason: 'bad request' });
    await bystander.assertServed();
  });

  it('closes a command with an id but no known method with 3501 "bad request"', async () => {
    const peer = await connectRaw(cluster, 'inventive', ENDPOINT);
    peer.send({ id: 2, frobnicate: { channel: 'chat:bystander' } });
    assert.deepEqual(await peer.closed(), { code: 3501, reason: 'bad request' });
    await bystander.assertServed();
  });

  it('closes a command sent before connect with 3501 "bad request"', async () => {
    const peer = await openRaw(cluster, ENDPOINT);
    peer.send({ id: 1, subscribe: { channel: 'chat:bystander' } });
    assert.deepEqual(await peer.closed(), { code: 3501, reason: 'bad request' });
    assert.equal(peer.received.length, 0);
    await bystander.assertServed();
  });

  it('closes a binary frame with 3506 "inappropriate protocol"', async () => {
    const peer = await connectRaw(cluster, 'binary', ENDPOINT);
    peer.sendRaw(Buffer.from(JSON.stringify({ id: 2, subscribe: { channel: 'chat:bystander' } })), true);
    assert.deepEqual(await peer.closed(), { code: 3506, reason: 'inappropriate protocol' });
    await bystander.assertServed();
  });

  it('closes a subscribe with an empty channel with 3501 "bad request"', async () => {
    const peer = await connectRaw(cluster, 'nameless', ENDPOINT);
    peer.send({ id: 2, subscribe: { channel: '' } });
    assert.deepEqual(await peer.closed(), { code: 3501, reason: 'bad request' });
    await bystander.assertServed();
  });

  it('answers the subscribe past the per-client channel limit with error 106 "limit exceeded"', async () => {
    const peer = await connectRaw(cluster, 'greedy', ENDPOINT);
    peer.send(...[1, 2, 3, 4].map((i) => ({ id: i + 1, subscribe: { channel: `chat:greedy-${i}` } })));
    for (const id of [2, 3, 4]) assert.ok('subscribe' in (await peer.reply(id)), `subscribe ${id - 1} succeeds`);
    assert.deepEqual(await peer.reply(5), { id: 5, error: { code: 106, message: 'limit exceeded' } });
    assert.ok(peer.open, 'an error reply leaves the connection open');
    await bystander.assertServed();
  });

  it('answers a client publish to the server-only feed namespace with error 103, and publishes nothing', async () => {
    const peer = await connectRaw(cluster, 'pushy', ENDPOINT);
    peer.send({ id: 2, subscribe: { channel: 'feed:news' } }, { id: 3, publish: { channel: 'feed:news', data: { n: 1 } } });
    assert.ok('subscribe' in (await peer.reply(2)));
    assert.deepEqual(await peer.reply(3), { id: 3, error: { code: 103, message: 'permission denied' } });
    const history = (await cluster.api('history', { channel: 'feed:news', limit: -1 })).body as { result: { offset: number } };
    assert.equal(history.result.offset, 0);
    assert.ok(!peer.received.some((m) => 'push' in m), 'no publication was delivered');
    await bystander.assertServed();
  });

  it('answers a publish to a namespace that does not exist with error 102 "unknown channel"', async () => {
    const peer = await connectRaw(cluster, 'lost', ENDPOINT);
    peer.send({ id: 2, publish: { channel: 'nope:x', data: { n: 1 } } });
    assert.deepEqual(await peer.reply(2), { id: 2, error: { code: 102, message: 'unknown channel' } });
    assert.ok(peer.open);
    await bystander.assertServed();
  });
});
