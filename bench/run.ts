/**
 * `npm run bench` (full: ≥ 3 repetitions, writes BENCHMARKS.md) and `npm run bench -- --quick`
 * (1 repetition, prints, and writes test-results/bench-quick.md — never BENCHMARKS.md).
 * Options: `--no-pin`, `--reps=N`, `--only=capacity,fanout,failover,redis-failover`, `--only=redis` (the Redis
 * rows alone: fan-out of the memory engine vs the Redis engine, and the Redis failover), `--peers=ws,sb1,…` (development).
 *
 * Peers run interleaved within each repetition (the order rotates from one repetition to the next),
 * so background load on this shared machine spreads over all of them instead of hitting one.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { runCapacity } from './capacity.js';
import type { CapacityRun } from './capacity.js';
import { pinningAvailable, planCores, raiseOpenFiles, useNodeCores } from './children.js';
import type { Cpus } from './children.js';
import { runFailover } from './failover.js';
import type { FailoverRun } from './failover.js';
import { runFanout } from './fanout.js';
import type { FanoutRun } from './fanout.js';
import { runIdleMemory } from './idle-memory.js';
import { runStorm } from './storm.js';
import type { BenchOptions } from './options.js';
import { parseArgs } from './options.js';
import type { PeerId } from './peers.js';
import { PEERS } from './peers.js';
import { machineInfo } from './proc.js';
import type { BenchResults } from './report.js';
import { renderReport } from './report.js';
import { serverRuntime } from '../bin/server-build.js';
import { buildMain } from '../main/launcher/build-desktop.js';
import { runShapeRep, SHAPES_REP_MS, shapeReps } from './shapes.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

function versions(): Record<string, string> {
  const read = (path: string): string => {
    try {
      return (JSON.parse(readFileSync(`${ROOT}${path}`, 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    switchboard: `${read('package.json')} (${source()}; ${runtimeLabel()})`,
    ws: read('node_modules/ws/package.json'),
    'socket.io': read('node_modules/socket.io/package.json'),
    '@socket.io/cluster-adapter': read('node_modules/@socket.io/cluster-adapter/package.json'),
    '@socket.io/sticky': read('node_modules/@socket.io/sticky/package.json'),
    tsx: read('node_modules/tsx/package.json'),
  };
}

/** Which Switchboard code ran: BENCH_SOURCE when set (a clean export), else the git commit, marked when its server code has local changes. */
function source(): string {
  if (process.env.BENCH_SOURCE) return process.env.BENCH_SOURCE;
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'embedded-server', 'shared'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return `commit ${commit}${dirty ? ' with local changes to embedded-server/ or shared/' : ''}`;
  } catch {
    return 'commit unknown';
  }
}

/** Which runtime bench/servers/switchboard.ts runs the cluster on (the same rule it uses). */
function runtimeLabel(): string {
  const r = serverRuntime(ROOT, process.env);
  return r.runtime === 'compiled' ? 'compiled JavaScript from dist-electron/' : `TypeScript under tsx: ${r.reason}`;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/**
 * What one repetition of each workload takes on the 2-core machine the bench was built on (full
 * run, measured): used to keep enough time for the workloads still to come. A repetition starts
 * only if it and one repetition of every later workload still fit in the budget (at least one
 * repetition of each workload always runs).
 */
const EXPECTED_REP_MS = { capacity: 100_000, failover: 25_000, 'redis-failover': 50_000, fanout: 60_000, storm: 300_000, 'idle-memory': 240_000, ...SHAPES_REP_MS } as const;
type Workload = keyof typeof EXPECTED_REP_MS;

/** Fan-out's expected time is per peer (60 s each: the Redis rows alone run 2 peers, the full set 7). */
function expectedRepMs(w: Workload, o: BenchOptions): number {
  return w === 'fanout' ? EXPECTED_REP_MS.fanout * (o.fanout?.peers.length ?? 0) : EXPECTED_REP_MS[w];
}

export async function runBench(o: BenchOptions, log: (s: string) => void = (s) => console.log(s)): Promise<BenchResults> {
  const started = Date.now();
  const machine = machineInfo();
  const pinned = o.pin && pinningAvailable() && machine.cores >= 2;
  const cpus: { server: Cpus; generator: Cpus } = pinned ? { server: '0', generator: '1' } : { server: null, generator: null };
  const res: BenchResults = {
    options: o, machine, loadAfter: [0, 0, 0], versions: versions(), startedAt: new Date(started).toISOString(), wallMs: 0,
    capacity: [], fanout: [], failover: [], redisFailover: [], notes: [], pinned, storm: [], idleMemory: [],
  };
  if (o.pin && !pinned) res.notes.push('Pinning asked for but not possible here (no taskset or fewer than 2 cores): nothing was pinned.');
  applyCores(o, machine.cores, pinned, cpus, res);
  if (o.idleMemory) {
    const want = Math.max(...o.idleMemory.levels) + 10_000;
    const nf = raiseOpenFiles(want);
    res.openFiles = nf;
    if (nf.note) res.notes.push(`idle-memory: ${nf.note}.`);
  }

  const order: Workload[] = ['capacity', 'failover', 'redis-failover', 'fanout', 'storm', 'idle-memory', 'chat', 'sizes', 'soak'];
  const optionOf = { capacity: o.capacity, failover: o.failover, 'redis-failover': o.redisFailover, fanout: o.fanout, storm: o.storm, 'idle-memory': o.idleMemory, chat: o.chat, sizes: o.sizes, soak: o.soak };
  const enabled = order.filter((w) => optionOf[w] !== null);
  const scale = o.quick ? 0 : 1; // the quick run has one repetition anyway
  for (let wi = 0; wi < enabled.length; wi++) {
    const w = enabled[wi]!;
    // Time kept for one repetition of every later workload (each runs at least once): the earlier ones,
    // which the targets depend on, get their repetitions first.
    const later = enabled.slice(wi + 1).reduce((sum, x) => sum + expectedRepMs(x, o) * scale, 0);
    let repMs = 0;
    log(`${w}: up to ${shapeReps(w, o)} repetition(s)`);
    for (let rep = 0; rep < shapeReps(w, o); rep++) {
      const elapsed = Date.now() - started;
      if (rep > 0 && elapsed + repMs + later > o.budgetMs) {
        res.notes.push(`${w}: ${rep} of ${o.reps} repetitions run — the next would not have fit in the ${(o.budgetMs / 60_000).toFixed(1)}-minute budget.`);
        log(`  ${w}: stopping after ${rep} repetition(s) (time budget)`);
        break;
      }
      const repStart = Date.now();
      await runRep(w, rep, o, cpus, res, log);
      repMs = Math.max(repMs, Date.now() - repStart);
      log(`  ${w} repetition ${rep + 1} took ${((Date.now() - repStart) / 1000).toFixed(0)} s`);
    }
  }
  const load = os.loadavg();
  res.loadAfter = [load[0]!, load[1]!, load[2]!];
  res.wallMs = Date.now() - started;
  return res;
}

/** `--cores N`: the layout of bench/children.ts `planCores`, said in the notes (on 2 cores: no change, and why). */
function applyCores(o: BenchOptions, cores: number, pinned: boolean, cpus: { server: Cpus; generator: Cpus }, res: BenchResults): void {
  if (o.cores === null) return;
  if (!pinned) {
    res.notes.push(`--cores ${o.cores}: nothing pinned (pinning is off or not possible here), so no layout applied.`);
    return;
  }
  const layout = planCores(o.cores, cores);
  cpus.server = layout.server;
  cpus.generator = layout.generator;
  useNodeCores(layout.nodes);
  res.notes.push(layout.note);
}

async function runRep(w: Workload, rep: number, o: BenchOptions, cpus: { server: Cpus; generator: Cpus }, res: BenchResults, log: (s: string) => void): Promise<void> {
  if (w === 'storm' || w === 'idle-memory') return runConnectionRep(w, rep, o, cpus, res, log);
  if (w === 'chat' || w === 'sizes' || w === 'soak') return runShapeRep(w, rep, o, cpus, res, log);
  if (w === 'capacity') {
    for (const p of rotate(o.capacity!.peers, rep)) {
      log(`  capacity rep ${rep + 1}: ${PEERS[p].label}`);
      const r: CapacityRun = await runCapacity(PEERS[p], rep, o.capacity!, cpus);
      res.capacity.push(r);
      log(`    ${r.error ? `error: ${r.error}` : r.levels.map((l) => `${l.level}: ${(l.bytesPerConn / 1024).toFixed(1)} KB/conn (root ${(l.rootDeltaBytes / 1024 / l.level).toFixed(1)}), ${Math.round(l.connectRate)} conn/s${l.failed ? `, ${l.failed} failed (${l.failures.join('; ')})` : ''}${l.retried ? `, ${l.retried} retried (${l.retries.join('; ')})` : ''}`).join('; ')}`);
    }
    return;
  }
  if (w === 'failover' || w === 'redis-failover') {
    const fo = w === 'failover' ? o.failover! : o.redisFailover!;
    const r: FailoverRun = await runFailover(rep, fo, { server: null, generator: null }, log);
    (w === 'failover' ? res.failover : res.redisFailover).push(r);
    return;
  }
  for (const p of rotate(o.fanout!.peers, rep) as PeerId[]) {
    log(`  fan-out rep ${rep + 1}: ${PEERS[p].label}`);
    const r: FanoutRun = await runFanout(PEERS[p], rep, o.fanout!, cpus, log);
    res.fanout.push(r);
  }
}

async function runConnectionRep(w: 'storm' | 'idle-memory', rep: number, o: BenchOptions, cpus: { server: Cpus; generator: Cpus }, res: BenchResults, log: (s: string) => void): Promise<void> {
  const peers = w === 'storm' ? o.storm!.peers : o.idleMemory!.peers;
  for (const p of rotate(peers, rep)) {
    log(`  ${w} rep ${rep + 1}: ${PEERS[p].label}`);
    if (w === 'storm') {
      const r = await runStorm(PEERS[p], rep, o.storm!, cpus);
      (res.storm ??= []).push(r);
      log(`    ${r.error ? `error: ${r.error}` : `${r.admitted} of ${r.clients} in ${Math.round(r.allConnectedMs)} ms, ready p50/p99 ${r.ready.p50.toFixed(0)}/${r.ready.p99.toFixed(0)} ms, ${r.attempts - r.clients} retries, ${r.failed} failed, server ${r.serverCores.toFixed(2)} cores, clients ${r.clientCores.toFixed(2)} cores`}`);
    } else {
      const r = await runIdleMemory(PEERS[p], rep, o.idleMemory!, cpus);
      (res.idleMemory ??= []).push(r);
      log(`    ${r.error ? `error: ${r.error}; ` : ''}${r.levels.map((l) => `${l.level}: ${l.connected} held, ${(l.bytesPerConn / 1024).toFixed(1)} KB/conn${l.failed ? `, ${l.failed} failed (${l.refusals.join('; ')})` : ''}`).join('; ')}`);
    }
  }
}

/** Pins this process (publisher, admin client, sampling) nowhere in particular: it stays unpinned. */
/** A run with some workload left out (`--only=`): its report goes to test-results/, never BENCHMARKS.md. */
function isPartial(o: BenchOptions): boolean {
  return o.capacity === null || o.fanout === null || o.failover === null || o.redisFailover === null || o.storm === null || o.idleMemory === null
    || o.chat === null || o.sizes === null || o.soak === null;
}

function describeSelf(): string {
  try {
    return execFileSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  // The bench measures what ships: the compiled cluster, built here when missing or older than a source.
  if (serverRuntime(ROOT, process.env).runtime === 'tsx' && process.env.SWITCHBOARD_RUNTIME !== 'tsx' && !(await buildMain({ quiet: true }))) {
    throw new Error('the server build failed (npm run build:server shows why)');
  }
  console.log(`switchboard bench — ${o.quick ? 'quick' : 'full'} run, ${o.reps} repetition(s)${describeSelf() ? `; ${describeSelf()}` : ''}`);
  const res = await runBench(o);
  // The raw results too, so the tables can be rendered again without a run (a partial run never
  // overwrites the full run's).
  mkdirSync(`${ROOT}test-results`, { recursive: true });
  writeFileSync(`${ROOT}test-results/bench-${o.quick ? 'quick' : isPartial(o) ? 'partial' : 'full'}.json`, JSON.stringify(res, null, 1));
  const md = renderReport(res);
  console.log(`\n${md}`);
  if (o.quick) {
    mkdirSync(`${ROOT}test-results`, { recursive: true });
    writeFileSync(`${ROOT}test-results/bench-quick.md`, md);
    console.log('quick run: written to test-results/bench-quick.md (BENCHMARKS.md is left alone)');
  } else {
    const path = isPartial(o) ? `${ROOT}test-results/bench-partial.md` : `${ROOT}BENCHMARKS.md`;
    if (isPartial(o)) mkdirSync(`${ROOT}test-results`, { recursive: true });
    writeFileSync(path, md);
    console.log(`written to ${path.slice(ROOT.length)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
