/**
 * What one client connection may cost a node (issue 15 items 4, 8, 10, 11): a command flood is
 * read no faster than it is handled and cut with 3013 / 3509, an oversized frame is refused, the
 * client's own name and version are capped, hostile channel names are refused, and a consumer that
 * stops reading is terminated within seconds and logged as 3008 — while a well-behaved client on
 * the same (only) node keeps receiving.
 */
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminClient } from './support/admin-client.js';
import { eventAfter, eventMark, openAdmin } from './support/admin-helpers.js';
import { Bystander } from './support/bystander.js';
import { connectRaw, openRaw } from './support/raw-peer.js';
import type { RawPeer } from './support/raw-peer.js';
import { sleep, startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

/** Resident set of a process in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(match, 'no VmRSS in /proc status');
  return Number(match[1]) / 1024;
}

/** One text frame of `count` commands made by `command(id)`. */
function frameOf(count: number, command: (id: number) => object, firstId = 2): string {
  return Array.from({ length: count }, (_, i) => JSON.stringify(command(firstId + i))).join('\n');
}

/** Sends `frame` as fast as the socket takes it (never more than 1 MB queued here) until it closes or `ms` pass. */
async function flood(peer: RawPeer, frame: string, ms: number, sample: () => void): Promise<number> {
  const start = Date.now();
  let frames = 0;
  while (peer.open && Date.now() - start < ms) {
    if (peer.ws.bufferedAmount < 1_000_000) {
      peer.sendRaw(frame);
      frames++;
    } else {
      await sleep(2);
    }
    if (frames % 20 === 0) sample();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return frames;
}

describe('limits on one client connection', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  let bystander: Bystander;
  let pid: number;
  before(async () => {
    cluster = await startTestCluster({ nodes: 1 });
    pid = cluster.pids()[0]!;
    admin = await openAdmin(cluster);
    bystander = await Bystander.start(cluster, 'bystander', 'chat:bystander');
  });
  after(async () => {
    await cluster?.stop();
  });

  describe('a command flood', () => {
    it('is cut with 3013 while the node stays small and a well-behaved client on it keeps receiving', async (t) => {
      const flooder = await connectRaw(cluster, 'flooder');
      flooder.send({ id: 1_000_000, subscribe: { channel: 'chat:flood' } });
      await flooder.reply(1_000_000);
      const before = rssMb(pid);
      let peak = before;
      // The well-behaved client is served during the flood: one publication every 50 ms.
      let publishing = true;
      const steady = (async () => {
        while (publishing) {
          await bystander.assertServed();
          await sleep(50);
        }
      })();
      const frame = frameOf(800, (id) => ({ id, publish: { channel: 'chat:flood', data: { id } } }));
      let frames: number;
      let close: { code: number; reason: string };
      try {
        frames = await flood(flooder, frame, 4000, () => (peak = Math.max(peak, rssMb(pid))));
        close = await flooder.closed(5000);
      } finally {
        publishing = false;
        await steady; // fails the test if the bystander missed a publication
      }
      peak = Math.max(peak, rssMb(pid));
      t.diagnostic(`flooder sent ${frames} frames of 800 publishes; node RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB`);
      assert.deepEqual(close, { code: 3013, reason: 'too many requests' }, `after ${frames} frames of 800 publishes`);
      assert.ok(peak - before < 150, `node RSS grew from ${before.toFixed(0)} MB to ${peak.toFixed(0)} MB`);
      assert.deepEqual(cluster.pids(), [pid], 'the node was replaced');
      await bystander.assertServed();
    });

    it('is cut with 3509 when its commands keep failing', async () => {
      const peer = await connectRaw(cluster, 'failing');
      // RPC with no RPC configured: 108 each, answered at once (a kind without its own rate limit).
      const frame = frameOf(300, (id) => ({ id, rpc: { method: 'nope', data: {} } }));
      for (let i = 0; i < 4 && peer.open; i++) peer.sendRaw(frame);
      assert.deepEqual(await peer.closed(5000), { code: 3509, reason: 'too many errors' });
      await bystander.assertServed();
    });

    it('refuses a frame of more than 1000 commands with 3501, saying why, before running any', async () => {
      const peer = await connectRaw(cluster, 'batcher');
      peer.sendRaw(frameOf(1001, (id) => ({ id, publish: { channel: 'chat:batch', data: { id } } })));
      assert.deepEqual(await peer.closed(5000), { code: 3501, reason: 'bad request: too many commands in one frame' });
      assert.equal(peer.received.filter((m) => typeof m.id === 'number' && m.id > 1).length, 0, 'some commands ran');
    });

    it("accepts a reconnecting client's frame of connect plus one subscribe per allowed channel (128)", async () => {
      const peer = await openRaw(cluster);
      const subscribes = Array.from({ length: 128 }, (_, i) => ({ id: i + 2, subscribe: { channel: `chat:many-${i}` } }));
      peer.send({ id: 1, connect: { token: await cluster.token('many') } }, ...subscribes);
      const last = await peer.reply(129);
      assert.ok('subscribe' in last, JSON.stringify(last));
      assert.equal(peer.closeEvent, null);
      peer.ws.close();
    });
  });

  it("keeps at most 64 characters of the client's own name and version", async () => {
    const peer = await openRaw(cluster);
    peer.send({ id: 1, connect: { token: await cluster.token('long-name'), name: 'n'.repeat(30_000), version: 'v'.repeat(30_000) } });
    assert.ok('connect' in (await peer.reply(1)));
    const { items } = await admin.request('connections.query', { filter: { user: 'long-name' } });
    assert.equal(items.length, 1);
    // Lengths, not strings: a failure must not print 30,000 characters.
    assert.deepEqual([items[0]!.name.length, items[0]!.version.length], [64, 64]);
    assert.ok(/^n+$/.test(items[0]!.name) && /^v+$/.test(items[0]!.version));
    peer.ws.close();
  });

  describe('hostile channel names', () => {
    const PROTOTYPE_NAMES = ['constructor:x', '__proto__:x', 'toString:x'];
    const CONTROL_NAMES = ['chat:a\u0000b', 'chat:a\nb', 'chat:a\u007fb'];

    it('answers 102 unknown channel for Object.prototype namespaces, to a client and on the HTTP API', async () => {
      const peer = await connectRaw(cluster, 'proto');
      let id = 10;
      for (const channel of PROTOTYPE_NAMES) {
        peer.send({ id: ++id, subscribe: { channel } });
        assert.deepEqual((await peer.reply(id)).error, { code: 102, message: 'unknown channel' }, channel);
        peer.send({ id: ++id, publish: { channel, data: { a: 1 } } });
        assert.equal(((await peer.reply(id)).error as { code: number }).code, 102, channel);
        const res = await cluster.api('publish', { channel, data: { a: 1 } });
        assert.equal((res.body as { error?: { code: number } }).error?.code, 102, `${channel}: ${res.text}`);
      }
      assert.equal(peer.closeEvent, null);
    });

    it('answers 107 for NUL, newline and DEL in a channel name, to a client and on the HTTP API', async () => {
      const peer = await connectRaw(cluster, 'control');
      let id = 10;
      for (const channel of CONTROL_NAMES) {
        peer.send({ id: ++id, subscribe: { channel } });
        assert.deepEqual((await peer.reply(id)).error, { code: 107, message: 'bad request: control character in channel name' });
        const res = await cluster.api('publish', { channel, data: { a: 1 } });
        const error = (res.body as { error?: { code: number; message: string } }).error;
        assert.equal(error?.code, 107, `${JSON.stringify(channel)}: ${res.text}`);
        assert.match(error.message, /control character/);
      }
    });
  });

  it('terminates a subscriber that stops reading within seconds and logs it as 3008 "slow"', async (t) => {
    const mark = eventMark(admin);
    const slow = await connectRaw(cluster, 'slow-reader');
    slow.send({ id: 2, subscribe: { channel: 'chat:busy' } });
    await slow.reply(2);
    const slowId = ((slow.received.find((m) => m.id === 1)!.connect) as { client: string }).client;
    // It stops reading: the kernel buffers fill, then the node's send buffer passes client.queue_max_size.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'z'.repeat(50_000);
    const start = Date.now();
    let gone: { code: number; reason: string; at: number } | null = null;
    void eventAfter(admin, mark, 'client.disconnected', (e) => e.client === slowId, 20_000).then((e) => (gone = e), () => undefined);
    for (let i = 0; i < 600 && gone === null; i++) await cluster.api('publish', { channel: 'chat:busy', data: { i, big } });
    await waitFor(() => gone !== null, { timeoutMs: 10_000, what: 'the slow subscriber to be disconnected' });
    const event = gone! as { code: number; reason: string; at: number };
    t.diagnostic(`disconnect logged ${event.at - start} ms after publishing began: ${event.code} ${event.reason}`);
    assert.deepEqual({ code: event.code, reason: event.reason }, { code: 3008, reason: 'slow' });
    assert.ok(event.at - start < 8000, `disconnected ${event.at - start} ms after publishing began`);
    await bystander.assertServed();
  });
});

describe('reading a flooding connection', () => {
  let cluster: TestCluster;
  before(async () => {
    // Rate limits off: only backpressure stands between the flood and the node's memory.
    cluster = await startTestCluster({ nodes: 1, client: { commandRateLimit: 0, errorRateLimit: 0 } });
  });
  after(async () => {
    await cluster?.stop();
  });

  it('pauses while its commands wait, so the node stays small though the flooder is never cut', async (t) => {
    const pid = cluster.pids()[0]!;
    const bystander = await Bystander.start(cluster, 'calm', 'chat:calm');
    const flooder = await connectRaw(cluster, 'flooder');
    flooder.send({ id: 1_000_000, subscribe: { channel: 'chat:flood' } });
    await flooder.reply(1_000_000);
    const before = rssMb(pid);
    let peak = before;
    const frame = frameOf(800, (id) => ({ id, publish: { channel: 'chat:flood', data: { id } } }));
    const frames = await flood(flooder, frame, 3000, () => (peak = Math.max(peak, rssMb(pid))));
    peak = Math.max(peak, rssMb(pid));
    t.diagnostic(`flooder sent ${frames} frames of 800 publishes in 3 s; node RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB`);
    assert.ok(flooder.open, `the flooder was closed: ${JSON.stringify(flooder.closeEvent)}`);
    assert.ok(peak - before < 100, `node RSS grew from ${before.toFixed(0)} MB to ${peak.toFixed(0)} MB`);
    await bystander.assertServed();
  });
});
