/**
 * The admin API transport (issue 3, "Tested by"): the token at the upgrade, error replies to
 * malformed, unknown and invalid requests on a connection that stays usable, the 1 Hz snapshot with
 * true connection counts, the series sent on connect, and lifecycle events of real clients.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Centrifuge } from 'centrifuge';
import { AdminErrors } from '../shared/admin/admin-api.js';
import type { AdminClient } from './support/admin-client.js';
import { adminError, eventAfter, eventMark, openAdmin, snapshotAfter, upgradeStatusAt } from './support/admin-helpers.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import { startTestCluster } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

/** An error frame as the admin API sends it. */
interface ErrorFrame {
  id: number | null;
  error: { code: number; message: string };
}

/** Sends exact text on the admin socket and answers the next error frame (AdminClient drops id-less ones). */
function rawError(admin: AdminClient, text: string): Promise<ErrorFrame> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      admin.ws.off('message', onMessage);
      reject(new Error(`no error reply to ${text}`));
    }, 5000);
    const onMessage = (data: Buffer): void => {
      const frame = JSON.parse(data.toString()) as Partial<ErrorFrame>;
      if (frame.error === undefined) return;
      clearTimeout(timer);
      admin.ws.off('message', onMessage);
      resolve(frame as ErrorFrame);
    };
    admin.ws.on('message', onMessage);
    admin.ws.send(text);
  });
}

describe('admin API transport', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  before(async () => {
    cluster = await startTestCluster();
    admin = await openAdmin(cluster);
  });
  after(() => cluster?.stop());

  it('refuses an upgrade without the token, or with a wrong one, with HTTP 401', async () => {
    const { adminUrl, adminToken } = cluster.handle;
    assert.equal(await upgradeStatusAt(adminUrl), 401);
    assert.equal(await upgradeStatusAt(`${adminUrl}?token=wrong`), 401);
    assert.equal(await upgradeStatusAt(`${adminUrl}?token=${adminToken}x`), 401);
    assert.equal(await upgradeStatusAt(adminUrl, { authorization: 'Bearer wrong' }), 401);
    assert.equal(await upgradeStatusAt(adminUrl, { authorization: `Bearer ${adminToken}` }), 101);
    assert.equal(await upgradeStatusAt(`${adminUrl}?token=${encodeURIComponent(adminToken)}`), 101);
  });

  it('answers malformed JSON with a 400 error reply, and the connection stays usable', async () => {
    assert.deepEqual(await rawError(admin, '{"id": 1, "method": '), { id: null, error: { code: AdminErrors.badRequest, message: 'malformed JSON' } });
    const reply = await rawError(admin, '[1, 2, 3]');
    assert.deepEqual([reply.id, reply.error.code], [null, AdminErrors.badRequest]);
    assert.equal((await admin.request('cluster.snapshot', {})).nodes.length, 3);
  });

  it('answers an unknown method with 404 naming it, and the connection stays usable', async () => {
    const reply = await rawError(admin, JSON.stringify({ id: 9001, method: 'cluster.explode', params: {} }));
    assert.deepEqual([reply.id, reply.error.code], [9001, AdminErrors.notFound]);
    assert.match(reply.error.message, /cluster\.explode/);
    assert.deepEqual(await admin.request('channels.query', {}), { total: 0, offset: 0, items: [] });
  });

  it('answers invalid params with 400 naming the field, and the connection stays usable', async () => {
    const tooShort = await adminError(admin, 'node.hang', { node: 'node-1', seconds: 0 });
    assert.equal(tooShort.code, AdminErrors.badRequest);
    assert.match(tooShort.message, /node\.hang.*seconds/);
    const extra = await rawError(admin, JSON.stringify({ id: 9002, method: 'cluster.snapshot', params: { surprise: true } }));
    assert.deepEqual([extra.id, extra.error.code], [9002, AdminErrors.badRequest]);
    const noId = await rawError(admin, JSON.stringify({ method: 'cluster.snapshot', params: {} }));
    assert.deepEqual([noId.id, noId.error.code], [null, AdminErrors.badRequest]);
    const snapshot = await admin.request('cluster.snapshot', {});
    assert.deepEqual(snapshot.nodes.map((n) => [n.state, n.fault]), [['healthy', undefined], ['healthy', undefined], ['healthy', undefined]], 'no node was hung');
  });

  it('pushes a snapshot about once a second, with three nodes and the true connection count', async () => {
    const mark = admin.snapshots.length;
    const clients: Centrifuge[] = [];
    for (let i = 1; i <= 5; i++) clients.push((await connectClient(cluster, `snap-${i}`)).client);
    const five = await snapshotAfter(admin, mark, (s) => s.totals.connections === 5 && s.totals.nodesUp === 3, 'a snapshot with 5 connections');
    assert.deepEqual([five.nodes.length, five.totals.nodesTotal], [3, 3]);
    assert.equal(five.nodes.reduce((n, node) => n + node.connections, 0), 5);
    assert.equal(five.totals.users, 5);
    for (const c of clients.slice(0, 2)) c.disconnect();
    const three = await snapshotAfter(admin, admin.snapshots.indexOf(five), (s) => s.totals.connections === 3, 'a snapshot with 3 connections');
    assert.equal(three.totals.users, 3);
    const pushed = admin.snapshots.slice(mark);
    assert.ok(pushed.length >= 2);
    const gaps = pushed.slice(1).map((s, i) => s.at - pushed[i]!.at);
    assert.ok(gaps.every((g) => g > 0), 'snapshots come in order');
    console.log(`admin transport: ${pushed.length} snapshots, ${Math.round(gaps.reduce((a, b) => a + b, 0) / gaps.length)} ms apart on average`);
  });

  it('sends the series on connect with one array per node, and the snapshots extend it', async () => {
    const late = await openAdmin(cluster);
    const series = late.series;
    assert.ok(series);
    assert.equal(series.intervalMs, 1000);
    assert.deepEqual(Object.keys(series.nodes).sort(), ['node-1', 'node-2', 'node-3']);
    assert.ok(series.total.length >= 2, `the total series has ${series.total.length} points`);
    for (const points of Object.values(series.nodes)) {
      assert.equal(points.length, series.total.length);
      assert.deepEqual(Object.keys(points[0]!).sort(), ['at', 'bytesInPerSec', 'bytesOutPerSec', 'connections', 'cpuPercent', 'messagesInPerSec', 'messagesOutPerSec']);
    }
    const last = series.total.at(-1)!;
    const next = await snapshotAfter(late, 0, (s) => s.at > last.at, 'a snapshot after the series');
    assert.equal(next.totals.connections, 3);
    assert.equal(last.connections, series.nodes['node-1']!.at(-1)!.connections + series.nodes['node-2']!.at(-1)!.connections + series.nodes['node-3']!.at(-1)!.connections);
  });

  it('pushes connect, subscribe and disconnect events of a real client, with its node and user', async () => {
    const mark = eventMark(admin);
    const evan = await connectClient(cluster, 'evan');
    const connected = await eventAfter(admin, mark, 'client.connected', (e) => e.client === evan.id);
    const { items } = await admin.request('connections.query', { filter: { client: evan.id } });
    assert.deepEqual([connected.user, connected.node, connected.remote], ['evan', items[0]?.node, '127.0.0.1']);
    await subscribeTo(evan.client, 'chat:evented');
    const subscribed = await eventAfter(admin, mark, 'client.subscribed', (e) => e.client === evan.id);
    assert.deepEqual([subscribed.user, subscribed.node, subscribed.channel], ['evan', connected.node, 'chat:evented']);
    evan.client.disconnect();
    const disconnected = await eventAfter(admin, mark, 'client.disconnected', (e) => e.client === evan.id);
    assert.deepEqual([disconnected.user, disconnected.node], ['evan', connected.node]);
    assert.equal(typeof disconnected.code, 'number');
    assert.ok(connected.seq < subscribed.seq && subscribed.seq < disconnected.seq, 'events in order');
  });
});
