/**
 * Bad connections (issue 2 item 9): bad credentials, wrong paths, clients that never answer pings
 * or never connect — each answered with the protocol's error, close or HTTP status (PROTOCOL.md
 * §2.2, §4, §5), while a healthy client on the same node keeps being served.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { Bystander, assertOneNodeHolds } from './support/bystander.js';
import { connectRaw, openRaw } from './support/raw-peer.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const KEY = 'user=bystander';
const ENDPOINT = `/connection/websocket?${KEY}`;

/** The HTTP status a WebSocket handshake on `path` is refused with. */
function refusedUpgrade(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    const timer = setTimeout(() => reject(new Error('no answer to the upgrade in time')), 5000);
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      res.resume();
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.on('open', () => reject(new Error(`the upgrade to ${path} was accepted`)));
    ws.on('error', reject); // no effect once the refusal resolved; fails fast when nothing answers
  });
}

describe('bad credentials and wrong paths', () => {
  let cluster: TestCluster;
  let bystander: Bystander;
  before(async () => {
    cluster = await startTestCluster({ strategy: 'sticky' });
    bystander = await Bystander.start(cluster, 'bystander', 'chat:bystander', KEY);
    const probe = await connectRaw(cluster, 'probe', ENDPOINT);
    probe.autoPong();
    await assertOneNodeHolds(cluster, 2);
    probe.ws.close();
  });
  after(() => cluster.stop());

  it('closes a connect with a token that is not a valid JWT with 3500 "invalid token"', async () => {
    const peer = await openRaw(cluster, ENDPOINT);
    peer.send({ id: 1, connect: { token: 'not.a.jwt' } });
    assert.deepEqual(await peer.closed(), { code: 3500, reason: 'invalid token' });
    await bystander.assertServed();
  });

  it('answers a connect with an expired token with error 109, then refuses further commands with 3501', async () => {
    const expired = await new SignJWT({ sub: 'late' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(cluster.config.client.tokenHmacSecret));
    const peer = await openRaw(cluster, ENDPOINT);
    peer.send({ id: 1, connect: { token: expired } });
    assert.deepEqual(await peer.reply(1), { id: 1, error: { code: 109, message: 'token expired' } });
    peer.send({ id: 2, subscribe: { channel: 'chat:bystander' } });
    assert.deepEqual(await peer.closed(), { code: 3501, reason: 'bad request' });
    await bystander.assertServed();
  });

  it('closes a second connect after a refused one with 3501, even with a good token', async () => {
    const expired = await new SignJWT({ sub: 'late' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(cluster.config.client.tokenHmacSecret));
    const peer = await openRaw(cluster, ENDPOINT);
    peer.send({ id: 1, connect: { token: expired } });
    assert.deepEqual(await peer.reply(1), { id: 1, error: { code: 109, message: 'token expired' } });
    peer.send({ id: 2, connect: { token: await cluster.token('late') } });
    assert.deepEqual(await peer.closed(), { code: 3501, reason: 'bad request' });
    await bystander.assertServed();
  });

  it('closes a connect without a token with 3501 "bad request" when anonymous connections are off', async () => {
    const peer = await openRaw(cluster, ENDPOINT);
    peer.send({ id: 1, connect: { name: 'js' } });
    assert.deepEqual(await peer.closed(), { code: 3501, reason: 'bad request' });
    await bystander.assertServed();
  });

  it('refuses a WebSocket handshake on a path that is not the endpoint with HTTP 404', async () => {
    assert.equal(await refusedUpgrade(cluster.handle.port, '/connection/elsewhere'), 404);
    assert.equal(await refusedUpgrade(cluster.handle.port, '/'), 404);
    await bystander.assertServed();
  });

  it('answers a plain GET on an unknown path with 404 and on the endpoint with 400', async () => {
    const base = `http://127.0.0.1:${cluster.handle.port}`;
    const unknown = await fetch(`${base}/no/such/page`);
    assert.equal(unknown.status, 404);
    await unknown.text();
    const endpoint = await fetch(`${base}/connection/websocket`);
    assert.equal(endpoint.status, 400);
    await endpoint.text();
    await bystander.assertServed();
  });
});

describe('clients that stop answering pings or never connect', () => {
  let cluster: TestCluster;
  let bystander: Bystander;
  before(async () => {
    cluster = await startTestCluster({
      strategy: 'sticky',
      client: { pingIntervalMs: 1000, pongTimeoutMs: 500, staleCloseDelayMs: 500 },
    });
    bystander = await Bystander.start(cluster, 'bystander', 'chat:bystander', KEY);
    const probe = await connectRaw(cluster, 'probe', ENDPOINT);
    probe.autoPong();
    await assertOneNodeHolds(cluster, 2);
    probe.ws.close();
  });
  after(() => cluster.stop());

  it('closes a connection that never answers a ping with 3012 "no pong"', async () => {
    const peer = await connectRaw(cluster, 'silent', ENDPOINT);
    const connect = (await peer.reply(1)).connect as { ping?: number; pong?: boolean };
    assert.equal(connect.ping, 1);
    assert.equal(connect.pong, true);
    assert.deepEqual(await peer.closed(5000), { code: 3012, reason: 'no pong' });
    assert.ok(peer.pings() >= 1, 'it was pinged before being closed');
    await bystander.assertServed();
  });

  it('keeps a connection that answers every ping with {} open across several intervals', async () => {
    const peer = await connectRaw(cluster, 'polite', ENDPOINT);
    const answered = peer.autoPong();
    await waitFor(() => answered() >= 4 || peer.closeEvent !== null, { timeoutMs: 10_000, what: 'four pings' });
    assert.equal(peer.closeEvent, null);
    assert.ok(peer.open);
    await bystander.assertServed();
  });

  it('closes a connection that never sends connect with 3502 "stale"', async () => {
    const peer = await openRaw(cluster, ENDPOINT);
    assert.deepEqual(await peer.closed(5000), { code: 3502, reason: 'stale' });
    assert.equal(peer.received.length, 0);
    await bystander.assertServed();
  });
});
