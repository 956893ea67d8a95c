/**
 * Workload 1, capacity and memory: a fresh server, its RSS summed over all its processes, then idle
 * connections added level by level (2k, 5k, 10k): RSS Δ per connection, connect rate, and server
 * CPU per connection established. Every RSS reading is taken twice: as found, then after a forced
 * GC in every server process (bench/gc.ts); the figures are the after-GC ones.
 */
import { GeneratorProcess, sleep } from './children.js';
import type { BenchServer, Cpus } from './children.js';
import { forceGc, runtimeFlags } from './gc.js';
import type { CapacityOptions } from './options.js';
import type { Peer } from './peers.js';
import { BENCH_SECRETS, startPeer } from './peers.js';
import { CpuWindow, DISTURBED_CORES, rssBytes, sumRss } from './proc.js';

export interface CapacityLevel {
  level: number;
  connected: number;
  failed: number;
  /** After a forced GC in every server process (the baseline too). */
  rssDeltaBytes: number;
  bytesPerConn: number;
  /** The same Δ as found, before the GC (the baseline before its GC). */
  rssDeltaBeforeGcBytes: number;
  /** Server processes that could not be asked for the GC or did not answer in time (0 when every one did). */
  gcMissed: number;
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
  baselineRssBeforeGc: number;
  /** Node/V8 flags of each server process, as /proc shows them (root first), read at the baseline. */
  flags: string[][];
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

/** RSS of every server process as found, then after a forced GC in each of them (answered, or timed out). */
async function rssAroundGc(server: BenchServer): Promise<{ before: number; after: number; missed: number }> {
  const pids = (): number[] => server.pids;
  const before = await steadyRss(pids);
  const refs = server.pids.filter((p) => p !== server.redisPid).map((p) => server.ref(p)).filter((r) => r !== null);
  const gc = await forceGc(refs);
  return { before, after: await steadyRss(pids), missed: gc.notAsked.length + gc.asked - gc.answered };
}

export async function runCapacity(peer: Peer, rep: number, o: CapacityOptions, cpus: { server: Cpus; generator: Cpus }): Promise<CapacityRun> {
  const run: CapacityRun = { peer: peer.id, rep, baselineRss: 0, baselineRssBeforeGc: 0, flags: [], levels: [] };
  const server = await startPeer(peer, cpus.server, o.v8Flags);
  const gen = GeneratorProcess.start(cpus.generator);
  try {
    await gen.alive(); // the generator is up before the baseline
    await sleep(500);
    const pids = (): number[] => server.pids;
    await server.refresh();
    run.flags = server.pids.filter((p) => p !== server.redisPid).map((p) => runtimeFlags(p) ?? []);
    const base = await rssAroundGc(server);
    run.baselineRss = base.after;
    run.baselineRssBeforeGc = base.before;
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
      const rss = await rssAroundGc(server);
      const delta = rss.after - run.baselineRss;
      const rootDelta = (rssBytes(server.pid) ?? 0) - rootBaseline;
      run.levels.push({
        level,
        connected,
        failed: r.failed,
        rssDeltaBytes: delta,
        bytesPerConn: delta / Math.max(1, connected),
        rssDeltaBeforeGcBytes: rss.before - run.baselineRssBeforeGc,
        gcMissed: rss.missed + base.missed,
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
