/**
 * The figures of docs/reliability.md "Drain and rebalance" (not part of `npm test`):
 *   node --import tsx test/drain-figures.ts [clients=600] [rates=200,2000]
 * For each rate: a 3-node cluster, `clients` real centrifuge clients subscribed to one recoverable
 * channel while the HTTP API publishes 50/s; the busiest node is drained (`node.remove` at the rate),
 * then a fresh node is added and the cluster rebalanced at the same rate. Prints clients moved per
 * second (from the node.drained events), the time until every moved client was subscribed again
 * with recovered:true, and what every client received against what was published (lost, duplicated,
 * out of order).
 */
import { AdminClient } from './support/admin-client.js';
import { settledCounts } from './support/cluster-nodes.js';
import {
  CLIENT_OPTIONS, PublishStream, StreamRecorder, SUB_OPTIONS, describeTimes, faultClusterOptions, range, streamProblems,
} from './support/publish-stream.js';
import type { TestCluster } from './support/test-cluster.js';
import { sleep, startTestCluster, waitFor } from './support/test-cluster.js';

const clients = Number(process.argv[2] ?? 600);
const rates = (process.argv[3] ?? '200,2000').split(',').map(Number);

async function connectAll(cluster: TestCluster, channel: string): Promise<StreamRecorder[]> {
  const out: StreamRecorder[] = [];
  for (let i = 0; i < clients; i += 20) {
    out.push(...await Promise.all(range(i + 1, Math.min(clients, i + 20)).map((n) => StreamRecorder.start(
      cluster, `user-${n}`, channel, { client: CLIENT_OPTIONS, sub: SUB_OPTIONS },
    ))));
  }
  return out;
}

/** Moved per second and recovery of one move that started at `from` off `nodes`. */
async function measure(admin: AdminClient, recorders: StreamRecorder[], nodes: string[], from: number, code: number): Promise<string> {
  await waitFor(() => nodes.every((n) => admin.events.some((e) => e.type === 'node.drained' && e.node === n && e.at >= from)), {
    timeoutMs: 120_000, what: 'the move to end',
  });
  const drained = admin.events.filter((e) => e.type === 'node.drained' && nodes.includes(e.node) && e.at >= from);
  const moved = drained.reduce((n, e) => n + (e.type === 'node.drained' ? e.moved : 0), 0);
  const ms = Math.max(...drained.map((e) => (e.type === 'node.drained' ? e.ms : 0)));
  const movers = recorders.filter((r) => r.reconnects.some((x) => x.at >= from && x.ctx.code === code));
  await waitFor(() => movers.every((r) => r.recoveredAfter(from) !== null), { timeoutMs: 60_000, what: 'every moved client recovered' }).catch(() => undefined);
  const recovered = movers.map((r) => r.recoveredAfter(from)).filter((t): t is number => t !== null);
  const notRecovered = movers.filter((r) => r.subscribedAfter(from).some((s) => !s.recovered)).length;
  return `${moved} moved in ${ms} ms = ${(moved / (ms / 1000)).toFixed(0)}/s; recovered:true ${recovered.length}/${movers.length} `
    + `(${describeTimes(recovered.map((t) => t - from))}, last at ${Math.max(0, ...recovered) - from} ms); recovered:false ${notRecovered}`;
}

async function run(rate: number): Promise<void> {
  // Centrifugo's default pings (25 s): the fault tests' 1 s / 500 ms would cut clients of this busy
  // process with 3012 and blur what the moves themselves cost.
  const cluster = await startTestCluster(faultClusterOptions({ nodes: 3, client: {} }));
  try {
    const admin = cluster.track(await AdminClient.connect(cluster.handle));
    const recorders = await connectAll(cluster, `chat:figures-${rate}`);
    const counts = await settledCounts(cluster, clients, 30_000);
    const publisher = new PublishStream(cluster, `chat:figures-${rate}`, { everyMs: 20, max: 20_000, deadlineMs: 300_000 });
    await publisher.waitSent(20);
    const [victim] = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a));
    let from = Date.now();
    await admin.request('node.remove', { node: victim, rate });
    console.log(`rate ${rate}/s, drain ${victim} (${counts.get(victim)} of ${clients}): ${await measure(admin, recorders, [victim], from, 3001)}`);
    const added = await admin.request('node.add', {});
    await sleep(1500);
    from = Date.now();
    const plan = await admin.request('cluster.rebalance', { rate });
    console.log(`rate ${rate}/s, rebalance onto ${added.node} (${plan.from.map((f) => `${f.node} ${f.clients}`).join(', ')}): `
      + `${await measure(admin, recorders, plan.from.map((f) => f.node), from, 3011)}`);
    await publisher.waitSent(publisher.sent + 25);
    publisher.stop();
    await publisher.finished;
    const total = publisher.sent;
    await waitFor(() => recorders.every((r) => r.hasAll(total)), { timeoutMs: 20_000, what: 'all publications everywhere' }).catch(() => undefined);
    await sleep(500);
    const bad = recorders.map((r) => streamProblems(r.received, total)).filter((p) => p !== '');
    const final = await settledCounts(cluster, clients, 30_000);
    console.log(`rate ${rate}/s: ${total} publications × ${clients} clients = ${total * clients} deliveries checked; clients with a problem: ${bad.length}`
      + `${bad.length > 0 ? ` (${bad.slice(0, 3).join(' | ')})` : ''}; final spread ${JSON.stringify([...final])}`);
  } finally {
    await cluster.stop();
  }
}

for (const rate of rates) await run(rate);
