/**
 * Issue 15, items 1–2: publication data nested thousands deep used to kill a node (its IPC send
 * threw RangeError) or the supervisor (a history reply to a node). Now every door refuses data
 * deeper than 64 levels (shared/json-limits.ts) with a clear error, and nothing dies: the node
 * keeps its pid, the supervisor (this test's process) answers on, and a well-behaved client on the
 * same node misses nothing. Deep values are written as text: JSON.stringify here would overflow too.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Subscribed } from './support/real-clients.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import { AdminClient } from './support/admin-client.js';
import { adminError } from './support/admin-helpers.js';
import { RawPeer } from './support/raw-peer.js';
import type { TestCluster } from './support/test-cluster.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import { defaultChannelSettings } from '../embedded-server/index.js';

/** `{"a":{"a":…1…}}`, `levels` objects deep, as JSON text. */
const deepText = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const DEEP = deepText(5000);
const CHANNEL = 'chat:deep';

/** Sends an admin request as raw text and resolves with its reply frame. */
function rawAdmin(admin: AdminClient, id: number, method: string, paramsText: string): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const frame = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { code: number; message: string } };
      if (frame.id !== id) return;
      admin.ws.off('message', onMessage);
      resolve(frame);
    };
    admin.ws.on('message', onMessage);
    admin.ws.send(`{"id":${id},"method":"${method}","params":${paramsText}}`);
  });
}

describe('publication data nested 5,000 deep, at every door', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  let watcher: Subscribed;
  let pid: number;

  before(async () => {
    const channels = defaultChannelSettings();
    channels.namespaces.obj = { ...channels.namespaces.chat!, publicationDataFormat: 'json_object' };
    cluster = await startTestCluster({ nodes: 1, channels });
    admin = cluster.track(await AdminClient.connect(cluster.handle));
    pid = cluster.pids()[0]!;
    watcher = await subscribeTo((await connectClient(cluster, 'watcher')).client, CHANNEL);
    for (let seq = 1; seq <= 3; seq++) assert.equal((await cluster.api('publish', { channel: CHANNEL, data: { seq } })).status, 200);
    await waitFor(() => watcher.got.length === 3, { what: 'the first publications' });
  });
  after(() => cluster?.stop());

  it('answers a client publish with error 107, and the node keeps its pid and the connection', async () => {
    const peer = new RawPeer(await cluster.raw());
    peer.send({ id: 1, connect: { token: await cluster.token('deep') } });
    await peer.reply(1);
    peer.send({ id: 2, subscribe: { channel: CHANNEL } });
    await peer.reply(2);
    peer.sendRaw(`{"id":3,"publish":{"channel":"${CHANNEL}","data":${DEEP}}}`);
    assert.deepEqual((await peer.reply(3)).error, { code: 107, message: 'bad request' });
    peer.send({ id: 4, publish: { channel: CHANNEL, data: { seq: 4 } } });
    assert.deepEqual((await peer.reply(4)).publish, {});
    assert.ok(peer.open);
    assert.deepEqual(cluster.pids(), [pid]);
  });

  it('answers the HTTP API publish with 107 naming the limit, and a history read of the channel works', async () => {
    const res = await cluster.api('publish', `{"channel":"${CHANNEL}","data":${DEEP}}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { error: { code: 107, message: 'bad request: data is nested deeper than 64 levels' } });
    const history = await cluster.api('history', { channel: CHANNEL, limit: 100 });
    assert.equal((history.body as { result: { publications: unknown[] } }).result.publications.length, 4);
    const read = await watcher.sub.history({ limit: 100 });
    assert.equal(read.publications.length, 4);
  });

  it('answers the HTTP API broadcast with 107 naming the limit, before publishing anywhere', async () => {
    const res = await cluster.api('broadcast', `{"channels":["${CHANNEL}","chat:other"],"data":${DEEP}}`);
    assert.deepEqual(res.body, { error: { code: 107, message: 'bad request: data is nested deeper than 64 levels' } });
    const batch = await cluster.api('batch', `{"commands":[{"publish":{"channel":"${CHANNEL}","data":${deepText(65)}}}]}`);
    assert.deepEqual(batch.body, { replies: [{ error: { code: 107, message: 'bad request: data is nested deeper than 64 levels' } }] });
  });

  it('refuses it from the console: channel.publish and broadcast.send answer bad request with a message', async () => {
    for (const [id, method, params] of [
      [9001, 'channel.publish', `{"channel":"${CHANNEL}","data":${DEEP}}`],
      [9002, 'broadcast.send', `{"audience":{"kind":"channels","channels":["${CHANNEL}"]},"data":${DEEP}}`],
      [9003, 'broadcast.send', `{"audience":{"kind":"all"},"data":${DEEP}}`],
    ] as const) {
      const reply = await rawAdmin(admin, id, method, params);
      assert.deepEqual(reply.error, { code: 400, message: `invalid params for ${method}: nested deeper than 128 levels` });
    }
    const data = JSON.parse(deepText(65)) as never;
    const publish = await adminError(admin, 'channel.publish', { channel: CHANNEL, data });
    assert.deepEqual(publish, { code: 400, message: 'data is nested deeper than 64 levels' });
    const toChannel = await adminError(admin, 'broadcast.send', { audience: { kind: 'channels', channels: [CHANNEL] }, data });
    assert.deepEqual(toChannel, { code: 400, message: `${CHANNEL}: data is nested deeper than 64 levels` });
    const toAll = await adminError(admin, 'broadcast.send', { audience: { kind: 'all' }, data });
    assert.deepEqual(toAll, { code: 400, message: 'data is nested deeper than 64 levels' });
  });

  it('refuses "", null and non-objects from broadcast.send on a json_object namespace, as every other path does', async () => {
    const audience = { kind: 'channels' as const, channels: ['obj:x'] };
    for (const data of ['', null, 5, 'text', [1]]) {
      const e = await adminError(admin, 'broadcast.send', { audience, data });
      assert.deepEqual(e, { code: 400, message: 'obj:x: data must be a JSON object' }, JSON.stringify(data));
    }
    const empty = await adminError(admin, 'broadcast.send', { audience: { kind: 'channels', channels: [CHANNEL] }, data: '' });
    assert.deepEqual(empty, { code: 400, message: `${CHANNEL}: data must not be empty` });
    assert.equal((await admin.request('broadcast.send', { audience, data: { ok: true } })).sent, true);
  });

  it('refuses the same bad publication the same way at every door: client publish, HTTP publish and broadcast, console publish and broadcast', async () => {
    const peer = new RawPeer(await cluster.raw());
    peer.send({ id: 1, connect: { token: await cluster.token('doors') } }, { id: 2, subscribe: { channel: 'obj:door' } });
    await peer.reply(2);
    let id = 10;
    /** What each door answers for one publication. */
    const doors = async (channel: string, data: unknown) => {
      const cmd = ++id;
      peer.send({ id: cmd, publish: { channel, data } });
      const single = await cluster.api('publish', { channel, data });
      const many = await cluster.api('broadcast', { channels: [channel], data });
      return {
        client: (await peer.reply(cmd)).error,
        httpPublish: (single.body as { error?: unknown }).error,
        httpBroadcast: (many.body as { result: { responses: { error?: unknown }[] } }).result.responses[0]!.error,
        consolePublish: await adminError(admin, 'channel.publish', { channel, data: data as never }),
        consoleBroadcast: await adminError(admin, 'broadcast.send', { audience: { kind: 'channels', channels: [channel] }, data: data as never }),
      };
    };
    const notObject = { code: 107, message: 'bad request: data must be a JSON object' };
    for (const data of ['', null, 5, 'text', [1]]) {
      assert.deepEqual(await doors('obj:door', data), {
        client: { code: 107, message: 'bad request' }, httpPublish: notObject, httpBroadcast: notObject,
        consolePublish: { code: 400, message: 'data must be a JSON object' },
        consoleBroadcast: { code: 400, message: 'obj:door: data must be a JSON object' },
      }, JSON.stringify(data));
    }
    const unknown = { code: 102, message: 'unknown channel' };
    assert.deepEqual(await doors('nope:x', { a: 1 }), {
      client: unknown, httpPublish: unknown, httpBroadcast: unknown,
      consolePublish: { code: 400, message: 'nope:x: unknown channel' },
      consoleBroadcast: { code: 400, message: 'nope:x: unknown channel' },
    });
    peer.send({ id: 99, publish: { channel: CHANNEL, data: JSON.parse(deepText(70)) } });
    assert.deepEqual((await peer.reply(99)).error, { code: 107, message: 'bad request' });
    assert.deepEqual(peer.received.filter((m) => m.push !== undefined), [], 'a refused publication was delivered');
  });

  it('closes a connection whose token carries info nested deeper than 64 levels with 3500 invalid token', async () => {
    const peer = new RawPeer(await cluster.raw());
    peer.send({ id: 1, connect: { token: await cluster.token('deep-info', { info: JSON.parse(deepText(100)) }) } });
    assert.equal((await peer.closed()).code, 3500);
    const fine = new RawPeer(await cluster.raw());
    fine.send({ id: 1, connect: { token: await cluster.token('info', { info: JSON.parse(deepText(10)) }) } });
    assert.equal(typeof ((await fine.reply(1)).connect as { client?: string }).client, 'string');
  });

  it('keeps the node up with its pid, and the well-behaved client receives everything published before and after', async () => {
    for (let seq = 5; seq <= 7; seq++) assert.equal((await cluster.api('publish', { channel: CHANNEL, data: { seq } })).status, 200);
    await waitFor(() => watcher.got.length >= 7, { what: 'every publication' });
    assert.deepEqual(watcher.got.map((p) => (p.data as { seq: number }).seq), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(cluster.pids(), [pid]);
    assert.ok(!admin.events.some((e) => e.type === 'node.down'));
  });
});
