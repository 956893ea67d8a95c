/**
 * Workload `idle-memory`: RSS per idle connection at high levels (50,000 and 100,000 in the full
 * run; 5,000 and 10,000 quick), every client with 2 subscriptions (one channel all clients share,
 * one of 1,000 channels), summed over all server processes. The clients are held by client
 * processes (bench/connect-storm-child.ts) of at most `perProcess` sockets, each connecting from its
 * own loopback source address (127.0.0.2, 127.0.0.3, …) so that no address runs out of its ~28k
 * ephemeral ports. A level that is not fully reached ends the series: the report gives the highest
 * level held and why (failures, and each server process's open files against its limit).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sleep } from './children.js';
import type { BenchServer, Cpus } from './children.js';
import { forceGc } from './gc.js';
import type { IdleMemoryOptions } from './options.js';
import type { Peer } from './peers.js';
import { BENCH_SECRETS, startPeer } from './peers.js';
import { rssBytes, sumRss } from './proc.js';
import { ordersFor, StormFleet } from './storm.js';

export interface IdleLevel {
  level: number;
  /** Connections held after this level's batch (all batches so far). */
  connected: number;
  failed: number;
  rssDeltaBytes: number;
  bytesPerConn: number;
  /** Of the Δ: the server's root process (Switchboard: the supervisor) and the others. */
  rootDeltaBytes: number;
  /** This level's batch: connections opened and how long it took. */
  batchConnected: number;
  batchMs: number;
  /** Up to 5 reasons of failed attempts, with counts. */
  refusals: string[];
  /** Per server process: open files now, and its limit (from /proc). */
  openFiles: { pid: number; open: number; limit: number }[];
  /** RSS of the client processes per socket they hold (what the generator pays per connection). */
  clientBytesPerConn: number;
}

export interface IdleMemoryRun {
  peer: Peer['id'];
  rep: number;
  baselineRss: number;
  levels: IdleLevel[];
  /** Set when a level was not reached: the highest one held, and why. */
  stoppedAt?: { level: number; reason: string };
  error?: string;
}

/** A forced GC in every server process before a memory reading (bench/gc.ts; redis-server left out). */
async function beforeMemoryReading(server: BenchServer): Promise<void> {
  const refs = server.pids.filter((p) => p !== server.redisPid).map((p) => server.ref(p)).filter((r) => r !== null);
  await forceGc(refs);
}

/** Open files and RLIMIT_NOFILE of a process (0 when it is gone). */
function openFiles(pid: number): { pid: number; open: number; limit: number } {
  try {
    const limits = readFileSync(`/proc/${pid}/limits`, 'utf8').match(/Max open files\s+(\d+)/);
    return { pid, open: readdirSync(`/proc/${pid}/fd`).length, limit: limits ? Number(limits[1]) : Number.NaN };
  } catch {
    return { pid, open: 0, limit: 0 };
  }
}

async function steadyRss(pids: readonly number[]): Promise<number> {
  const v: number[] = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await sleep(100);
    v.push(sumRss(pids));
  }
  return v.sort((a, b) => a - b)[1]!;
}

/** Client i's two channels: one all share, one of 1,000. */
function channelLists(peer: Peer): string[][] {
  return [[peer.channel('idle-all')], Array.from({ length: 1000 }, (_, i) => peer.channel(`idle-${i}`))];
}

export async function runIdleMemory(peer: Peer, rep: number, o: IdleMemoryOptions, cpus: { server: Cpus; generator: Cpus }): Promise<IdleMemoryRun> {
  const run: IdleMemoryRun = { peer: peer.id, rep, baselineRss: 0, levels: [] };
  const server = await startPeer(peer, cpus.server);
  const fleets: StormFleet[] = [];
  try {
    await server.refresh();
    await sleep(o.settleMs); // a fresh server's RSS still moves for a moment after ready
    await beforeMemoryReading(server);
    run.baselineRss = await steadyRss(server.pids);
    const rootBaseline = rssBytes(server.pid) ?? 0;
    let held = 0;
    let sources = 0;
    for (const level of o.levels) {
      const add = level - held;
      const processes = Math.ceil(add / o.perProcess);
      const fleet = await StormFleet.start(ordersFor(add, processes, {
        url: server.info.clientUrl, kind: peer.kind, secret: BENCH_SECRETS.tokenSecret, channels: channelLists(peer),
        concurrency: o.concurrency, giveUpMs: o.giveUpMs, minDelayMs: 200, maxDelayMs: 2000,
      }, held, sources), cpus.generator);
      fleets.push(fleet);
      sources += processes;
      const done = await fleet.go();
      const batchConnected = done.reduce((s, d) => s + d.admitted, 0);
      const failed = done.reduce((s, d) => s + d.failed, 0);
      const refusals: Record<string, number> = {};
      for (const d of done) for (const [why, n] of Object.entries(d.refusals)) refusals[why] = (refusals[why] ?? 0) + n;
      const connected = (run.levels.at(-1)?.connected ?? 0) + batchConnected;
      held = level;
      await sleep(o.settleMs);
      await server.refresh();
      await beforeMemoryReading(server);
      const rss = await steadyRss(server.pids);
      const clientPids = fleets.flatMap((f) => f.pids);
      run.levels.push({
        level, connected, failed,
        rssDeltaBytes: rss - run.baselineRss,
        bytesPerConn: (rss - run.baselineRss) / Math.max(1, connected),
        rootDeltaBytes: (rssBytes(server.pid) ?? 0) - rootBaseline,
        batchConnected,
        batchMs: done.reduce((m, d) => Math.max(m, d.ms), 0),
        refusals: Object.entries(refusals).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([why, n]) => `${n}× ${why}`),
        openFiles: server.pids.map(openFiles),
        clientBytesPerConn: sumRss(clientPids) / Math.max(1, connected),
      });
      if (failed > 0) {
        run.stoppedAt = { level, reason: `${failed} of ${add} clients not connected after ${o.giveUpMs / 1000} s of retries` };
        break;
      }
    }
  } catch (e) {
    run.error = String((e as Error).message ?? e);
  } finally {
    for (const f of fleets) await f.stop();
    await server.stop();
  }
  return run;
}
