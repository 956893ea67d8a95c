/**
 * The node's side of the IPC boundary: messages to the supervisor are batched per event-loop turn
 * (one `process.send` of an array), requests are matched to responses by id, and requests the
 * supervisor never answers (a partition, a restart) fail after a timeout instead of leaking.
 */
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

export class SupervisorLink {
  private outbox: NodeMessage[] = [];
  private scheduled = false;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private handlers: Handlers | null = null;

  constructor(
    private readonly sendBatch: (batch: NodeMessage[]) => void,
    private readonly timeoutMs = 10_000,
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
    this.sendBatch(batch);
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
  async receive(msg: Extract<SupervisorMessage, { t: 'req' | 'res' }>): Promise<void> {
    if (msg.t === 'res') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      p.resolve(msg.res);
      return;
    }
    const handler = this.handlers?.[msg.op] as ((req: unknown) => unknown) | undefined;
    if (!handler) return;
    const res = await handler(msg.req);
    this.send({ t: 'res', id: msg.id, res });
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
