/**
 * The node's side of the IPC boundary: messages to the supervisor are batched per event-loop turn
 * (one `process.send` of an array), requests are matched to responses by id, and requests the
 * supervisor never answers (a partition, a restart) fail after a timeout instead of leaking. A
 * message that cannot be sent costs only itself (shared/ipc/guarded-send.ts): its request fails
 * here at once, or the supervisor is told its request failed.
 */
import { describeSendError, sendGuarded } from '../../shared/ipc/guarded-send.js';
import type {
  NodeMessage, NodeRequestName, NodeRequests, SupervisorMessage, SupervisorRequestName, SupervisorRequests,
} from '../../shared/ipc/node-ipc.js';

type Handlers = { [K in SupervisorRequestName]: (req: SupervisorRequests[K]['req']) => Promise<SupervisorRequests[K]['res']> | SupervisorRequests[K]['res'] };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  sentAt: number;
}

/** A request to the supervisor that got no answer in time. */
export class RequestTimeout extends Error {}

/** A request that could not travel, or whose answer could not (see `ResFailed`). */
export class RequestFailed extends Error {}

export class SupervisorLink {
  private outbox: NodeMessage[] = [];
  private scheduled = false;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private handlers: Handlers | null = null;

  constructor(
    private readonly sendBatch: (batch: NodeMessage[]) => void,
    private readonly timeoutMs = 10_000,
    private readonly log: (line: string) => void = (line) => void process.stderr.write(`${line}\n`),
  ) {}

  /** Queues a message; the whole turn's messages leave as one IPC message. */
  send(msg: NodeMessage): void {
    this.outbox.push(msg);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    if (this.outbox.length === 0) return;
    const batch = this.outbox;
    this.outbox = [];
    sendGuarded(batch, { send: this.sendBatch, dropped: (msg, e) => this.dropped(msg, e) });
  }

  /** A message that could not be sent: one log line, and whoever waits for it gets a failure. */
  private dropped(msg: NodeMessage, error: unknown): void {
    const why = describeSendError(error);
    const what = msg.t === 'req' ? `request ${msg.op}` : `'${msg.t}' message`;
    this.log(`switchboard node: a ${what} to the supervisor could not be sent and was dropped (${why})`);
    if (msg.t === 'req') this.fail(msg.id, new RequestFailed(`the request could not be sent (${why})`));
    else if (msg.t === 'res') this.send({ t: 'res.failed', id: msg.id, reason: why });
  }

  private fail(id: number, error: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(error);
  }

  request<K extends NodeRequestName>(op: K, req: NodeRequests[K]['req']): Promise<NodeRequests[K]['res']> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, sentAt: Date.now() });
      this.send({ t: 'req', id, op, req } as NodeMessage);
    });
  }

  serve(handlers: Handlers): void {
    this.handlers = handlers;
  }

  /** Dispatches one message from the supervisor that is not a delivery or the init. */
  async receive(msg: Extract<SupervisorMessage, { t: 'req' | 'res' | 'res.failed' }>): Promise<void> {
    if (msg.t === 'res.failed') return this.fail(msg.id, new RequestFailed(`the supervisor could not send its answer (${msg.reason})`));
    if (msg.t === 'res') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      p.resolve(msg.res);
      return;
    }
    const handler = this.handlers?.[msg.op] as ((req: unknown) => unknown) | undefined;
    if (!handler) return;
    try {
      this.send({ t: 'res', id: msg.id, res: await handler(msg.req) });
    } catch (e) {
      this.log(`switchboard node: ${msg.op} from the supervisor failed: ${(e as Error).stack ?? String(e)}`);
      this.send({ t: 'res.failed', id: msg.id, reason: describeSendError(e) });
    }
  }

  /** After a freeze: the answers may be waiting in the pipe, so the timeouts start again. */
  restartClocks(now: number): void {
    for (const p of this.pending.values()) p.sentAt = now;
  }

  /** Fails requests older than the timeout; called from the node's periodic sweep. */
  expire(now: number): void {
    for (const [id, p] of this.pending) {
      if (now - p.sentAt < this.timeoutMs) continue;
      this.pending.delete(id);
      p.reject(new RequestTimeout('the supervisor did not answer in time'));
    }
  }
}
