/**
 * The bench's child processes: a peer's server (and, through it, its workers or nodes) and the load
 * generator. Each is started with `node --import tsx`, optionally pinned to a core with `taskset`,
 * talks over IPC, and is ended by pid: SIGTERM, then SIGKILL for any pid still alive after a bound.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchToServer, ServerInfo, ServerToBench } from './servers/common.js';
import type { ConnectRequest, ConnectResult, FailoverResult, FailoverStatus, GeneratorCommand, StepResult } from './generator.js';
import { alive, descendants } from './proc.js';

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
  const env = profilingEnv(server);
  if (cpus !== null && HAS_TASKSET) return spawn('taskset', ['-c', cpus, process.execPath, ...nodeArgs], { stdio, env });
  return spawn(process.execPath, nodeArgs, { stdio, env });
}

export function pinningAvailable(): boolean {
  return HAS_TASKSET;
}

/** Waits until none of the pids is alive, or the bound passes; answers the ones still alive. */
async function waitGone(pids: readonly number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(25);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Ends a process tree by pid: SIGTERM to the root, then SIGKILL each pid still alive. */
async function endByPid(root: number, known: readonly number[], graceMs: number): Promise<void> {
  const pids = [...new Set([root, ...known, ...descendants(root)])].filter((p) => p > 0);
  try {
    process.kill(root, 'SIGTERM');
  } catch {
    // already gone
  }
  const left = await waitGone(pids, graceMs);
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  const stubborn = await waitGone(left, 2000);
  if (stubborn.length > 0) throw new Error(`processes still alive after SIGKILL: ${stubborn.join(', ')}`);
}

export interface NodeInfo {
  id: string;
  pid: number;
  state: string;
}

/** A running peer server. */
export class ServerProcess {
  private seq = 0;
  private readonly waiting = new Map<number, (m: ServerToBench & { t: 'pids' }) => void>();
  private lastPids: number[];

  private constructor(readonly child: ChildProcess, readonly info: ServerInfo, pids: number[]) {
    this.lastPids = pids;
    child.on('message', (m: ServerToBench) => {
      if (m.t !== 'pids') return;
      const done = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      done?.(m);
    });
  }

  static start(script: string, args: unknown, cpus: Cpus, timeoutMs = 30_000): Promise<ServerProcess> {
    const child = spawnNode(script, [JSON.stringify(args)], cpus, [], true);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const pid = child.pid ?? 0;
        void endByPid(pid, descendants(pid), 0).catch(() => undefined)
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
        resolve(new ServerProcess(child, m.info, m.pids));
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
      this.child.send({ t: 'pids', id } satisfies BenchToServer);
    });
    this.lastPids = reply.pids;
    return { pids: reply.pids, nodes: reply.nodes };
  }

  async stop(): Promise<void> {
    await endByPid(this.pid, this.lastPids, 6000);
  }
}

/** The load generator process, driven by request/response over IPC. */
export class GeneratorProcess {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(readonly child: ChildProcess) {
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

  async stop(): Promise<void> {
    if (!this.exited) await this.call({ t: 'exit' }, 5000).catch(() => undefined);
    await endByPid(this.pid, [], 3000);
  }
}
