/**
 * Surveys over the control bus: a supervisor asks named others one operation (survey-ops.ts) and
 * waits a bounded time for each answer; whoever did not answer is named in the outcome, never left
 * out silently. The same object answers the others' asks with the handlers registered here.
 *
 * ```ts
 * surveys.handle('channels.rows', async () => ({ rows: localRows() }));
 * const o = await surveys.ask('channels.rows', {}, peers.ids());
 * // o.answers: [{ from, result }], o.failed: [{ from, error }], o.unanswered: ['sb-b']
 * ```
 */
import type { ControlMessage, SurveyAnswer, SurveyAsk } from '../../shared/engine/control-messages.js';
import type { SurveyOp, SurveyOps } from '../../shared/engine/survey-ops.js';
import { SURVEY_TIMEOUT_MS } from '../../shared/engine/survey-ops.js';
import type { Json } from '../../shared/protocol/client-protocol.js';
import type { ControlBus } from '../engine/engine.js';

export interface SurveyOutcome<R> {
  answers: { from: string; result: R }[];
  /** Supervisors that answered with an error (unknown op, bad params, their handler failed). */
  failed: { from: string; error: string }[];
  /** Supervisors that did not answer in time (or could not be asked: the bus refused the publish). */
  unanswered: string[];
}

/** Answers one op's params, checked by the handler (they crossed a process boundary). */
type Handler = (params: unknown, from: string) => Promise<unknown>;

interface Pending {
  waiting: Set<string>;
  outcome: SurveyOutcome<unknown>;
  done: () => void;
}

const log = (line: string): void => void process.stderr.write(`switchboard: ${line}\n`);

export class Surveys {
  private seq = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly handlers = new Map<string, Handler>();
  private readonly dispose: () => void;

  constructor(private readonly self: string, private readonly bus: ControlBus, private readonly timeoutMs = SURVEY_TIMEOUT_MS) {
    this.dispose = bus.subscribe((m) => this.onMessage(m));
  }

  /** Answers `op` for other supervisors; the handler checks its params and may throw (answered as an error). */
  handle<O extends SurveyOp>(op: O, handler: (params: unknown, from: string) => Promise<SurveyOps[O]['result']>): void {
    this.handlers.set(op, handler);
  }

  /**
   * Asks `to` (this supervisor is never asked itself) and resolves once each answered or `timeoutMs`
   * passed (default: the survey timeout; longer for operations that wait on a process, like a node restart).
   */
  async ask<O extends SurveyOp>(
    op: O, params: SurveyOps[O]['params'], to: readonly string[], timeoutMs = this.timeoutMs,
  ): Promise<SurveyOutcome<SurveyOps[O]['result']>> {
    const targets = [...new Set(to)].filter((s) => s !== this.self);
    const outcome: SurveyOutcome<unknown> = { answers: [], failed: [], unanswered: [] };
    if (targets.length === 0) return outcome as SurveyOutcome<SurveyOps[O]['result']>;
    const id = `${this.self}:${++this.seq}`;
    let timer: NodeJS.Timeout | undefined;
    const finished = new Promise<void>((resolve) => {
      const pending: Pending = { waiting: new Set(targets), outcome, done: resolve };
      this.pending.set(id, pending);
      timer = setTimeout(resolve, timeoutMs);
    });
    const ask: SurveyAsk = { type: 'survey.ask', id, from: this.self, to: targets, op, params: params as unknown as Json };
    try {
      await this.bus.publish(ask);
      await finished;
    } catch (e) {
      log(`survey ${op}: asking ${targets.join(', ')} failed: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
      const pending = this.pending.get(id);
      this.pending.delete(id);
      if (pending) outcome.unanswered.push(...pending.waiting);
    }
    return outcome as SurveyOutcome<SurveyOps[O]['result']>;
  }

  stop(): void {
    this.dispose();
    for (const p of this.pending.values()) p.done();
  }

  private onMessage(m: ControlMessage): void {
    if (m.type === 'survey.ask' && m.to.includes(this.self)) void this.answer(m);
    else if (m.type === 'survey.answer' && m.to === this.self) this.collect(m);
  }

  private collect(m: SurveyAnswer): void {
    const pending = this.pending.get(m.id);
    if (!pending || !pending.waiting.delete(m.from)) return;
    if (m.error !== undefined) pending.outcome.failed.push({ from: m.from, error: m.error });
    else pending.outcome.answers.push({ from: m.from, result: m.result });
    if (pending.waiting.size === 0) pending.done();
  }

  private async answer(m: SurveyAsk): Promise<void> {
    const reply: SurveyAnswer = { type: 'survey.answer', id: m.id, from: this.self, to: m.from };
    const handler = this.handlers.get(m.op);
    if (!handler) {
      reply.error = `unknown survey op "${m.op.slice(0, 64)}"`;
    } else {
      try {
        reply.result = (await handler(m.params, m.from)) as Json;
      } catch (e) {
        reply.error = (e as Error).message;
      }
    }
    await this.bus.publish(reply).catch((e: Error) => log(`survey ${m.op}: answering ${m.from} failed: ${e.message}`));
  }
}
