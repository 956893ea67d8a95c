/**
 * The bench's child processes: a peer's server (and, through it, its workers or nodes) and the load
 * generator. Each is started with `node --import tsx`, optionally pinned to a core with `taskset`,
 * talks over IPC, and is ended by pid: SIGTERM, then SIGKILL for any pid still alive after a bound.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchToServer, ServerInfo, ServerToBench } from './servers/common.js';
import type { ConnectRequest, ConnectResult, FailoverResult, FailoverStatus, GeneratorCommand, ShapeCommand, StepResult } from './generator.js';
import { gcEnv } from './gc.js';
import { descendants, refOf, running, signal } from './proc.js';
import type { ProcessRef } from './proc.js';

const TSX = import.meta.resolve('tsx');
const HAS_TASKSET = existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');

/** Which core(s) a process may run on; null = wherever the OS likes. */
export type Cpus = string | null;

/**
 * `BENCH_CPU_PROF=<dir>` (diagnosis, not for figures): every server process — and, through
 * NODE_OPTIONS, its workers or nodes — writes a V8 CPU profile to <dir> when it exits normally.
 */
function profilingEnv(server: boolean): NodeJS.ProcessEnv {
  const dir = process.env.BENCH_CPU_PROF;
  if (!server || !dir) return process.env;
  const preload = new URL('./support/cpu-prof.mjs', import.meta.url).href;
  return { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`.trim() };
}

function spawnNode(script: string, args: string[], cpus: Cpus, extraExecArgv: string[] = [], server = false): ChildProcess {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const nodeArgs = ['--import', TSX, ...extraExecArgv, path, ...args];
  const stdio: ('ignore' | 'inherit' | 'ipc')[] = ['ignore', 'inherit', 'inherit', 'ipc'];
  // Every server process (and its nodes or workers, which inherit the environment) can be asked for a GC: bench/gc.ts.
  const env = server ? gcEnv(profilingEnv(server)) : process.env;
  const cmd = [...noFilePrefix(), ...(cpus !== null && HAS_TASKSET ? ['taskset', '-c', cpus] : []), process.execPath, ...nodeArgs];
  return spawn(cmd[0]!, cmd.slice(1), { stdio, env });
}

// ─── open files (idle-memory: 50k–100k sockets) ─────────────────────────────────────────────

/** What the bench asked of RLIMIT_NOFILE for its children, and what it got. */
export interface OpenFileLimit {
  wanted: number;
  /** The hard limit every child runs with (Node raises its soft limit to the hard one at start). */
  limit: number;
  /** Why it is not `wanted`, when it is not. */
  note: string;
}

/** Set while children must be started through `prlimit` (a raise was asked for, and is allowed). */
let noFile: OpenFileLimit | null = null;

function currentHardNoFile(): number {
  try {
    const out = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
  } catch {
    return Number.NaN;
  }
}

/**
 * Asks that every child from now on start with RLIMIT_NOFILE `wanted` (soft and hard), through
 * `prlimit`. Tried once here: raising a hard limit needs CAP_SYS_RESOURCE, which a container may not
 * grant even to root — then the children keep the current limit and the answer says so.
 */
export function raiseOpenFiles(wanted: number): OpenFileLimit {
  const hard = currentHardNoFile();
  noFile = null;
  if (hard >= wanted) return { wanted, limit: hard, note: '' };
  try {
    execFileSync('prlimit', [`--nofile=${wanted}:${wanted}`, '--', 'true'], { stdio: 'pipe' });
    return (noFile = { wanted, limit: wanted, note: '' });
  } catch (e) {
    const why = String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim().split('\n')[0];
    return { wanted, limit: hard, note: `prlimit --nofile=${wanted} refused (${why}): every process keeps the hard limit ${hard}` };
  }
}

/** `prlimit …` before a child's command when a raise was asked for and possible. */
function noFilePrefix(): string[] {
  return noFile !== null ? ['prlimit', `--nofile=${noFile.limit}:${noFile.limit}`, '--'] : [];
}

// ─── cores (--cores N) ──────────────────────────────────────────────────────────────────────

/** Where the bench puts its processes: the server's root, its nodes or workers, the generator(s). */
export interface CoreLayout {
  server: Cpus;
  generator: Cpus;
  /** Cores the server's child processes (nodes, workers) are moved to, one each in turn; empty: they stay with the root. */
  nodes: string[];
  /** What was done and why, for the report. */
  note: string;
}

let nodeCores: string[] = [];

/**
 * `--cores N` on a machine with `available` cores: the server's root process (Switchboard's
 * supervisor) on core 0, each of its nodes or workers on a core of its own (1 … N−G−1, in turn), the
 * generator on the last G = max(1, ⌊N/3⌋) cores. With fewer than 4 usable cores there is no core
 * to give a node: the layout is the 2-core one (server on 0, generator on 1).
 */
export function planCores(requested: number, available: number): CoreLayout {
  const n = Math.min(requested, available);
  const base = { server: '0', generator: available >= 2 ? '1' : null, nodes: [] as string[] };
  if (n < 4) {
    return {
      ...base,
      note: `--cores ${requested} on a machine with ${available} cores: no change — with ${n} usable core${n === 1 ? '' : 's'} the server processes share core 0 and the generator has core 1; `
        + 'a node needs a core of its own besides the root\'s and the generator\'s, so at least 4 cores are needed.',
    };
  }
  const g = Math.max(1, Math.floor(n / 3));
  const nodes = Array.from({ length: n - g - 1 }, (_, i) => String(i + 1));
  const generator = g === 1 ? String(n - 1) : `${n - g}-${n - 1}`;
  return {
    server: '0', generator, nodes,
    note: `--cores ${requested} (${available} available, ${n} used): server root on core 0, its nodes or workers on cores ${nodes.join(', ')} (one each, in turn), generator on ${generator}.`,
  };
}

/** From now on, the child processes of every server started are moved to these cores (see {@link planCores}). */
export function useNodeCores(cores: readonly string[]): void {
  nodeCores = [...cores];
}

function pinChildren(pids: readonly number[]): void {
  if (nodeCores.length === 0 || !HAS_TASKSET) return;
  pids.forEach((pid, i) => {
    try {
      // -a: every thread of the process (libuv's pool and V8's helpers too).
      execFileSync('taskset', ['-a', '-p', '-c', nodeCores[i % nodeCores.length]!, String(pid)], { stdio: 'ignore' });
    } catch {
      // the process ended meanwhile
    }
  });
}

/**
 * A helper process of the bench (the connect-storm clients, bench/storm.ts): started like the
 * generator (tsx, pinned to `cpus`, the raised open-file limit) and ended by pid.
 */
export function spawnHelper(script: string, cpus: Cpus, execArgv: string[] = []): { child: ChildProcess; ref: ProcessRef | null; stop: (graceMs?: number) => Promise<void> } {
  const child = spawnNode(script, [], cpus, execArgv);
  const ref = refOf(child.pid ?? 0);
  return { child, ref, stop: (graceMs = 3000) => endByPid(ref, [], graceMs) };
}

export function pinningAvailable(): boolean {
  return HAS_TASKSET;
}

/** Waits until none of the processes runs, or the bound passes; answers the ones still running. */
async function waitGone(refs: readonly ProcessRef[], ms: number): Promise<ProcessRef[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = refs.filter(running);
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(25);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Ends a process tree by pid: SIGTERM to the root, then SIGKILL each process still running after the
 * grace. Only processes the bench started (the root, the pids it reported, its live descendants),
 * each checked against its recorded start time before any signal.
 */
async function endByPid(root: ProcessRef | null, known: readonly ProcessRef[], graceMs: number): Promise<void> {
  if (root === null) return;
  const live = descendants(root.pid).map(refOf).filter((r): r is ProcessRef => r !== null);
  const refs = [root, ...known, ...live];
  signal(root, 'SIGTERM');
  const left = await waitGone(refs, graceMs);
  for (const ref of left) signal(ref, 'SIGKILL');
  const stubborn = await waitGone(left, 2000);
  if (stubborn.length > 0) throw new Error(`processes still running after SIGKILL: ${stubborn.map((r) => r.pid).join(', ')}`);
}

export interface NodeInfo {
  id: string;
  pid: number;
  state: string;
}

/**
 * What the workloads use of a running peer: one server process tree ({@link ServerProcess}), or
 * several supervisors on one Redis (`RedisCluster`, bench/redis-cluster.ts).
 */
export interface BenchServer {
  readonly info: ServerInfo;
  /** The root process (the one publications go to). */
  readonly pid: number;
  /** Every process of the server last reported, redis-server included where there is one. */
  readonly pids: number[];
  /** redis-server's pid where the server runs on Redis, else null. */
  readonly redisPid: number | null;
  /** Asks for the current pids (nodes may have been restarted). */
  refresh(): Promise<{ pids: number[]; nodes: NodeInfo[] }>;
  /** The process behind a pid this server reported (null if unknown or gone). */
  ref(pid: number): ProcessRef | null;
  /** Every process of the server seen so far (for checks that they all ended). */
  allRefs(): ProcessRef[];
  stop(): Promise<void>;
}

/** A running peer server. */
export class ServerProcess implements BenchServer {
  readonly redisPid = null;

  private seq = 0;
  private readonly waiting = new Map<number, (m: ServerToBench & { t: 'pids' }) => void>();
  private lastPids: number[];

  /** Every process of this server the bench has seen (root, workers, nodes — restarted ones too). */
  private readonly refs = new Map<number, ProcessRef>();

  /** Resolves once the root process has exited and been reaped. */
  readonly exited: Promise<void>;

  private constructor(readonly child: ChildProcess, private readonly rootRef: ProcessRef | null, readonly info: ServerInfo, pids: number[]) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    this.lastPids = pids;
    this.remember(pids);
    child.on('message', (m: ServerToBench) => {
      if (m.t !== 'pids') return;
      const done = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      done?.(m);
    });
  }

  /** `execArgv`: the Node/V8 flags the server runs with in production (Switchboard's own). */
  static start(script: string, args: unknown, cpus: Cpus, execArgv: readonly string[] = [], timeoutMs = 30_000): Promise<ServerProcess> {
    const child = spawnNode(script, [JSON.stringify(args)], cpus, [...execArgv], true);
    const rootRef = refOf(child.pid ?? 0);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        void endByPid(rootRef, [], 0).catch(() => undefined)
          .finally(() => reject(new Error(`${script} did not become ready in ${timeoutMs} ms`)));
      }, timeoutMs);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited before ready (${code ?? signal})`));
      });
      child.on('message', (m: ServerToBench) => {
        if (m.t !== 'ready') return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        pinChildren(m.pids.slice(1));
        resolve(new ServerProcess(child, rootRef, m.info, m.pids));
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** The pids last reported (root first). */
  get pids(): number[] {
    return this.lastPids;
  }

  /** Asks the server for its current pids (nodes may have been restarted). */
  async refresh(): Promise<{ pids: number[]; nodes: NodeInfo[] }> {
    const id = ++this.seq;
    const reply = await new Promise<ServerToBench & { t: 'pids' }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not answer for its pids')), 10_000);
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      // With a callback a failed send (the server just died: EPIPE) rejects here instead of being an unhandled 'error' event.
      this.child.send({ t: 'pids', id } satisfies BenchToServer, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.waiting.delete(id);
        reject(err);
      });
    });
    if (reply.pids.some((p) => !this.refs.has(p))) pinChildren(reply.pids.slice(1));
    this.lastPids = reply.pids;
    this.remember(reply.pids);
    return { pids: reply.pids, nodes: reply.nodes };
  }

  private remember(pids: readonly number[]): void {
    for (const pid of pids) {
      if (this.refs.has(pid)) continue;
      const ref = refOf(pid);
      if (ref) this.refs.set(pid, ref);
    }
  }

  /** The process behind a pid this server reported (null if unknown or gone). */
  ref(pid: number): ProcessRef | null {
    const r = this.refs.get(pid);
    return r && running(r) ? r : null;
  }

  /** Every process of the server seen so far (for checks that they all ended). */
  allRefs(): ProcessRef[] {
    return [...this.refs.values()];
  }

  async stop(): Promise<void> {
    await endByPid(this.rootRef, [...this.refs.values()], 6000);
  }
}

/** The load generator process, driven by request/response over IPC. */
export class GeneratorProcess {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  readonly ref: ProcessRef | null;

  private constructor(readonly child: ChildProcess) {
    this.ref = refOf(child.pid ?? 0);
    child.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`generator: ${m.error}`));
    });
    child.on('exit', () => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error('generator exited'));
      this.pending.clear();
    });
  }

  static start(cpus: Cpus): GeneratorProcess {
    return new GeneratorProcess(spawnNode('./generator.ts', [], cpus, ['--max-old-space-size=4096']));
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  private call<T>(cmd: GeneratorCommand, timeoutMs = 120_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error('generator exited'));
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`generator command ${cmd.t} timed out`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v as T); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.child.send({ id, cmd });
    });
  }

  connect(req: ConnectRequest): Promise<ConnectResult> {
    return this.call({ t: 'connect', req });
  }

  alive(): Promise<{ alive: number; total: number }> {
    return this.call({ t: 'alive' });
  }

  beginStep(first: number, count: number, startUs: number, inTimeUs: number): Promise<void> {
    return this.call({ t: 'step.begin', first, count, startUs, inTimeUs });
  }

  endStep(drainMs: number): Promise<StepResult> {
    return this.call({ t: 'step.end', drainMs }, drainMs + 60_000);
  }

  quiet(quietMs: number, maxMs: number): Promise<{ ms: number }> {
    return this.call({ t: 'quiet', quietMs, maxMs }, maxMs + 60_000);
  }

  armFailover(killedAtUs: number): Promise<void> {
    return this.call({ t: 'failover.arm', killedAtUs });
  }

  failoverStatus(): Promise<FailoverStatus> {
    return this.call({ t: 'failover.status' });
  }

  failoverCheck(published: number[], drainMs: number): Promise<FailoverResult> {
    return this.call({ t: 'failover.check', published, drainMs }, drainMs + 60_000);
  }

  /** The chat and soak workloads' commands (bench/chat.ts, bench/soak.ts). */
  shape<T>(cmd: ShapeCommand, timeoutMs = 120_000): Promise<T> {
    return this.call(cmd, timeoutMs);
  }

  async stop(): Promise<void> {
    if (!this.exited) await this.call({ t: 'exit' }, 5000).catch(() => undefined);
    await endByPid(this.ref, [], 3000);
  }
}
