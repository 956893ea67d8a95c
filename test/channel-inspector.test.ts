/**
 * The channel inspector's server side (issue 14), through the admin API of a real cluster: a
 * watched channel's publications carry offset, epoch, size and publisher for a real centrifuge
 * client's publish, an HTTP API publish and a console publish; at a high rate the watch samples and
 * its counts add up to every publication; a bad channel name is refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelActivity } from '../shared/admin/admin-model.js';
import { AdminErrors } from '../shared/admin/admin-api.js';
import type { AdminClient } from './support/admin-client.js';
import { activityAfter, adminError, openAdmin } from './support/admin-helpers.js';
import { apiResult } from './support/api-calls.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

type Pub = Extract<ChannelActivity, { kind: 'pub' }>;
const isPub = (a: ChannelActivity): a is Pub => a.kind === 'pub';
const bytes = (data: unknown): number => Buffer.byteLength(JSON.stringify(data), 'utf8');

describe('channel inspector (watch)', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  before(async () => {
    cluster = await startTestCluster({ nodes: 2 });
    admin = await openAdmin(cluster);
  });
  after(() => cluster?.stop());

  it('gives a client publication its offset, epoch, size in bytes, and the client and user as publisher', async () => {
    const channel = 'chat:inspect-client';
    await admin.request('channel.watch', { channel });
    const mark = admin.activity.length;
    const ann = await connectClient(cluster, 'ann');
    const { sub } = await subscribeTo(ann.client, channel);
    const data = { text: 'héllo', n: 1 };
    await sub.publish(data);
    const item = await activityAfter(admin, mark, channel, (a) => isPub(a) && a.source === 'client');
    assert.ok(isPub(item));
    const top = await admin.request('channel.get', { channel, historyLimit: 0 });
    assert.deepEqual(
      [item.data, item.offset, item.epoch, item.size, item.info?.user, item.info?.client, item.cut],
      [data, top.offset, top.epoch, bytes(data), 'ann', ann.id, undefined],
    );
    await admin.request('channel.unwatch', { channel });
  });

  it('names the HTTP API and the console as publishers of server publications', async () => {
    const channel = 'feed:inspect-server';
    await admin.request('channel.watch', { channel });
    const mark = admin.activity.length;
    const viaApi = await apiResult<{ offset: number }>(cluster, 'publish', { channel, data: { from: 'api' } });
    const viaAdmin = await admin.request('channel.publish', { channel, data: { from: 'console' } });
    const api = await activityAfter(admin, mark, channel, (a) => isPub(a) && a.offset === viaApi.offset);
    const console = await activityAfter(admin, mark, channel, (a) => isPub(a) && a.offset === viaAdmin.offset);
    assert.ok(isPub(api) && isPub(console));
    assert.deepEqual([api.source, api.info, api.size], ['http-api', undefined, bytes({ from: 'api' })]);
    assert.deepEqual([console.source, console.info], ['admin', undefined]);
    await admin.request('channel.unwatch', { channel });
  });

  it('samples a busy channel and its counts add up to every publication, each push saying how many it carries', async () => {
    const channel = 'feed:inspect-busy';
    const total = 3000;
    await admin.request('channel.watch', { channel });
    const mark = admin.activity.length;
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const n = ++next;
        await apiResult(cluster, 'publish', { channel, data: { n } });
      }
    };
    let busiest = 0;
    let publishing = true;
    const watchRate = async () => {
      for (let i = 0; publishing && i < 300; i++) {
        const detail = await admin.request('channel.get', { channel, historyLimit: 0 });
        assert.equal(detail.subscribers, 0);
        busiest = Math.max(busiest, detail.publicationsPerSec);
        await new Promise((done) => setTimeout(done, 200));
      }
    };
    const reading = watchRate();
    await Promise.all(Array.from({ length: 32 }, worker));
    publishing = false;
    await reading;
    const seconds = (Date.now() - started) / 1000;
    const pushes = () => admin.activity.slice(mark).filter((p) => p.channel === channel);
    const counted = () => pushes().reduce((n, p) => n + (p.sampling?.publications ?? 0), 0);
    await waitFor(() => counted() >= total, { timeoutMs: 10_000, what: `sampling counts reaching ${total}` });
    const items = pushes().flatMap((p) => p.items.filter(isPub));
    const sent = pushes().reduce((n, p) => n + (p.sampling?.sent ?? 0), 0);
    console.log(`published ${total} in ${seconds.toFixed(1)} s (${Math.round(total / seconds)}/s); the watch carried ${items.length} in ${pushes().length} pushes`);
    assert.equal(counted(), total);
    assert.equal(sent, items.length, 'sent counts equal the items carried');
    for (const p of pushes()) assert.equal(p.items.filter(isPub).length, p.sampling?.sent ?? 0, 'each push counts what it carries');
    assert.ok(items.length < total, `sampled: ${items.length} of ${total}`);
    const offsets = items.map((i) => i.offset ?? 0);
    assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b), 'carried in stream order');
    assert.ok(pushes().every((p) => p.sampling === undefined || p.sampling.limitPerSec > 0));
    // Nobody subscribes to it, yet it was busy: its detail said so while it was, rather than 0/s.
    assert.ok(busiest > 0, `publications/s read from channel.get while publishing: ${busiest}`);
    await admin.request('channel.unwatch', { channel });
  });

  it('refuses to watch a channel of an unknown namespace with 400 naming the channel', async () => {
    const e = await adminError(admin, 'channel.watch', { channel: 'nope:x' });
    assert.equal(e.code, AdminErrors.badRequest);
    assert.match(e.message, /^nope:x: /);
  });

  it('refuses to watch an empty channel name with 400', async () => {
    const e = await adminError(admin, 'channel.watch', { channel: '' });
    assert.equal(e.code, AdminErrors.badRequest);
  });
});
