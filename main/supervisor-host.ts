/**
 * The cluster host as the desktop app sees it: one forked process (embedded-server/host-entry)
 * per run, its ready message, and what happens when it ends. Lifecycle (STYLE.md §4): idle →
 * starting → running → stopping → stopped, or failed (never became ready) / crashed (ended on its
 * own). `stop()` is idempotent; every caller awaits the same shutdown, and a host that does not
 * end in time is killed (its nodes end with it: they exit when their supervisor's IPC closes).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Result } from '../shared/result.js';
import { err, ok } from '../shared/result.js';
import type { ClusterAddresses, HostReply, HostRequest, HostStartOptions } from '../shared/desktop/host-ipc.js';
import { parseHostReply } from '../shared/desktop/host-ipc.js';
import type { ForkEntry } from './paths.js';

export type HostState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed' | 'crashed';

export interface HostExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the host (and its nodes) wrote to stderr. */
  lastOutput: string;
}

export interface HostOptions {
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** Called when a running host ends without being asked to. */
  crashed(exit: HostExit): void;
}

const TAIL_LINES = 12;

export class SupervisorHost {
  state: HostState = 'idle';
  /** The running cluster's addresses (null unless running). */
  cluster: ClusterAddresses | null = null;
  private child: ChildProcess | null = null;
  private exited: Promise<HostExit> | null = null;
  private stopping: Promise<void> | null = null;
  private tail: string[] = [];

  constructor(private readonly entry: ForkEntry, private readonly options: HostOptions) {}

  /** The host's process id while it runs. */
  get pid(): number | null {
    return this.child?.exitCode === null && this.child.signalCode === null ? (this.child.pid ?? null) : null;
  }

  /** Forks the host and waits for its ready message; answers the addresses or why it did not start. */
  async start(options: HostStartOptions): Promise<Result<ClusterAddresses, string>> {
    if (this.state === 'starting' || this.state === 'running' || this.state === 'stopping') {
      return err(`the cluster is ${this.state}`);
    }
    this.state = 'starting';
    this.cluster = null;
    this.stopping = null;
    this.tail = [];
    const child = fork(this.entry.path, [], {
      execArgv: this.entry.execArgv,
      // Under Electron, fork runs the Electron binary: as Node, not as a second app.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal, lastOutput: this.tail.join('\n') }));
    });
    child.on('error', (e) => this.keep(Buffer.from(`${e.message}\n`)));
    const first = await this.firstReply(child, options);
    if (first.ok) {
      this.state = 'running';
      this.cluster = first.value;
      void this.exited.then((exit) => this.onExit(child, exit));
      return first;
    }
    if (this.state === 'starting') this.state = 'failed';
    await this.end(child);
    return first;
  }

  /** Stops the cluster and waits until the host process is gone. */
  stop(): Promise<void> {
    const child = this.child;
    if (child === null || this.exited === null) {
      this.state = this.state === 'idle' ? 'idle' : 'stopped';
      return Promise.resolve();
    }
    this.stopping ??= (async () => {
      if (this.state === 'running' || this.state === 'starting') this.state = 'stopping';
      await this.end(child);
      if (this.state === 'stopping') this.state = 'stopped';
      this.cluster = null;
    })();
    return this.stopping;
  }

  private firstReply(child: ChildProcess, options: HostStartOptions): Promise<Result<ClusterAddresses, string>> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        resolve(err(`the cluster did not start within ${this.startTimeoutMs / 1000} s${this.tailNote()}`));
      }, this.startTimeoutMs);
      timer.unref();
      const onMessage = (raw: unknown): void => {
        const reply = parseHostReply(raw);
        if (!reply.ok) return this.keep(Buffer.from(`${reply.error}\n`));
        const message: HostReply = reply.value;
        if (message.type === 'stopped') return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message.type === 'ready' ? ok(message.cluster) : err(message.message));
      };
      child.on('message', onMessage);
      void this.exited?.then((exit) => {
        clearTimeout(timer);
        const how = exit.signal ?? `code ${exit.code}`;
        resolve(err(this.state === 'stopping' ? 'stopped before it was ready' : `the cluster host ended (${how}) before it was ready${this.tailNote()}`));
      });
      this.send(child, { type: 'start', options });
    });
  }

  /** Asks the host to stop, then kills it if it does not end in time. */
  private async end(child: ChildProcess): Promise<void> {
    const exited = this.exited!;
    if (child.exitCode !== null || child.signalCode !== null) return void (await exited);
    this.send(child, { type: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), this.stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  }

  private onExit(child: ChildProcess, exit: HostExit): void {
    if (this.child !== child || this.state !== 'running') return;
    this.state = 'crashed';
    this.cluster = null;
    this.options.crashed(exit);
  }

  private send(child: ChildProcess, request: HostRequest): void {
    if (child.connected) child.send(request, () => undefined);
  }

  private keep(chunk: Buffer): void {
    process.stderr.write(chunk);
    this.tail.push(...chunk.toString().split('\n').filter((line) => line.trim() !== ''));
    if (this.tail.length > TAIL_LINES) this.tail = this.tail.slice(-TAIL_LINES);
  }

  private tailNote(): string {
    return this.tail.length > 0 ? `: ${this.tail[this.tail.length - 1]}` : '';
  }

  private get startTimeoutMs(): number {
    return this.options.startTimeoutMs ?? 30_000;
  }

  private get stopTimeoutMs(): number {
    return this.options.stopTimeoutMs ?? 8_000;
  }
}
