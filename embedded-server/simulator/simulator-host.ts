/**
 * The supervisor's side of the load simulator: at most one fleet at a time, in a process of its
 * own (forked `fleet-main`), never in the supervisor or a node. Relays the fleet's status to
 * listeners once a second; `stop()` ends the fleet and makes sure, by pid, that every process of it
 * is gone. The fleet also ends by itself at the end of its duration.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { SimulatorParams, SimulatorStatus } from '../../shared/admin/simulator-model.js';
import { emptySimulatorCounts } from '../../shared/admin/simulator-model.js';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import { simEntry } from './sim-entry.js';
import type { FromFleet, SimTarget, ToFleet } from './sim-ipc.js';

/** How long the fleet gets to close its bots and exit before it is killed. */
const STOP_TIMEOUT_MS = 15_000;

interface Run {
  id: string;
  child: ChildProcess;
  status: SimulatorStatus;
  exit: Promise<void>;
  /** The exit handled: final status sent, leftovers reaped. */
  ended: Promise<void>;
}

export class SimulatorHost {
  private run: Run | null = null;
  private seq = 0;
  private readonly listeners = new Set<(status: SimulatorStatus) => void>();

  /** Forks the fleet process; refused while a fleet runs. */
  start(params: SimulatorParams, target: SimTarget): Result<{ id: string }, 'running'> {
    if (this.run !== null) return err('running');
    const id = `sim-${++this.seq}`;
    const entry = simEntry('fleet-main');
    const child = fork(entry.path, [], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const status: SimulatorStatus = {
      id, params, state: 'starting', startedAt: Date.now(), elapsedMs: 0, pids: [child.pid ?? 0], counts: emptySimulatorCounts(),
    };
    const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const run: Run = { id, child, status, exit, ended: Promise.resolve() };
    run.ended = exit.then(() => this.ended(run));
    this.run = run;
    child.on('error', () => undefined); // 'exit' follows a failed spawn or send
    child.on('message', (msg: FromFleet) => {
      run.status = msg.status;
      // The final status goes out once the process is gone (see ended): a listener that sees it can rely on that.
      if (!isOver(msg.status)) this.notify(msg.status);
    });
    this.send(run, { t: 'start', id, params, target });
    return ok({ id });
  }

  /** The running fleet's latest status; null when none runs. */
  status(): SimulatorStatus | null {
    return this.run?.status ?? null;
  }

  /** Ends the fleet, if one runs; resolves once its processes are gone. True when one was running. */
  async stop(): Promise<boolean> {
    const run = this.run;
    if (run === null) return false;
    this.send(run, { t: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS)));
    if (await Promise.race([run.exit.then(() => false), late])) run.child.kill('SIGKILL');
    clearTimeout(timer);
    await run.ended;
    return true;
  }

  /** Status updates (once a second, and the final one). Returns a dispose. */
  onStatus(listener: (status: SimulatorStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private send(run: Run, msg: ToFleet): void {
    if (run.child.connected) run.child.send(msg, (e) => void e);
  }

  /**
   * The fleet process exited. A fleet that finished waited for its bot processes itself; one that
   * did not (it was killed) leaves them to notice the lost IPC channel and exit, and any still
   * there after a grace are killed by pid. Then the final status goes to the listeners.
   */
  private async ended(run: Run): Promise<void> {
    let final = run.status;
    if (!isOver(final)) {
      await reap(final.pids.slice(1));
      final = { ...final, state: 'failed', message: 'the fleet process exited before it finished' };
    }
    if (this.run === run) this.run = null;
    this.notify(final);
  }

  private notify(status: SimulatorStatus): void {
    for (const l of this.listeners) l(status);
  }
}

const REAP_GRACE_MS = 2_000;

const isOver = (s: SimulatorStatus): boolean => s.state === 'finished' || s.state === 'failed';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) for orphaned bot processes to exit, then kills those still there. */
async function reap(pids: number[]): Promise<void> {
  const deadline = Date.now() + REAP_GRACE_MS;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
