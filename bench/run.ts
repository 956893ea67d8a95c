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
import { pinningAvailable } from './children.js';
import type { Cpus } from './children.js';
import { runFailover } from './failover.js';
import type { FailoverRun } from './failover.js';
import { runFanout } from './fanout.js';
import type { FanoutRun } from './fanout.js';
import type { BenchOptions } from './options.js';
import { parseArgs } from './options.js';
import type { PeerId } from './peers.js';
import { PEERS } from './peers.js';
import { machineInfo } from './proc.js';
import type { BenchResults } from './report.js';
import { renderReport } from './report.js';
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
    switchboard: `${read('package.json')} (${source()})`,
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

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/**
 * What one repetition of each workload takes on the 2-core machine the bench was built on (full
 * run, measured): used to keep enough time for the workloads still to come. A repetition starts
 * only if it and every later workload's repetitions still fit in the budget (at least one
 * repetition of each workload always runs).
 */
const EXPECTED_REP_MS = { capacity: 75_000, failover: 25_000, 'redis-failover': 110_000, fanout: 45_000, ...SHAPES_REP_MS } as const;
type Workload = keyof typeof EXPECTED_REP_MS;

/** Fan-out's expected time is per peer (45 s each: the Redis rows alone run 2 peers, the full set 7). */
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
    capacity: [], fanout: [], failover: [], redisFailover: [], notes: [], pinned,
  };
  if (o.pin && !pinned) res.notes.push('Pinning asked for but not possible here (no taskset or fewer than 2 cores): nothing was pinned.');

  const order: Workload[] = ['capacity', 'failover', 'redis-failover', 'fanout', 'chat', 'sizes', 'soak'];
  const enabled = order.filter((w) => (w === 'redis-failover' ? o.redisFailover : o[w]) !== null);
  const scale = o.quick ? 0 : 1; // the quick run has one repetition anyway
  for (let wi = 0; wi < enabled.length; wi++) {
    const w = enabled[wi]!;
    const later = enabled.slice(wi + 1).reduce((sum, x) => sum + expectedRepMs(x, o) * shapeReps(x, o) * scale, 0);
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

async function runRep(w: Workload, rep: number, o: BenchOptions, cpus: { server: Cpus; generator: Cpus }, res: BenchResults, log: (s: string) => void): Promise<void> {
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

/** Pins this process (publisher, admin client, sampling) nowhere in particular: it stays unpinned. */
function describeSelf(): string {
  try {
    return execFileSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  console.log(`switchboard bench — ${o.quick ? 'quick' : 'full'} run, ${o.reps} repetition(s)${describeSelf() ? `; ${describeSelf()}` : ''}`);
  const res = await runBench(o);
  // The raw results too, so the tables can be rendered again without a run.
  mkdirSync(`${ROOT}test-results`, { recursive: true });
  writeFileSync(`${ROOT}test-results/bench-${o.quick ? 'quick' : 'full'}.json`, JSON.stringify(res, null, 1));
  const md = renderReport(res);
  console.log(`\n${md}`);
  if (o.quick) {
    mkdirSync(`${ROOT}test-results`, { recursive: true });
    writeFileSync(`${ROOT}test-results/bench-quick.md`, md);
    console.log('quick run: written to test-results/bench-quick.md (BENCHMARKS.md is left alone)');
  } else {
    const partial = o.capacity === null || o.fanout === null || o.failover === null || o.redisFailover === null
      || o.chat === null || o.sizes === null || o.soak === null;
    const path = partial ? `${ROOT}test-results/bench-partial.md` : `${ROOT}BENCHMARKS.md`;
    if (partial) mkdirSync(`${ROOT}test-results`, { recursive: true });
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
