/**
 * WebSocket subprotocols as Centrifugo answers them (issue 13, first bug): SDKs nobody here wrote
 * send an empty `Sec-WebSocket-Protocol` header (centrifuge-python through `websockets` with
 * `subprotocols=[]`), or offer names this server does not know. Centrifugo serves those as JSON
 * without selecting a subprotocol; only `centrifuge-protobuf` asks for Protobuf, which is not served
 * here yet and is refused with a reason. Each case is checked on the wire with a real `ws` client
 * through the gateway, and a connect command must then work.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { RawPeer } from './support/raw-peer.js';
import { startTestCluster } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

interface Opened {
  peer: RawPeer;
  /** The subprotocol the server answered with ('' for none). */
  protocol: string;
}

/** Opens a socket with exactly these request headers (and the `protocols` ws should offer and check). */
function open(cluster: TestCluster, headers: Record<string, string>, protocols?: string[]): Promise<Opened> {
  const ws = new WebSocket(`ws://127.0.0.1:${cluster.handle.port}/connection/websocket`, protocols, { headers });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to the upgrade in 5 s')), 5000);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve({ peer: new RawPeer(ws), protocol: ws.protocol });
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      res.resume();
      ws.terminate();
      reject(new Error(`refused with ${res.statusCode}`));
    });
    ws.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** The status and body a refused upgrade is answered with. */
function refused(cluster: TestCluster, headers: Record<string, string>, path = '/connection/websocket'): Promise<{ status: number; body: string }> {
  const ws = new WebSocket(`ws://127.0.0.1:${cluster.handle.port}${path}`, { headers });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to the upgrade in 5 s')), 5000);
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => {
        clearTimeout(timer);
        ws.terminate();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.once('open', () => {
      clearTimeout(timer);
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('error', () => undefined); // the refusal resolves; a silent server trips the timer
  });
}

/** Connects on the opened socket and returns the connect reply's client id. */
async function connects(cluster: TestCluster, { peer }: Opened, user: string): Promise<string> {
  peer.send({ id: 1, connect: { token: await cluster.token(user) } });
  const reply = await peer.reply(1);
  assert.ok('connect' in reply, JSON.stringify(reply));
  return (reply.connect as { client: string }).client;
}

describe('WebSocket subprotocols, as Centrifugo answers them', () => {
  let cluster: TestCluster;
  const opened: RawPeer[] = [];
  before(async () => {
    cluster = await startTestCluster({ nodes: 1 });
  });
  after(async () => {
    for (const p of opened) p.ws.terminate();
    await cluster.stop();
  });

  it('accepts an empty Sec-WebSocket-Protocol header as JSON, answering no subprotocol, and the connect works', async () => {
    const o = await open(cluster, { 'Sec-WebSocket-Protocol': '' });
    opened.push(o.peer);
    assert.equal(o.protocol, '');
    assert.match(await connects(cluster, o, 'empty-header'), /\S/);
  });

  it('accepts a header of blanks and commas as no subprotocol offered', async () => {
    const o = await open(cluster, { 'Sec-WebSocket-Protocol': ' , ,' });
    opened.push(o.peer);
    assert.equal(o.protocol, '');
    await connects(cluster, o, 'blank-list');
  });

  it('answers centrifuge-json when it is offered', async () => {
    const o = await open(cluster, {}, ['centrifuge-json']);
    opened.push(o.peer);
    assert.equal(o.protocol, 'centrifuge-json');
    await connects(cluster, o, 'json');
  });

  it('serves unknown subprotocols as JSON without selecting one, as Centrifugo does', async () => {
    const o = await open(cluster, { 'Sec-WebSocket-Protocol': 'graphql-ws, mqtt' });
    opened.push(o.peer);
    assert.equal(o.protocol, '');
    await connects(cluster, o, 'unknown-protocols');
  });

  it('picks JSON when centrifuge-protobuf and centrifuge-json are both offered', async () => {
    const o = await open(cluster, {}, ['centrifuge-protobuf', 'centrifuge-json']);
    opened.push(o.peer);
    assert.equal(o.protocol, 'centrifuge-json');
    await connects(cluster, o, 'both');
  });

  it('refuses centrifuge-protobuf alone with HTTP 400 saying Protobuf is not served and how to get JSON', async () => {
    const r = await refused(cluster, { 'Sec-WebSocket-Protocol': 'centrifuge-protobuf' });
    assert.equal(r.status, 400);
    assert.match(r.body, /Protobuf variant of the protocol is not served.*JSON/);
  });

  it('refuses ?format=protobuf with the same reason', async () => {
    const r = await refused(cluster, {}, '/connection/websocket?format=protobuf');
    assert.equal(r.status, 400);
    assert.match(r.body, /Protobuf variant of the protocol is not served/);
  });

  it('keeps serving the connections opened before', async () => {
    for (const p of opened) assert.ok(p.open, 'a socket opened above was closed');
    const o = await open(cluster, { 'Sec-WebSocket-Protocol': '' });
    opened.push(o.peer);
    await connects(cluster, o, 'after');
  });
});
