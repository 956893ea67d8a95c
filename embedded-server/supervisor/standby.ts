/**
 * Warm standby node processes (`cluster.standby_nodes`): forked with the cluster, they load the node
 * code and then wait for an `init` that only comes when one takes a lost node's place. A restart then
 * costs the init, not a process start (about a second under tsx, mostly module loading). A standby is
 * not a node: it has no id, holds no connections, is never routed to, and is replaced in the
 * background once taken.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { NodeEntry } from './node-process.js';

/** A standby that died while waiting is forked again after this, doubling on each early death up to the max. */
const REFILL_MIN_MS = 250;
const REFILL_MAX_MS = 10_000;
/** A standby that lived this long before it died resets the refill backoff. */
const STABLE_AFTER_MS = 10_000;

export interface StandbyOptions {
  entry: NodeEntry;
  /** Standby processes to keep; 0 keeps none. */
  count: number;
  /** Told when a standby process exits before it was taken (it is replaced after a backoff). */
  lost?(pid: number, code: number | null, signal: NodeJS.Signals | null): void;
}

interface Spare {
  child: ChildProcess;
  startedAt: number;
  onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export class Standbys {
  private readonly spares: Spare[] = [];
  private failures = 0;
  private refillTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly opts: StandbyOptions) {}

  /** Standby processes waiting now. */
  get ready(): number {
    return this.spares.length;
  }

  /** Their process ids (they count in the cluster's memory and CPU like any node). */
  pids(): number[] {
    return this.spares.map((s) => s.child.pid ?? 0).filter((p) => p > 0);
  }

  /** Forks standbys until `count` wait (at once; they load in the background). */
  fill(): void {
    while (!this.stopped && this.refillTimer === null && this.spares.length < this.opts.count) this.spawn();
  }

  /**
   * Hands over a waiting standby's process (the caller sends its `init` and owns it from now on), or
   * null when none waits. A replacement is forked at once, in the background.
   */
  take(): ChildProcess | null {
    const spare = this.spares.shift();
    if (!spare) return null;
    spare.child.off('exit', spare.onExit);
    this.fill();
    return spare.child;
  }

  /** Ends every standby (SIGKILL: a standby has no clients and no state to hand back); no refill after. */
  stop(): number[] {
    this.stopped = true;
    if (this.refillTimer) clearTimeout(this.refillTimer);
    this.refillTimer = null;
    const pids: number[] = [];
    for (const s of this.spares.splice(0)) {
      s.child.off('exit', s.onExit);
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.child.kill('SIGKILL');
        if (s.child.pid) pids.push(s.child.pid);
      }
    }
    return pids;
  }

  private spawn(): void {
    const { entry } = this.opts;
    const child = fork(entry.path, [], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const spare: Spare = { child, startedAt: Date.now(), onExit: (code, signal) => this.died(spare, code, signal) };
    child.on('exit', spare.onExit);
    child.on('error', () => undefined); // 'exit' follows a failed spawn
    this.spares.push(spare);
  }

  private died(spare: Spare, code: number | null, signal: NodeJS.Signals | null): void {
    const i = this.spares.indexOf(spare);
    if (i >= 0) this.spares.splice(i, 1);
    this.opts.lost?.(spare.child.pid ?? 0, code, signal);
    if (this.stopped) return;
    this.failures = Date.now() - spare.startedAt > STABLE_AFTER_MS ? 0 : this.failures + 1;
    const delay = Math.min(REFILL_MAX_MS, REFILL_MIN_MS * 2 ** Math.max(0, this.failures - 1));
    if (this.refillTimer) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = null;
      this.fill();
    }, delay);
    this.refillTimer.unref();
  }
}
