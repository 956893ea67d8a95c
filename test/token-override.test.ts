/**
 * Issue 13, token `override` claims: a subscription token's and a connection token's `subs`
 * override change a namespace's presence and join/leave options for that one subscription, as
 * Centrifugo's do; a malformed override is an invalid token. Judged by the real centrifuge client.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Centrifuge } from 'centrifuge';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { generateSecret, resolveConfig } from '../embedded-server/index.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

describe('token override claims', { timeout: 60_000 }, () => {
  let cluster: TestCluster;
  let secret: string;
  const clients: Centrifuge[] = [];

  before(async () => {
    const file = {
      channel: {
        namespaces: [{ name: 'rooms', presence: true, join_leave: true, allow_presence_for_subscriber: true, allow_subscribe_for_client: true }],
      },
    };
    const resolved = resolveConfig(file, { port: 0, adminPort: 0 }, { tokenSecret: generateSecret(), apiKey: generateSecret() });
    if (!resolved.ok) throw new Error(resolved.error.join('\n'));
    cluster = await startTestCluster({ nodes: 2, client: resolved.value.config.client, channels: resolved.value.config.channels });
    secret = resolved.value.config.client.tokenHmacSecret;
  });

  after(async () => {
    for (const c of clients) c.disconnect();
    await cluster?.stop();
  });

  const sign = (claims: Record<string, unknown>): Promise<string> =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));

  async function connect(user: string, claims: Record<string, unknown> = {}): Promise<{ c: Centrifuge; id: string }> {
    const c = new Centrifuge(cluster.url, { websocket: WebSocket, token: await sign({ sub: user, ...claims }) });
    c.on('error', () => undefined);
    clients.push(c);
    const id = await new Promise<string>((resolve) => {
      c.once('connected', (ctx) => resolve(ctx.client));
      c.connect();
    });
    return { c, id };
  }

  it('leaves a subscriber out of presence when its subscription token overrides presence off', async () => {
    const { c: hidden, id: hiddenId } = await connect('hidden');
    const { c: seen, id: seenId } = await connect('seen');
    const token = await sign({ sub: 'hidden', channel: 'rooms:a', override: { presence: { value: false } } });
    const hiddenSub = hidden.newSubscription('rooms:a', { token });
    const seenSub = seen.newSubscription('rooms:a');
    await Promise.all([
      new Promise((resolve) => { hiddenSub.once('subscribed', resolve); hiddenSub.subscribe(); }),
      new Promise((resolve) => { seenSub.once('subscribed', resolve); seenSub.subscribe(); }),
    ]);
    const presence = await seen.presence('rooms:a');
    assert.ok(presence.clients[seenId], 'the subscriber without an override is present');
    assert.equal(presence.clients[hiddenId], undefined, 'the one whose token overrode presence is not');
  });

  it('pushes join events to a server-side subscription whose connection token overrides force_push_join_leave on', async () => {
    const { c: watcher } = await connect('watcher', { subs: { 'rooms:b': { override: { force_push_join_leave: { value: true } } } } });
    const joins: string[] = [];
    watcher.on('join', (ctx) => joins.push(ctx.info.user));
    const { c: joiner } = await connect('joiner');
    const sub = joiner.newSubscription('rooms:b');
    sub.subscribe();
    await waitFor(() => joins.includes('joiner'), { what: 'the join push', timeoutMs: 10_000 });
  });

  it('applies the server API subscribe\'s override, and refuses a malformed one with 107 naming it', async () => {
    const { c, id } = await connect('apiuser');
    const { c: peer, id: peerId } = await connect('peer');
    const peerSub = peer.newSubscription('rooms:d');
    await new Promise((resolve) => { peerSub.once('subscribed', resolve); peerSub.subscribe(); });
    const subscribed = new Promise((resolve) => c.once('subscribed', resolve));
    const r = await cluster.api('subscribe', { user: 'apiuser', client: id, channel: 'rooms:d', override: { presence: { value: false } } });
    assert.equal(r.status, 200, r.text);
    await subscribed;
    const presence = await peer.presence('rooms:d');
    assert.ok(presence.clients[peerId]);
    assert.equal(presence.clients[id], undefined, 'the server-side subscription stays out of presence');
    const bad = await cluster.api('subscribe', { user: 'apiuser', channel: 'rooms:e', override: { history_size: { value: 1 } } });
    assert.deepEqual(bad.body, { error: { code: 107, message: 'bad request: override.history_size is not an option an override can change (presence, join_leave, force_push_join_leave, force_positioning, force_recovery)' } });
  });

  it('closes with 3500 (invalid token) when a subscription token\'s override is malformed', async () => {
    const { c } = await connect('odd');
    const token = await sign({ sub: 'odd', channel: 'rooms:c', override: { presence: true } });
    const closed = new Promise<number>((resolve) => c.once('disconnected', (ctx) => resolve(ctx.code)));
    c.newSubscription('rooms:c', { token }).subscribe();
    assert.equal(await closed, 3500);
  });
});
