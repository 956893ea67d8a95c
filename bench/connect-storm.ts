/**
 * `npm run storm`: a connect storm against a real cluster. N clients (default 20,000), split over
 * client processes (each holds at most 10,000 sockets, under the open-file limit), open their
 * connections at the same moment and retry refusals with the centrifuge client's backoff. Prints the
 * time until all were admitted, the refusals, and whether every node process is still the one that
 * started. Flags: --clients N --nodes N --rate N (client.connection_rate_limit, 0 = off).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { defaultClusterConfig, startCluster } from '../embedded-server/index.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const clients = flag('clients', 20_000);
const nodes = flag('nodes', 3);
const rate = flag('rate', 0);
const perProcess = 10_000;

const base = defaultClusterConfig({ nodes });
const config = { ...base, admission: { ...base.admission, connectionRateLimit: rate } };
const cluster = await startCluster(config);
const pids = cluster.nodes().map((n) => n.pid);
const children: ChildProcess[] = [];
type Done = { t: 'done'; admitted: number; failed: number; ms: number; attempts: number; refusals: Record<string, number> };
const next = (c: ChildProcess): Promise<unknown> => new Promise((resolve) => c.once('message', resolve));
try {
  for (let first = 0; first < clients; first += perProcess) {
    const child = fork(new URL('./connect-storm-child.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'] });
    children.push(child);
    child.send({ url: cluster.clientUrl, secret: config.client.tokenHmacSecret, first, count: Math.min(perProcess, clients - first) });
  }
  await Promise.all(children.map(next));
  const started = Date.now();
  const results = (await Promise.all(children.map((c) => {
    const done = next(c);
    c.send('go');
    return done;
  }))) as Done[];
  const wall = Date.now() - started;
  const refusals: Record<string, number> = {};
  for (const r of results) for (const [why, n] of Object.entries(r.refusals)) refusals[why] = (refusals[why] ?? 0) + n;
  const alive = cluster.nodes().map((n) => n.pid);
  console.log(JSON.stringify({
    clients, nodes, connectionRateLimit: rate,
    admitted: results.reduce((a, r) => a + r.admitted, 0),
    failed: results.reduce((a, r) => a + r.failed, 0),
    allAdmittedMs: wall,
    attempts: results.reduce((a, r) => a + r.attempts, 0),
    refusals,
    nodesAlive: `${alive.filter((p) => pids.includes(p)).length} of ${pids.length} (same pids)`,
    nodeStates: cluster.nodes().map((n) => `${n.id} ${n.state}`),
  }, null, 2));
} finally {
  for (const c of children) c.send('exit');
  await new Promise((r) => setTimeout(r, 500));
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await cluster.stop();
}
