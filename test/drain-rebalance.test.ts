/**
 * Moving clients between nodes on purpose (issue 11 §4): "drain node" (`node.remove` with a rate)
 * and "rebalance" (`cluster.rebalance` after a node joins). Real centrifuge clients subscribed to a
 * positioned, recoverable channel under continuous publishing through the HTTP API: every client
 * must get every publication exactly once and in order across its move, the moved clients must be
 * told 3001/3011 (reconnect) and come back with recovered:true, and the moves must be visible as
 * snapshot progress and events. Bad requests get a clear error and change nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AdminEvent, NodeSnapshot } from '../shared/admin/admin-model.js';
import { AdminErrors } from '../shared/admin/admin-api.js';
import { AdminClient, AdminRequestError } from './support/admin-client.js';
import { adminError } from './support/admin-helpers.js';
import { settledCounts } from './support/cluster-nodes.js';
import {
  CLIENT_OPTIONS, PublishStream, StreamRecorder, SUB_OPTIONS, describeTimes, faultClusterOptions, range, streamProblems,
} from './support/publish-stream.js';
import type { TestCluster } from './support/test-cluster.js';
import { sleep, startTestCluster, waitFor } from './support/test-cluster.js';

const STREAM = { everyMs: 20, max: 3000, deadlineMs: 60_000 };

interface Bench {
  cluster: TestCluster;
  admin: AdminClient;
  recorders: StreamRecorder[];
  publisher: PublishStream;
}

async function startBench(nodes: number, clients: number, channel: string): Promise<Bench> {
  const cluster = await startTestCluster(faultClusterOptions({ nodes }));
  const admin = cluster.track(await AdminClient.connect(cluster.handle));
  const recorders: StreamRecorder[] = [];
  // A few at a time: a burst of connects all lands before the first stats report.
  for (let i = 0; i < clients; i += 10) {
    recorders.push(...await Promise.all(range(i + 1, Math.min(clients, i + 10)).map((n) => StreamRecorder.start(
      cluster, `user-${n}`, channel, { client: CLIENT_OPTIONS, sub: SUB_OPTIONS },
    ))));
  }
  await settledCounts(cluster, clients);
  const publisher = new PublishStream(cluster, channel, STREAM);
  await publisher.waitSent(20);
  return { cluster, admin, recorders, publisher };
}

/** Stops the stream after `more` publications and answers the total once every client has it (bounded). */
async function finish(b: Bench, more = 25): Promise<number> {
  await b.publisher.waitSent(b.publisher.sent + more);
  b.publisher.stop();
  await b.publisher.finished;
  const total = b.publisher.sent;
  await waitFor(() => b.recorders.every((r) => r.hasAll(total)), { timeoutMs: 15_000, what: 'every client to have every publication' })
    .catch(() => undefined);
  await sleep(300);
  return total;
}

function checkExactlyOnce(b: Bench, total: number): void {
  const problems = b.recorders.map((r) => ({ r, p: streamProblems(r.received, total) })).filter((x) => x.p !== '').map((x) => `${x.r.user}: ${x.p}`);
  assert.deepEqual(problems, [], `of ${total} publications:\n${problems.join('\n')}`);
}

/** Recorders whose connection was closed by the server with `code` after `t`, and each recovered. */
function moved(b: Bench, code: number, t: number): StreamRecorder[] {
  const out = b.recorders.filter((r) => r.reconnects.some((x) => x.at >= t && x.ctx.code === code));
  for (const r of out) {
    const again = r.subscribedAfter(t);
    assert.ok(again.length >= 1, `${r.user} was not subscribed again`);
    for (const ctx of again) assert.deepEqual({ was: ctx.wasRecovering, recovered: ctx.recovered }, { was: true, recovered: true }, r.user);
  }
  return out;
}

function nodeEvents(admin: AdminClient, node: string, t: number): AdminEvent[] {
  return admin.events.filter((e) => e.at >= t && 'node' in e && e.node === node).sort((a, b) => a.seq - b.seq);
}

function drainSeen(admin: AdminClient, node: string, t: number): NonNullable<NodeSnapshot['drain']>[] {
  return admin.snapshots.filter((s) => s.at >= t).flatMap((s) => s.nodes.filter((n) => n.id === node && n.drain).map((n) => n.drain!));
}

describe('drain node: node.remove with a rate', () => {
  const CLIENTS = 45;
  const RATE = 5;
  let b: Bench;
  before(async () => { b = await startBench(3, CLIENTS, 'chat:drain'); });
  after(async () => { b.publisher.stop(); await b.publisher.finished.catch(() => undefined); await b.cluster.stop(); });

  it('refuses a rate that is not a whole number from 1 to 100000, and leaves the node in place', async () => {
    for (const rate of [0, -5, 1.5, 100_001]) {
      const e = await adminError(b.admin, 'node.remove', { node: 'node-1', rate });
      assert.equal(e.code, AdminErrors.badRequest, `rate ${rate}: ${e.message}`);
      assert.match(e.message, /rate/, `rate ${rate}: the error names the field`);
    }
    assert.equal(b.cluster.handle.nodes().length, 3);
    assert.equal((await adminError(b.admin, 'node.remove', { node: 'node-9', rate: 5 })).code, AdminErrors.notFound);
  });

  it('moves the node\'s clients in batches at the rate, each recovering elsewhere with nothing lost, then removes it', async (t) => {
    const counts = await settledCounts(b.cluster, CLIENTS);
    const [victim, held] = [...counts].reduce((x, y) => (y[1] > x[1] ? y : x));
    const from = Date.now();
    const res = await b.admin.request('node.remove', { node: victim, rate: RATE });
    assert.deepEqual(res, { drained: 0, moving: held });
    // A second removal of the same node while it drains is refused, and so is a rebalance.
    assert.equal((await adminError(b.admin, 'node.remove', { node: victim, rate: RATE })).code, AdminErrors.conflict);
    assert.equal((await adminError(b.admin, 'cluster.rebalance', {})).code, AdminErrors.conflict);
    const removed = await b.admin.eventWhere((e) => e.type === 'node.removed' && e.node === victim && e.at >= from, 30_000, `${victim} removed`);
    const events = nodeEvents(b.admin, victim, from);
    const draining = events.find((e) => e.type === 'node.draining');
    const drained = events.find((e) => e.type === 'node.drained');
    assert.deepEqual(draining && { purpose: draining.purpose, total: draining.total, rate: draining.rate }, { purpose: 'remove', total: held, rate: RATE });
    assert.ok(drained?.type === 'node.drained' && drained.moved === held, `node.drained: ${JSON.stringify(drained)}`);
    assert.deepEqual(events.map((e) => e.type).filter((x) => x.startsWith('node.dra') || x === 'node.removed'), ['node.draining', 'node.drained', 'node.removed']);
    // At 5/s the snapshots (1/s) catch the drain part way: progress that only grows.
    const seen = drainSeen(b.admin, victim, from);
    assert.ok(seen.some((d) => d.moved > 0 && d.moved < d.total), `no partial progress in ${JSON.stringify(seen)}`);
    assert.deepEqual(seen.map((d) => d.moved), [...seen.map((d) => d.moved)].sort((x, y) => x - y));
    // Batches, not all at once: the closes spread over about held/rate seconds. The last batch closes
    // just before node.removed: its clients are given their reconnect (backoff included) first.
    const closedBy3001 = (): StreamRecorder[] => b.recorders.filter((r) => r.reconnects.some((x) => x.at >= from && x.ctx.code === 3001));
    await waitFor(() => closedBy3001().every((r) => r.subscribedAfter(from).length >= 1), { timeoutMs: 15_000, what: 'every moved client subscribed again' })
      .catch(() => undefined); // moved() below names whoever was not
    const closes = moved(b, 3001, from).map((r) => r.reconnects.find((x) => x.at >= from)!.at).sort((x, y) => x - y);
    assert.equal(closes.length, held);
    const spreadMs = closes.at(-1)! - closes[0]!;
    assert.ok(spreadMs >= ((held - 1) / RATE) * 1000 * 0.5, `${held} closes within ${spreadMs} ms at ${RATE}/s`);
    // Nobody came back to the draining node, and it is gone.
    assert.ok(!b.cluster.handle.nodes().some((n) => n.id === victim));
    await settledCounts(b.cluster, CLIENTS);
    const total = await finish(b);
    checkExactlyOnce(b, total);
    const ms = drained!.type === 'node.drained' ? drained!.ms : 0;
    const recoveredIn = moved(b, 3001, from).map((r) => r.recoveredAfter(from)! - from);
    t.diagnostic(`drained ${held} clients of ${victim} at ${RATE}/s: ${(held / (ms / 1000)).toFixed(1)} moved/s (${ms} ms), `
      + `removed ${removed.at - from} ms after the request; recovered:true ${describeTimes(recoveredIn)}; ${total} publications, lost 0`);
  });
});

describe('rebalance after a node joins: cluster.rebalance', () => {
  const CLIENTS = 60;
  let b: Bench;
  before(async () => { b = await startBench(2, CLIENTS, 'chat:rebalance'); });
  after(async () => { b.publisher.stop(); await b.publisher.finished.catch(() => undefined); await b.cluster.stop(); });

  it('refuses under sticky routing (a moved user would come back to its node) and refuses a bad rate', async () => {
    await b.admin.request('cluster.set-strategy', { strategy: 'sticky' });
    try {
      const e = await adminError(b.admin, 'cluster.rebalance', {});
      assert.equal(e.code, AdminErrors.conflict);
      assert.match(e.message, /sticky/);
    } finally {
      await b.admin.request('cluster.set-strategy', { strategy: 'least-connections' });
    }
    assert.equal((await adminError(b.admin, 'cluster.rebalance', { rate: 0 })).code, AdminErrors.badRequest);
    assert.equal((await adminError(b.admin, 'cluster.rebalance', { rate: 'fast' } as never)).code, AdminErrors.badRequest);
  });

  it('moves clients off the busiest nodes until every node is within 10% of the mean, with nothing lost', async (t) => {
    const added = await b.admin.request('node.add', {});
    await waitFor(async () => (await settledCounts(b.cluster, CLIENTS)).has(added.node), { timeoutMs: 10_000, what: `${added.node} in the counts` });
    const from = Date.now();
    const plan = await b.admin.request('cluster.rebalance', { rate: 50 });
    assert.equal(plan.moving, CLIENTS - 2 * Math.ceil(CLIENTS / 3), JSON.stringify(plan));
    await waitFor(() => plan.from.every((f) => nodeEvents(b.admin, f.node, from).some((e) => e.type === 'node.drained')), {
      timeoutMs: 20_000, what: 'every source node drained',
    });
    const counts = await settledCounts(b.cluster, CLIENTS);
    const values = [...counts.values()];
    const mean = CLIENTS / values.length;
    assert.ok(Math.max(...values) - Math.min(...values) <= 0.1 * mean, `spread ${JSON.stringify([...counts])}`);
    // Already balanced: nothing more to move — once the move has ended (its sources stay out of
    // routing until the moved clients are back, up to 10 s after node.drained; meanwhile 409).
    let again: unknown;
    await waitFor(async () => {
      try {
        again = await b.admin.request('cluster.rebalance', {});
        return true;
      } catch (e) {
        if (e instanceof AdminRequestError && e.error.code === AdminErrors.conflict) return false;
        throw e;
      }
    }, { timeoutMs: 15_000, what: 'the rebalance to end' });
    assert.deepEqual(again, { moving: 0, from: [] });
    const movedOnes = moved(b, 3011, from);
    assert.equal(movedOnes.length, plan.moving);
    const total = await finish(b);
    checkExactlyOnce(b, total);
    const took = Math.max(...plan.from.map((f) => {
      const e = nodeEvents(b.admin, f.node, from).find((x) => x.type === 'node.drained');
      return e?.type === 'node.drained' ? e.ms : 0;
    }));
    t.diagnostic(`rebalanced ${plan.moving} clients onto ${added.node} at 50/s in ${took} ms → ${JSON.stringify([...counts])}; ${total} publications, lost 0`);
  });
});
