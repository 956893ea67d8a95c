/**
 * One bot process as the coordinator sees it: forked with its plan, its latest report, its phases,
 * and `finish()`, which asks it to close its bots and makes sure (by pid) that it is gone.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { simEntry } from './sim-entry.js';
import type { BotPhase, BotPlan, BotReport, FromBots, ToBots } from './sim-ipc.js';

/** Time a process gets to close its bots and report before it is killed. */
const FINISH_TIMEOUT_MS = 8_000;

export class BotProcess {
  readonly pid: number;
  /** The latest cumulative report (the final one once it finished). */
  report: BotReport | null = null;
  private readonly child: ChildProcess;
  private isReady = false;
  private exited = false;
  private readonly exit: Promise<void>;
  private onReady: (() => void) | null = null;
  private finishing: Promise<void> | null = null;

  constructor(plan: BotPlan) {
    const entry = simEntry('bot-main');
    this.child = fork(entry.path, [], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.pid = this.child.pid ?? 0;
    this.exit = new Promise((resolve) => this.child.once('exit', () => {
      this.exited = true;
      this.onReady?.();
      resolve();
    }));
    this.child.on('error', () => undefined); // 'exit' follows a failed spawn or send
    this.child.on('message', (msg: FromBots) => this.onMessage(msg));
    this.send({ t: 'plan', plan });
  }

  /** True once the process built its bots; false when it exited or `timeoutMs` passed first. */
  async ready(timeoutMs: number): Promise<boolean> {
    if (!this.isReady && !this.exited) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.onReady = resolve;
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
    }
    return this.isReady && !this.exited;
  }

  phase(phase: BotPhase): void {
    this.send({ t: 'phase', phase });
  }

  /** Asks for the final report and waits for the exit; kills the process if it takes too long. Idempotent. */
  finish(): Promise<void> {
    this.finishing ??= (async () => {
      if (this.exited) return;
      this.phase('stopping');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), FINISH_TIMEOUT_MS)));
      if (await Promise.race([this.exit.then(() => false), late])) this.child.kill('SIGKILL');
      clearTimeout(timer);
      await this.exit;
    })();
    return this.finishing;
  }

  private send(msg: ToBots): void {
    if (this.child.connected) this.child.send(msg, (e) => void e);
  }

  private onMessage(msg: FromBots): void {
    switch (msg.t) {
      case 'ready':
        this.isReady = true;
        this.onReady?.();
        return;
      case 'report':
      case 'final':
        this.report = msg.report;
        return;
    }
  }
}
