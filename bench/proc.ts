/**
 * What the bench reads from /proc: CPU time (user+sys) and RSS of given pids, the CPU of every
 * process outside the bench's own process trees (foreign load, bench/proc-scan.ts), and a
 * description of the machine. Linux only.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { foreignBetween, scanProcs, treeOf, usedBetween } from './proc-scan.js';
import type { ProcScan } from './proc-scan.js';

/** Clock ticks per second of /proc/PID/stat times (USER_HZ: 100 on every Linux this runs on). */
export const CLK_TCK = 100;
const PAGE = 4096;

/** utime+stime of one process in µs, or null when it is gone. */
export function cpuMicros(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may contain spaces: fields are counted after its closing ")".
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return ((utime + stime) * 1_000_000) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Resident set size of one process in bytes, or null when it is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const statm = readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ');
    return Number(statm[1]) * PAGE;
  } catch {
    return null;
  }
}

/** Sum over pids (gone ones count 0). */
export function sumRss(pids: readonly number[]): number {
  let sum = 0;
  for (const pid of pids) sum += rssBytes(pid) ?? 0;
  return sum;
}

/** Machine-wide busy (processes and steal, not interrupts) and total time in µs from /proc/stat (all CPUs). */
export interface MachineCpu {
  busyUs: number;
  totalUs: number;
}

export function machineCpu(): MachineCpu {
  const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0]!;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is inside user.
  // Interrupt time is left out of "busy": loopback TCP is mostly processed in softirq, charged to no
  // process, so counting it would make the bench's own traffic look like foreign load.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const busy = user + nice + system + steal;
  const total = busy + idle + iowait + irq + softirq;
  return { busyUs: (busy * 1_000_000) / CLK_TCK, totalUs: (total * 1_000_000) / CLK_TCK };
}

/** What a {@link CpuWindow} measured. */
export interface CpuWindowResult {
  /** CPU µs of the server processes (sampled as they come and go). */
  serverUs: number;
  /** CPU µs of the bench-side processes given as `ownPids` (generator, bench). */
  ownUs: number;
  /** Foreign load: cores (average) used by processes outside the bench's own process trees. */
  foreignCores: number;
  /** Up to 3 largest foreign processes, "comm (pid) ms". */
  foreignTop: string[];
  /** Per foreign process, CPU µs (for tests and diagnosis; not for JSON). */
  foreignByPid: Map<number, number>;
  /** The kernel's ksoftirqd threads, cores: deferred softirq work, mostly the bench's own loopback TCP; not counted as foreign. */
  softirqCores: number;
  /** /proc/stat busy (user+nice+system+steal) of the whole machine, cores: for reference only. */
  machineBusyCores: number;
  /** Mean wall time of the window's two /proc scans, ms (their own cost). */
  scanMs: number;
  wallMs: number;
  /** CPU µs one process used over the window, from the two scans (null: not there at both edges). */
  usOf(pid: number): number | null;
}

/**
 * A window of measurement: CPU of the server pids, of the bench's own processes, and foreign load —
 * the CPU of every process on the machine outside the bench's own process trees (the bench process,
 * the generator, every server process, redis-server and their descendants), from one scan of /proc
 * at the window's start and one at its end.
 */
export class CpuWindow {
  private readonly machine0: MachineCpu;
  private readonly t0 = performance.now();
  private readonly scan0: ProcScan;
  /** Per process: CPU µs when first seen in the window (0 for one that started inside it), and last seen. */
  private readonly server = new Map<number, { first: number; last: number }>();
  private readonly own = new Map<number, { first: number; last: number }>();

  constructor(private readonly serverPids: () => readonly number[], private readonly ownPids: () => readonly number[]) {
    this.track(this.server, this.serverPids(), true);
    this.track(this.own, this.ownPids(), true);
    this.machine0 = machineCpu();
    this.scan0 = scanProcs();
  }

  private track(map: Map<number, { first: number; last: number }>, pids: readonly number[], atStart: boolean): void {
    for (const pid of pids) {
      const us = cpuMicros(pid);
      if (us === null) continue;
      const seen = map.get(pid);
      if (seen) seen.last = us;
      else map.set(pid, { first: atStart ? us : 0, last: us });
    }
  }

  /**
   * Takes a reading now: a process that started since (a restarted node) is counted from its start,
   * one that is about to end keeps the CPU it used until this reading. Call it while processes come
   * and go (the failover); steady windows need only `end()`.
   */
  sample(): void {
    this.track(this.server, this.serverPids(), false);
    this.track(this.own, this.ownPids(), false);
  }

  /** CPU used since the start. */
  end(): CpuWindowResult {
    this.sample();
    const scan1 = scanProcs();
    const wallMs = performance.now() - this.t0;
    const sum = (map: Map<number, { first: number; last: number }>): number => {
      let us = 0;
      for (const v of map.values()) us += v.last - v.first;
      return us;
    };
    // The bench's trees at either edge: a node killed inside the window is in the first, its
    // replacement in the second; every pid the window tracked counts as the bench's too.
    const roots = [process.pid, ...this.ownPids(), ...this.serverPids(), ...this.server.keys(), ...this.own.keys()];
    const own = treeOf(this.scan0, roots);
    for (const pid of treeOf(scan1, roots)) own.add(pid);
    const foreign = foreignBetween(this.scan0, scan1, own);
    const m = machineCpu();
    const wallUs = Math.max(1, wallMs * 1000);
    const scan0 = this.scan0;
    return {
      serverUs: sum(this.server), ownUs: sum(this.own), foreignCores: foreign.us / wallUs, foreignTop: foreign.top, foreignByPid: foreign.byPid,
      softirqCores: foreign.softirqUs / wallUs, machineBusyCores: (m.busyUs - this.machine0.busyUs) / wallUs,
      scanMs: (scan0.ms + scan1.ms) / 2, wallMs, usOf: (pid) => usedBetween(scan0, scan1, pid),
    };
  }
}

/** A window counts as disturbed when other work took more than this share of a core on average. */
export const DISTURBED_CORES = 0.15;

/**
 * A measurement where the generator used at least this share of a core is generator-limited: its
 * one JavaScript thread (pinned to its own core in capacity and fan-out) was nearly saturated, so
 * a ceiling seen there may be the generator's, not the server's.
 */
export const GENERATOR_LIMITED_CORES = 0.9;

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  loadBefore: [number, number, number];
  kernel: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const load = os.loadavg();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadBefore: [load[0]!, load[1]!, load[2]!],
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

/** Whether a process exists (signal 0). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A process as the bench knows it: its pid and its start time (field 22 of /proc/PID/stat, in
 * clock ticks since boot). Pids are reused — quickly, on a machine where many tests start
 * processes — so the bench signals a pid only while its start time is still the one it recorded.
 */
export interface ProcessRef {
  pid: number;
  start: string;
}

function startTime(pid: number): string | null {
  if (!(pid > 0)) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function refOf(pid: number): ProcessRef | null {
  const start = startTime(pid);
  return start === null ? null : { pid, start };
}

/** The process is still running (and is the same process, not a new one with its pid). */
export function running(ref: ProcessRef): boolean {
  return startTime(ref.pid) === ref.start;
}

/** Sends a signal to the process only if it is still the same one; answers whether it was sent. */
export function signal(ref: ProcessRef, sig: NodeJS.Signals): boolean {
  if (!running(ref)) return false;
  try {
    process.kill(ref.pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Child pids of a process (from /proc/PID/task/TID/children), recursively. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number): void => {
    let kids: number[];
    try {
      kids = readFileSync(`/proc/${p}/task/${p}/children`, 'latin1').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      kids = [];
    }
    for (const k of kids) {
      out.push(k);
      visit(k);
    }
  };
  visit(pid);
  return out;
}
