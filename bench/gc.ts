/**
 * A forced GC in every server process before a memory reading (BENCH-METHOD.md, fair-comparison
 * rules). Every server process the bench starts — and, through the inherited environment, every
 * Switchboard node and Socket.IO worker — runs with `--expose-gc` and ./support/gc-on-signal.mjs
 * (both through NODE_OPTIONS, in the bench's launch only: nothing in production code). The bench
 * sends SIGUSR2 to each process and waits for its answer file. No process is signalled before its
 * answer file exists: that file is written once the handler is installed, and SIGUSR2 would end a
 * Node process without it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { running, signal } from './proc.js';
import type { ProcessRef } from './proc.js';

const GC_DIR = mkdtempSync(join(tmpdir(), 'switchboard-bench-gc-'));
process.on('exit', () => rmSync(GC_DIR, { recursive: true, force: true }));

const PRELOAD = new URL('./support/gc-on-signal.mjs', import.meta.url).href;

/** NODE_OPTIONS additions and the answer directory every server process is started with. */
export function gcEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, BENCH_GC_DIR: GC_DIR, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --expose-gc --import ${PRELOAD}`.trim() };
}

/** How many GCs the process has answered so far (0: handler installed, none yet), or null: not installed, or gone. */
function answered(pid: number): number | null {
  try {
    return Number(readFileSync(join(GC_DIR, String(pid)), 'latin1').split(' ')[0]);
  } catch {
    return null;
  }
}

export interface GcResult {
  /** Processes asked (those whose handler was installed) and those that answered in time. */
  asked: number;
  answered: number;
  /** Processes given that could not be asked (no handler: not started by the bench with it, or gone). */
  notAsked: number[];
  ms: number;
}

/** Asks every process for a full GC and waits (at most `timeoutMs`) until each has answered. */
export async function forceGc(refs: readonly ProcessRef[], timeoutMs = 10_000): Promise<GcResult> {
  const t0 = performance.now();
  const deadline = t0 + timeoutMs;
  // A process forked a moment ago (a standby node, a restarted worker) may still be loading: give its
  // handler until the deadline to appear, as long as the process runs.
  while (performance.now() < deadline && refs.some((r) => answered(r.pid) === null && running(r))) await new Promise((r) => setTimeout(r, 20));
  const waiting = new Map<number, number>();
  const notAsked: number[] = [];
  for (const ref of refs) {
    const before = answered(ref.pid);
    if (before !== null && signal(ref, 'SIGUSR2')) waiting.set(ref.pid, before);
    else notAsked.push(ref.pid);
  }
  const asked = waiting.size;
  while (waiting.size > 0 && performance.now() < deadline) {
    for (const [pid, count] of waiting) if ((answered(pid) ?? 0) > count) waiting.delete(pid);
    if (waiting.size > 0) await new Promise((r) => setTimeout(r, 20));
  }
  return { asked, answered: asked - waiting.size, notAsked, ms: performance.now() - t0 };
}

/**
 * The Node/V8 flags a process runs with, as the kernel shows them: the options before the script in
 * /proc/PID/cmdline, then those of NODE_OPTIONS in /proc/PID/environ (`--import` and its module left
 * out: loaders, not runtime flags). Null when the process is gone.
 */
export function runtimeFlags(pid: number): string[] | null {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').slice(1);
    const env = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').find((e) => e.startsWith('NODE_OPTIONS='));
    return [...flagsBeforeScript(argv), ...flagsBeforeScript((env?.slice('NODE_OPTIONS='.length) ?? '').split(' ').filter(Boolean))];
  } catch {
    return null;
  }
}

function flagsBeforeScript(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--import') i++;
    else if (a.startsWith('--import=')) continue;
    else if (a.startsWith('-')) out.push(a);
    else break;
  }
  return out;
}
