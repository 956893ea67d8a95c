/**
 * A slow consumer (issue 11 §3): a subscriber whose socket stops reading while its channel is busy
 * is cut at `client.queue_max_size` with 3008 "slow", so the node's memory stays bounded, and a real
 * centrifuge client on the same channel and node receives every publication, in order, meanwhile.
 */
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminClient } from './support/admin-client.js';
import { eventAfter, eventMark, openAdmin } from './support/admin-helpers.js';
import { connectRaw } from './support/raw-peer.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const PUBLICATIONS = Number(process.env.SLOW_CONSUMER_PUBLICATIONS ?? 1500);
const SIZE = 64 * 1024;
/** What the node would hold for the stopped reader without the cut: every publication. */
const PUBLISHED_MB = (PUBLICATIONS * SIZE) / 1024 / 1024;

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(match, 'no VmRSS in /proc status');
  return Number(match[1]) / 1024;
}

describe('a subscriber that stops reading while its channel is busy', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  before(async () => {
    cluster = await startTestCluster({ nodes: 1 });
    admin = await openAdmin(cluster);
  });
  after(async () => {
    await cluster?.stop();
  });

  it(`is cut with 3008 while ${PUBLICATIONS} publications of 64 KB go out; node memory stays bounded and a real client gets every one`, async (t) => {
    const pid = cluster.pids()[0]!;
    const { client } = await connectClient(cluster, 'steady');
    const steady = await subscribeTo(client, 'chat:busy');
    const mark = eventMark(admin);
    const slow = await connectRaw(cluster, 'stalled');
    slow.send({ id: 2, subscribe: { channel: 'chat:busy' } });
    await slow.reply(2);
    const slowId = ((slow.received.find((m) => m.id === 1)!.connect) as { client: string }).client;
    let cut: { code: number; reason: string } | null = null;
    void eventAfter(admin, mark, 'client.disconnected', (e) => e.client === slowId, 120_000).then((e) => (cut = e), () => undefined);
    // The raw socket stops reading: kernel buffers fill, then the node's send buffer grows.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    const before = rssMb(pid);
    let peak = before;
    const pad = 'p'.repeat(SIZE - 40);
    for (let i = 0; i < PUBLICATIONS; i++) {
      const res = await cluster.api('publish', { channel: 'chat:busy', data: { i, pad } });
      assert.equal(res.status, 200, res.text);
      if (i % 25 === 0) peak = Math.max(peak, rssMb(pid));
    }
    await waitFor(() => steady.got.length >= PUBLICATIONS, { timeoutMs: 60_000, what: `all ${PUBLICATIONS} publications at the real client` });
    peak = Math.max(peak, rssMb(pid));
    t.diagnostic(`node RSS ${before.toFixed(0)} MB before → peak ${peak.toFixed(0)} MB → ${rssMb(pid).toFixed(0)} MB after; ${PUBLISHED_MB.toFixed(0)} MB published`);

    await waitFor(() => cut !== null, { timeoutMs: 10_000, what: 'the stalled subscriber to be cut' });
    assert.deepEqual({ code: cut!.code, reason: cut!.reason }, { code: 3008, reason: 'slow' });
    assert.deepEqual(steady.got.map((p) => (p.data as { i: number }).i), Array.from({ length: PUBLICATIONS }, (_, i) => i));
    assert.equal(client.state, 'connected');
    assert.deepEqual(cluster.pids(), [pid]);
    // Generous: far above the cut's own cost, and below what holding every publication would take.
    assert.ok(peak - before < PUBLISHED_MB / 2, `node RSS grew by ${(peak - before).toFixed(0)} MB while ${PUBLISHED_MB.toFixed(0)} MB were published`);
  });
});
