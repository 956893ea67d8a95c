/**
 * Workload 1, capacity and memory: a fresh server, its RSS summed over all its processes, then idle
 * connections added level by level (2k, 5k, 10k): RSS Δ per connection, connect rate, and server
 * CPU per connection established.
 */
import { GeneratorProcess, sleep } from './children.js';
import type { Cpus } from './children.js';
import type { CapacityOptions } from './options.js';
import type { Peer } from './peers.js';
import { BENCH_SECRETS, startPeer } from './peers.js';
import { CpuWindow, DISTURBED_CORES, rssBytes, sumRss } from './proc.js';

export interface CapacityLevel {
  level: number;
  connected: number;
  failed: number;
  rssDeltaBytes: number;
  bytesPerConn: number;
  /** Of the Δ: the server's root process (Switchboard: the supervisor; SIO cluster: the primary) and the others. */
  rootDeltaBytes: number;
  childDeltaBytes: number;
  /** New connections per second while this level's batch was being opened. */
  connectRate: number;
  /** Connections opened in this batch and how long it took. */
  batchConnected: number;
  batchMs: number;
  /** Server CPU µs per connection opened in this batch. */
  cpuUsPerConnect: number;
  foreignCores: number;
  disturbed: boolean;
  /** The generator's CPU while this level's batch was opened, cores (absent in older results). */
  generatorCores?: number;
  failures: string[];
  retried: number;
  retries: string[];
}

export interface CapacityRun {
  peer: Peer['id'];
  rep: number;
  baselineRss: number;
  levels: CapacityLevel[];
  error?: string;
}

async function steadyRss(pids: () => number[], samples = 3): Promise<number> {
  const v: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(100);
    v.push(sumRss(pids()));
  }
  return v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
}

export async function runCapacity(peer: Peer, rep: number, o: CapacityOptions, cpus: { server: Cpus; generator: Cpus }): Promise<CapacityRun> {
  const run: CapacityRun = { peer: peer.id, rep, baselineRss: 0, levels: [] };
  const server = await startPeer(peer, cpus.server);
  const gen = GeneratorProcess.start(cpus.generator);
  try {
    await gen.alive(); // the generator is up before the baseline
    await sleep(500);
    const pids = (): number[] => server.pids;
    await server.refresh();
    run.baselineRss = await steadyRss(pids);
    const rootBaseline = rssBytes(server.pid) ?? 0;
    let held = 0;
    let connected = 0;
    for (const level of o.levels) {
      const window = new CpuWindow(pids, () => [gen.pid, process.pid]);
      const r = await gen.connect({
        kind: peer.kind, url: server.info.clientUrl, urls: server.info.clientUrls, count: level - held, concurrency: o.concurrency,
        tokenSecret: BENCH_SECRETS.tokenSecret,
      });
      const w = window.end();
      held = level;
      connected += r.connected;
      await sleep(o.settleMs);
      await server.refresh();
      const rss = await steadyRss(pids);
      const delta = rss - run.baselineRss;
      const rootDelta = (rssBytes(server.pid) ?? 0) - rootBaseline;
      run.levels.push({
        level,
        connected,
        failed: r.failed,
        rssDeltaBytes: delta,
        bytesPerConn: delta / Math.max(1, connected),
        rootDeltaBytes: rootDelta,
        childDeltaBytes: delta - rootDelta,
        connectRate: r.connected / (r.ms / 1000),
        batchConnected: r.connected,
        batchMs: r.ms,
        cpuUsPerConnect: w.serverUs / Math.max(1, r.connected),
        foreignCores: w.foreignCores,
        disturbed: w.foreignCores > DISTURBED_CORES,
        generatorCores: (w.usOf(gen.pid) ?? Number.NaN) / (w.wallMs * 1000),
        failures: r.failures,
        retried: r.retried,
        retries: r.retries,
      });
    }
  } catch (e) {
    run.error = String((e as Error).message ?? e);
  } finally {
    await gen.stop();
    await server.stop();
  }
  return run;
}
