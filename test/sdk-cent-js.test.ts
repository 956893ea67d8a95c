/**
 * The server HTTP API judged by an API client nobody here wrote: `cent.js` (npm, "Javascript library
 * to communicate with Centrifugo HTTP API"), the npm counterpart of the Python `cent` client whose
 * own tests found `session` refused (issue 13). The Python SDKs cannot be installed on these
 * machines (PyPI does not resolve here; see docs/protocol.md), so this client stands in for them.
 * Every call goes through cent.js as a backend would make it; what it does is observed with real
 * centrifuge-js clients.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CentClient, CentException } from 'cent.js';
import type { ServerSubscribedContext } from 'centrifuge';
import { connectClient, subscribeTo } from './support/real-clients.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

describe('the server API through cent.js, a Centrifugo API client nobody here wrote', () => {
  let cluster: TestCluster;
  let cent: CentClient;
  before(async () => {
    cluster = await startTestCluster();
    cent = new CentClient({ url: cluster.handle.apiUrl, apiKey: cluster.config.apiKey });
  });
  after(() => cluster.stop());

  it('publishes and broadcasts to real subscribers, answering offsets and epochs', async () => {
    const { client } = await connectClient(cluster, 'cent-reader');
    const a = await subscribeTo(client, 'chat:cent-a');
    const b = await subscribeTo(client, 'chat:cent-b');
    const published = await cent.publish({ channel: 'chat:cent-a', data: { n: 1 } });
    assert.equal(published.offset, 1);
    assert.match(published.epoch ?? '', /\S/);
    const broadcast = await cent.broadcast({ channels: ['chat:cent-a', 'chat:cent-b'], data: { n: 2 } }) as unknown as { responses: { result?: { offset: number } }[] };
    assert.deepEqual(broadcast.responses.map((r) => r.result?.offset), [2, 1]);
    await waitFor(() => a.got.length === 2 && b.got.length === 1, { what: 'both publications on chat:cent-a and one on chat:cent-b' });
    assert.deepEqual(a.got.map((p) => p.data), [{ n: 1 }, { n: 2 }]);
    assert.deepEqual(b.got.map((p) => p.data), [{ n: 2 }]);
  });

  it('reads history, presence, presence stats, channels and info', async () => {
    const { client, id } = await connectClient(cluster, 'cent-present');
    await subscribeTo(client, 'chat:cent-presence');
    await cent.publish({ channel: 'chat:cent-presence', data: { hello: 'history' } });
    const history = await cent.getHistory({ channel: 'chat:cent-presence', limit: 10 });
    assert.deepEqual(history.publications.map((p) => p.data), [{ hello: 'history' }]);
    const presence = await cent.getPresence({ channel: 'chat:cent-presence' });
    assert.deepEqual(Object.values(presence.presence).map((p) => [p.user, p.client]), [['cent-present', id]]);
    assert.deepEqual(await cent.getPresenceStats({ channel: 'chat:cent-presence' }), { num_clients: 1, num_users: 1 });
    const channels = await cent.getChannels({ pattern: 'chat:cent-presence' });
    assert.deepEqual(channels.channels, { 'chat:cent-presence': { num_clients: 1 } });
    const info = await cent.getInfo();
    assert.ok(info.nodes.length >= 1, JSON.stringify(info));
    assert.deepEqual(await cent.removeHistory({ channel: 'chat:cent-presence' }), {});
    assert.deepEqual((await cent.getHistory({ channel: 'chat:cent-presence', limit: 10 })).publications, []);
  });

  it('subscribes, refreshes, unsubscribes and disconnects a user\'s connection, by client and by session', async () => {
    const { client, id } = await connectClient(cluster, 'cent-target');
    const subscribed: ServerSubscribedContext[] = [];
    client.on('subscribed', (ctx) => subscribed.push(ctx));
    // With a session (the Python `cent` tests send one): a WebSocket connection has none, so nothing happens.
    const bySession = { user: 'cent-target', channel: 'chat:cent-server-side', session: 'no-websocket-session' };
    assert.deepEqual(await cent.subscribe(bySession), {});
    assert.deepEqual(await cent.refresh({ user: 'cent-target', session: 'no-websocket-session' } as { user: string }), {});
    assert.deepEqual(await cent.disconnect({ user: 'cent-target', session: 'no-websocket-session' } as { user: string }), {});
    assert.deepEqual(await cent.subscribe({ user: 'cent-target', client: id, channel: 'chat:cent-server-side' }), {});
    await waitFor(() => subscribed.length === 1, { what: 'the server-side subscription' });
    assert.equal(subscribed[0]!.channel, 'chat:cent-server-side');
    assert.equal(client.state, 'connected', 'the session-addressed calls left the connection alone');
    const unsubscribed = new Promise<string>((resolve) => client.once('unsubscribed', (ctx) => resolve(ctx.channel)));
    assert.deepEqual(await cent.unsubscribe({ user: 'cent-target', client: id, channel: 'chat:cent-server-side' }), {});
    assert.equal(await unsubscribed, 'chat:cent-server-side');
    const disconnected = new Promise<number>((resolve) => client.once('disconnected', (ctx) => resolve(ctx.code)));
    assert.deepEqual(await cent.disconnect({ user: 'cent-target', client: id }), {});
    assert.equal(await disconnected, 3503);
  });

  it('throws cent.js\'s CentException for an API error, and a wrong key is refused', async () => {
    await assert.rejects(cent.publish({ channel: 'nope:x', data: {} }), CentException);
    const wrongKey = new CentClient({ url: cluster.handle.apiUrl, apiKey: 'not-the-key' });
    await assert.rejects(wrongKey.getInfo());
  });
});
