/**
 * Workload `storm`: a connect storm against every peer. N clients (10,000 in the full run), split
 * over K client processes (bench/connect-storm-child.ts, the mechanism of `npm run storm`), all
 * started at the same moment with no cap on handshakes in flight — the same for every peer. Measured:
 * time until all are connected, p50/p99 connect latency (socket open = TCP + upgrade; ready = the
 * peer's handshake done: Switchboard's connect reply), refusals and retries (centrifuge-js backoff),
 * server CPU over the storm, and the client processes' own CPU (to tell whether they were the limit).
 */
import type { ChildProcess } from 'node:child_process';
import { sleep, spawnHelper } from './children.js';
import type { Cpus } from './children.js';
import type { StormDone, StormOrder } from './connect-storm-child.js';
import type { StormOptions } from './options.js';
import type { Peer } from './peers.js';
import { BENCH_SECRETS, startPeer } from './peers.js';
import { CpuWindow, cpuMicros, DISTURBED_CORES } from './proc.js';
import { pct } from './report-common.js';

/** Per-client latency percentiles (ms). */
export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
}

export interface StormRun {
  peer: Peer['id'];
  rep: number;
  clients: number;
  processes: number;
  admitted: number;
  failed: number;
  /** From `go` to the last client ready. */
  allConnectedMs: number;
  attempts: number;
  refusals: Record<string, number>;
  open: LatencySummary;
  ready: LatencySummary;
  /** First attempt → ready, retries and backoff included. */
  total: LatencySummary;
  /** Server CPU (all processes) over the storm: µs in all, and average cores. */
  serverCpuUs: number;
  serverCores: number;
  /** The client processes' CPU over the storm, average cores (each process can use at most 1). */
  clientCores: number;
  foreignCores: number;
  disturbed: boolean;
  error?: string;
}

function summary(values: readonly number[]): LatencySummary {
  return { p50: pct(values, 50), p99: pct(values, 99), max: values.reduce((m, v) => Math.max(m, v), Number.NaN) };
}

const next = <T>(c: ChildProcess): Promise<T> => new Promise((resolve, reject) => {
  const onExit = (): void => reject(new Error(`client process ${c.pid} exited`));
  c.once('exit', onExit);
  c.once('message', (m: T) => {
    c.off('exit', onExit);
    resolve(m);
  });
});

/**
 * Client processes of a storm or of an idle hold: each gets its slice of the clients and its own
 * loopback source address when given several (each address has its own ~28k ephemeral ports).
 */
export class StormFleet {
  private constructor(private readonly helpers: ReturnType<typeof spawnHelper>[]) {}

  static async start(orders: StormOrder[], cpus: Cpus): Promise<StormFleet> {
    const fleet = new StormFleet([]);
    try {
      for (const order of orders) {
        const h = spawnHelper('./connect-storm-child.ts', cpus, ['--max-old-space-size=4096']);
        fleet.helpers.push(h);
        h.child.send(order);
      }
      await Promise.all(fleet.helpers.map((h) => next(h.child)));
    } catch (e) {
      await fleet.stop();
      throw e;
    }
    return fleet;
  }

  get pids(): number[] {
    return this.helpers.map((h) => h.child.pid ?? 0);
  }

  /** Every process storms at once; resolves with each one's report. */
  go(): Promise<StormDone[]> {
    return Promise.all(this.helpers.map((h) => {
      const done = next<StormDone>(h.child);
      h.child.send('go');
      return done;
    }));
  }

  async stop(): Promise<void> {
    for (const h of this.helpers) if (h.child.connected) h.child.send('exit');
    await Promise.all(this.helpers.map((h) => h.stop(2000)));
  }
}

/**
 * Clients `first … first+total−1` split into `processes` slices; slice i connects from the loopback
 * address `127.0.0.<2+firstSource+i>` (its own ~28k ephemeral ports toward the server's one port).
 */
export function ordersFor(total: number, processes: number, base: Omit<StormOrder, 'first' | 'count'>, first = 0, firstSource = 0): StormOrder[] {
  const per = Math.ceil(total / processes);
  const out: StormOrder[] = [];
  for (let i = 0, at = 0; at < total; i++, at += per) {
    out.push({ ...base, first: first + at, count: Math.min(per, total - at), localAddress: `127.0.0.${2 + firstSource + i}` });
  }
  return out;
}

export async function runStorm(peer: Peer, rep: number, o: StormOptions, cpus: { server: Cpus; generator: Cpus }): Promise<StormRun> {
  const empty = { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const run: StormRun = {
    peer: peer.id, rep, clients: o.clients, processes: o.processes, admitted: 0, failed: 0, allConnectedMs: Number.NaN, attempts: 0,
    refusals: {}, open: empty, ready: empty, total: empty, serverCpuUs: 0, serverCores: 0, clientCores: 0, foreignCores: 0, disturbed: false,
  };
  const server = await startPeer(peer, cpus.server);
  let fleet: StormFleet | null = null;
  try {
    const url = server.info.clientUrl;
    fleet = await StormFleet.start(ordersFor(o.clients, o.processes, {
      url, kind: peer.kind, secret: BENCH_SECRETS.tokenSecret, giveUpMs: o.giveUpMs, ...(o.concurrency ? { concurrency: o.concurrency } : {}),
    }), cpus.generator);
    await sleep(300);
    await server.refresh();
    const clientPids = fleet.pids;
    const clientCpu0 = clientPids.reduce((s, p) => s + (cpuMicros(p) ?? 0), 0);
    const window = new CpuWindow(() => server.pids, () => [...clientPids, process.pid]);
    const t0 = performance.now();
    const done = await fleet.go();
    const wallMs = performance.now() - t0;
    const w = window.end();
    const clientUs = clientPids.reduce((s, p) => s + (cpuMicros(p) ?? 0), 0) - clientCpu0;
    Object.assign(run, {
      admitted: done.reduce((s, d) => s + d.admitted, 0),
      failed: done.reduce((s, d) => s + d.failed, 0),
      allConnectedMs: done.reduce((m, d) => Math.max(m, d.ms), 0),
      attempts: done.reduce((s, d) => s + d.attempts, 0),
      open: summary(done.flatMap((d) => d.openMs)),
      ready: summary(done.flatMap((d) => d.readyMs)),
      total: summary(done.flatMap((d) => d.totalMs)),
      serverCpuUs: w.serverUs,
      serverCores: w.serverUs / 1000 / wallMs,
      clientCores: clientUs / 1000 / wallMs,
      foreignCores: w.foreignCores,
      disturbed: w.foreignCores > DISTURBED_CORES,
    });
    for (const d of done) for (const [why, n] of Object.entries(d.refusals)) run.refusals[why] = (run.refusals[why] ?? 0) + n;
  } catch (e) {
    run.error = String((e as Error).message ?? e);
  } finally {
    await fleet?.stop();
    await server.stop();
  }
  return run;
}
