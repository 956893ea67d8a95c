/**
 * One scan of /proc: every process on the machine with its parent, start time and CPU time
 * (utime+stime of /proc/PID/stat, which sums all of a process's threads). Two scans, at a window's
 * start and end, give the CPU every process used in between — and so the CPU of the processes
 * outside the bench's own process trees: foreign load. The machine-wide /proc/stat cannot show it
 * here: loopback TCP softirq time lands in the CPU of the processes that send, so the bench's own
 * traffic and other work are indistinguishable there.
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = 100; // USER_HZ of /proc/PID/stat, as in proc.ts

export interface ProcEntry {
  ppid: number;
  /** Start time in clock ticks since boot (tells a reused pid from the process that had it). */
  start: string;
  /** utime+stime in µs, every thread of the process. */
  cpuUs: number;
  comm: string;
}

export interface ProcScan {
  procs: Map<number, ProcEntry>;
  /** Wall time the scan took, ms (its own cost, paid by the bench process). */
  ms: number;
}

function parseStat(stat: string): ProcEntry | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const rest = stat.slice(close + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return {
    ppid: Number(rest[1]),
    start: rest[19] ?? '',
    cpuUs: ((utime + stime) * 1_000_000) / CLK_TCK,
    comm: stat.slice(stat.indexOf('(') + 1, close),
  };
}

/** Reads /proc/PID/stat of every process once. A process that ends during the scan is left out. */
export function scanProcs(): ProcScan {
  const t0 = performance.now();
  const procs = new Map<number, ProcEntry>();
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue; // gone meanwhile
    }
    const e = parseStat(stat);
    if (e) procs.set(Number(name), e);
  }
  return { procs, ms: performance.now() - t0 };
}

/** The roots that are in the scan and every descendant of them (from the parent links of the scan). */
export function treeOf(scan: ProcScan, roots: Iterable<number>): Set<number> {
  const children = new Map<number, number[]>();
  for (const [pid, e] of scan.procs) {
    const list = children.get(e.ppid);
    if (list) list.push(pid);
    else children.set(e.ppid, [pid]);
  }
  const out = new Set<number>();
  const stack = [...roots].filter((p) => scan.procs.has(p));
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (out.has(pid)) continue;
    out.add(pid);
    for (const k of children.get(pid) ?? []) stack.push(k);
  }
  return out;
}

export interface ForeignLoad {
  /** CPU µs of every process outside `own` between the scans (ksoftirqd threads excepted). */
  us: number;
  /** The same per process (pids with some CPU only). */
  byPid: Map<number, number>;
  /** The largest contributors, "comm (pid) ms", largest first (up to 3). */
  top: string[];
  /** CPU µs of the kernel's ksoftirqd/N threads: deferred softirq work — on this machine mostly the bench's own loopback TCP. */
  softirqUs: number;
}

/**
 * What the processes outside `own` used between scan `a` and scan `b`. A process seen in both (same
 * pid and start time) counts its difference; one born after `a` counts all its CPU (born during the
 * scan `a` itself: a few ticks too many). One that ended before `b` cannot be read any more and
 * counts nothing — a short-lived foreign process (born and dead inside the window) is not seen at
 * all, a longer one only up to its end is lost too: foreign load is a lower bound.
 */
export function foreignBetween(a: ProcScan, b: ProcScan, own: ReadonlySet<number>): ForeignLoad {
  let us = 0;
  let softirqUs = 0;
  const byPid = new Map<number, number>();
  for (const [pid, e] of b.procs) {
    if (own.has(pid)) continue;
    const before = a.procs.get(pid);
    const used = e.cpuUs - (before && before.start === e.start ? before.cpuUs : 0);
    if (used <= 0) continue;
    if (e.comm.startsWith('ksoftirqd/')) {
      softirqUs += used;
      continue;
    }
    us += used;
    byPid.set(pid, used);
  }
  const top = [...byPid].sort((x, y) => y[1] - x[1]).slice(0, 3)
    .map(([pid, v]) => `${b.procs.get(pid)!.comm} (${pid}) ${Math.round(v / 1000)} ms`);
  return { us, byPid, top, softirqUs };
}

/** CPU µs one process used between the scans (null when it is not in both as the same process). */
export function usedBetween(a: ProcScan, b: ProcScan, pid: number): number | null {
  const x = a.procs.get(pid);
  const y = b.procs.get(pid);
  if (!x || !y || x.start !== y.start) return null;
  return y.cpuUs - x.cpuUs;
}
