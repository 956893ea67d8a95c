/**
 * The capacity planner against a real run: a real cluster under the load simulator's bots at a
 * first load point (600 connections), `capacity.estimate` read there, then a second, three times larger one; the
 * model fitted at the first point predicts each node's RSS (asserted within 15%) and CPU (printed:
 * on this shared 2-core machine CPU is too noisy to assert honestly) at the second. Then a busier
 * point (eight times the publication rate, about 10% of a core per node): the projection there
 * matches the RSS and the CPU the nodes report within 15%.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ClusterSnapshot } from '../shared/admin/admin-model.js';
import type { CapacityEstimate } from '../shared/admin/capacity-model.js';
import { WARMUP_MS } from '../shared/admin/capacity-model.js';
import { predictCpu, predictRss, relativeError } from '../shared/admin/capacity-projection.js';
import { AdminClient, AdminRequestError } from './support/admin-client.js';
import type { TestCluster } from './support/test-cluster.js';
import { sleep, startTestCluster, waitFor } from './support/test-cluster.js';

const NODES = 2;
const FIRST = { clients: 600, channels: 30, rate: 1 };
const SECOND = { clients: 1800, channels: 30, rate: 1 };
/** Busier: at rate 1 a node spends 3–5% of a core, where a second's CPU reading is mostly noise. */
const BUSY = { clients: 600, channels: 30, rate: 8 };
/** Seconds of steady load before reading: the fits and the observed means cover 10 s. */
const SETTLE_MS = 14_000;

let cluster: TestCluster;
let admin: AdminClient;

/** Per-node means over the last 10 s of snapshot pushes (this supervisor's healthy nodes). */
function observed(snapshots: ClusterSnapshot[]): { connections: number; deliveries: number; rss: number; cpu: number; samples: number } {
  const last = snapshots.at(-1)!.at;
  const nodes = snapshots.filter((s) => s.at > last - 10_000).flatMap((s) => s.nodes.filter((n) => n.state === 'healthy' && !n.id.includes('/')));
  const mean = (f: (n: (typeof nodes)[number]) => number): number => nodes.reduce((a, n) => a + f(n), 0) / nodes.length;
  return { connections: mean((n) => n.connections), deliveries: mean((n) => n.messagesOutPerSec), rss: mean((n) => n.rss), cpu: mean((n) => n.cpuPercent), samples: nodes.length };
}

async function runAt(point: typeof FIRST): Promise<void> {
  const { id } = await admin.request('simulator.start', { profile: 'chat', ...point, rampSeconds: 10, durationSeconds: 600 });
  await waitFor(() => admin.simulator.some((s) => s.id === id && s.state === 'running' && s.counts.connected === point.clients), { timeoutMs: 45_000, what: `${point.clients} bots connected (last: ${JSON.stringify(admin.simulator.at(-1)?.counts.connected)})` });
  await admin.snapshotWhere((s) => s.totals.connections === point.clients, 10_000, `the nodes to count ${point.clients} connections`);
  await sleep(SETTLE_MS);
}

/**
 * The estimate once both fits are there: on a loaded machine a node's RSS can lag its connections
 * (garbage not collected yet), and the meter then says "not enough data yet"; it is asked again,
 * 10 s apart, at most twice more, and how long it took is printed.
 */
async function estimateWithFits(params: { nodesPerMachine?: number; machines?: number }): Promise<CapacityEstimate> {
  let estimate = await admin.request('capacity.estimate', params);
  for (let retry = 1; retry <= 2 && (estimate.costs.memory === null || estimate.costs.cpu === null); retry++) {
    console.log(`[capacity] no ${estimate.costs.memory === null ? 'memory' : 'CPU'} fit yet (${estimate.costs.missing.join(' ')}): asking again in 10 s`);
    await sleep(10_000);
    estimate = await admin.request('capacity.estimate', params);
  }
  return estimate;
}

const pct = (e: number | null): string => (e === null ? 'n/a' : `${(e * 100).toFixed(1)}%`);
const mb = (b: number | null): string => (b === null ? 'n/a' : `${(b / 1048576).toFixed(1)} MB`);

async function refused(params: unknown, pattern: RegExp): Promise<void> {
  await assert.rejects(admin.request('capacity.estimate', params as never), (e: unknown) => {
    assert.ok(e instanceof AdminRequestError, String(e));
    assert.equal(e.error.code, 400);
    assert.match(e.error.message, pattern);
    return true;
  });
}

describe('the capacity planner against a real run', () => {
  before(async () => {
    cluster = await startTestCluster({ nodes: NODES });
    admin = cluster.track(await AdminClient.connect(cluster.handle));
  });
  after(async () => {
    await admin.request('simulator.stop', {}).catch(() => undefined);
    await cluster.stop();
  });

  it('says "not enough data yet" for memory and CPU while no node has held a connection', async () => {
    const e = await admin.request('capacity.estimate', {});
    assert.equal(e.costs.memory, null);
    assert.equal(e.costs.cpu, null);
    assert.match(e.costs.missing.join('\n'), /Memory per connection: not enough data yet/);
    assert.match(e.costs.missing.join('\n'), /CPU per delivery: not enough data yet/);
    assert.equal(e.current.maxDeliveriesPerSec, null);
    assert.equal(e.machine.nodes, NODES);
    assert.ok(e.machine.cores >= 1 && e.machine.totalMemory > 0);
    assert.ok(e.assumptions.some((a) => /headroom|kept free/.test(a)));
  });

  it('refuses each bad parameter with a 400 that names it', async () => {
    await refused({ nodesPerMachine: 0 }, /nodesPerMachine/);
    await refused({ nodesPerMachine: 65 }, /nodesPerMachine/);
    await refused({ nodesPerMachine: 2.5 }, /nodesPerMachine/);
    await refused({ machines: 0 }, /machines/);
    await refused({ machines: 101 }, /machines/);
    await refused({ machines: 'two' }, /machines/);
    await refused({ nodes: 4 }, /nodes/);
  });

  it('predicts, from the costs measured at 600 connections, each node\'s RSS at 1,800 within 15%, and prints the CPU error', async () => {
    // A fresh node's RSS carries its startup garbage: the meter samples memory from 20 s after a
    // node's first connection (WARMUP_MS), so a small fleet warms the nodes up first, as traffic would.
    const warm = await admin.request('simulator.start', { profile: 'chat', clients: 200, channels: 20, rate: 1, rampSeconds: 2, durationSeconds: 600 });
    await waitFor(() => admin.simulator.some((s) => s.id === warm.id && s.counts.connected === 200), { timeoutMs: 30_000, what: 'the warm-up fleet connected' });
    await sleep(WARMUP_MS + 2000);
    await admin.request('simulator.stop', {});
    await admin.snapshotWhere((s) => s.totals.connections === 0, 10_000, 'the warm-up fleet gone');
    await sleep(5000);
    await runAt(FIRST);
    const first = await estimateWithFits({ nodesPerMachine: 8, machines: 3 });
    const c = first.costs;
    assert.ok(c.memory, `a memory fit (missing: ${c.missing.join(' ')})`);
    assert.ok(c.cpu, `a CPU fit (missing: ${c.missing.join(' ')})`);
    assert.ok(c.memory.slope > 0 && c.cpu.slope > 0);
    assert.equal(first.table.length, 4, '1, 2, 4 and 8 nodes');
    assert.ok(first.table.every((r) => r.machines === 3 && r.maxConnections !== null && r.binding !== null));
    assert.ok(first.assumptions.some((a) => /Redis/.test(a)), 'the Redis assumption for 3 machines');

    // At the measured point: the projection evaluated at the run's own load against what the nodes reported.
    const atFirst = observed(admin.snapshots);
    const here = first.check!;
    const hereRss = relativeError(here.predictedRssPerNode, here.observedRssPerNode);
    const hereCpu = relativeError(here.predictedCpuPerNode, here.observedCpuPerNode);
    console.log(`[capacity] measured at ${first.costs.at.connections} connections, ${first.costs.at.deliveriesPerSec} deliveries/s on ${NODES} nodes `
      + `(${c.memory.samples} memory samples, ${c.cpu.samples} CPU samples)`);
    console.log(`[capacity] costs: idle node ${mb(c.memory.intercept)}, ${(c.memory.slope / 1024).toFixed(2)} KB per connection (spread ${mb(c.memory.spread)}), `
      + `${(c.cpu.slope * 1e4).toFixed(1)} µs CPU per delivery, fixed ${c.cpu.intercept.toFixed(1)}% per node (spread ${c.cpu.spread.toFixed(1)}%); supervisor ${c.supervisorCpuPercent}%`);
    console.log(`[capacity] at the measured point: RSS per node predicted ${mb(here.predictedRssPerNode)} vs seen ${mb(here.observedRssPerNode)} (error ${pct(hereRss)}); `
      + `CPU per node predicted ${here.predictedCpuPerNode}% vs seen ${here.observedCpuPerNode}% (error ${pct(hereCpu)})`);
    console.log(`[capacity] this machine (${first.machine.cores} cores, ${mb(first.machine.totalMemory)}), ${NODES} nodes: max ${first.current.maxConnections} connections `
      + `(binds first: ${first.current.binding}), max ${first.current.maxDeliveriesPerSec} deliveries/s`);
    assert.ok(hereRss !== null && hereRss <= 0.15, `RSS at the measured point within 15%: ${pct(hereRss)}`);
    assert.ok(Math.abs(atFirst.connections - here.connectionsPerNode) <= 1, 'the check ran at the load the nodes reported');

    await admin.request('simulator.stop', {});
    await runAt(SECOND);
    const seen = observed(admin.snapshots);
    const rssPredicted = predictRss(c, seen.connections);
    const cpuPredicted = predictCpu(c, seen.deliveries);
    const rssError = relativeError(rssPredicted, seen.rss);
    const cpuError = relativeError(cpuPredicted, seen.cpu);
    console.log(`[capacity] second point: ${Math.round(seen.connections)} connections and ${Math.round(seen.deliveries)} deliveries/s per node (${seen.samples} node-seconds)`);
    console.log(`[capacity] projection from the first point: RSS per node ${mb(rssPredicted)} vs seen ${mb(seen.rss)} (error ${pct(rssError)}); `
      + `CPU per node ${cpuPredicted?.toFixed(1)}% vs seen ${seen.cpu.toFixed(1)}% (error ${pct(cpuError)}, printed, not asserted)`);
    const second = await admin.request('capacity.estimate', {});
    const again = second.check!;
    console.log(`[capacity] re-measured at the second point: RSS ${mb(again.predictedRssPerNode)} vs ${mb(again.observedRssPerNode)} `
      + `(error ${pct(relativeError(again.predictedRssPerNode, again.observedRssPerNode))}), CPU ${again.predictedCpuPerNode}% vs ${again.observedCpuPerNode}% `
      + `(error ${pct(relativeError(again.predictedCpuPerNode, again.observedCpuPerNode))}); max ${second.current.maxConnections} connections, ${second.current.maxDeliveriesPerSec} deliveries/s`);
    assert.ok(seen.connections > atFirst.connections * 2, 'the second point carried more load');
    assert.ok(rssError !== null && rssError <= 0.15, `RSS per node at the second point within 15% of the projection: ${pct(rssError)}`);
  });

  it('matches, at a busier measured point, the RSS and the CPU the nodes report within 15%', async () => {
    await admin.request('simulator.stop', {});
    await runAt(BUSY);
    const busy: CapacityEstimate = await admin.request('capacity.estimate', {});
    const check = busy.check!;
    assert.ok(busy.costs.cpu && busy.costs.memory, `both fits (missing: ${busy.costs.missing.join(' ')})`);
    const rss = relativeError(check.predictedRssPerNode, check.observedRssPerNode);
    const cpu = relativeError(check.predictedCpuPerNode, check.observedCpuPerNode);
    console.log(`[capacity] busier point: ${busy.costs.at.connections} connections, ${busy.costs.at.deliveriesPerSec} deliveries/s on ${NODES} nodes; `
      + `RSS per node predicted ${mb(check.predictedRssPerNode)} vs seen ${mb(check.observedRssPerNode)} (error ${pct(rss)}), `
      + `CPU per node predicted ${check.predictedCpuPerNode}% vs seen ${check.observedCpuPerNode}% (error ${pct(cpu)}); `
      + `${(busy.costs.cpu.slope * 1e4).toFixed(1)} µs per delivery, max ${busy.current.maxDeliveriesPerSec} deliveries/s`);
    assert.ok(check.deliveriesPerNodePerSec > 2000, `the busier point is busy: ${check.deliveriesPerNodePerSec} deliveries/s per node`);
    assert.ok(rss !== null && rss <= 0.15, `RSS at the busier measured point within 15%: ${pct(rss)}`);
    assert.ok(cpu !== null && cpu <= 0.15, `CPU at the busier measured point within 15%: ${pct(cpu)}`);
  });
});
