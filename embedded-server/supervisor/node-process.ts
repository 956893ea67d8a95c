/**
 * One node process as the supervisor sees it: the forked child, the batched IPC to it (node-outbox.ts:
 * guarded, bounded), requests matched by id, its last stats and the health derived from their age
 * (STYLE.md §6).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type {
  Delivery, NodeInit, NodeMessage, NodeStats, SupervisorMessage, SupervisorRequestName, SupervisorRequests,
} from '../../shared/ipc/node-ipc.js';
import type { NodeId } from '../../shared/ids.js';
import { describeSendError } from '../../shared/ipc/guarded-send.js';
import { NodeOutbox } from './node-outbox.js';
import { proxyPeriod } from './proxy-health.js';
import type { ProxyPeriod } from './proxy-health.js';

/** How the node's process stands; `healthy`/`unhealthy` are derived from the age of its last report. */
export type NodeHealth = 'starting' | 'healthy' | 'unhealthy' | 'down';

export interface NodeRates {
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** One core = 100. */
  cpuPercent: number;
}

export interface NodeEvents {
  message(node: NodeProcess, msg: NodeMessage): void;
  exit(node: NodeProcess, code: number | null, signal: NodeJS.Signals | null): void;
}

export interface NodeEntry {
  /** Module path of the node entry (`node-main.ts` or its compiled `.js`). */
  path: string;
  execArgv: string[];
}

/** Hand-offs with Node at once (see `handoffQueue`). */
const HANDOFF_WINDOW = 8;
/** A node that does not confirm a hand-off within this is not waited for (the next socket goes). */
const HANDOFF_TAKEN_TIMEOUT_MS = 2000;
/** Default bound on the bytes queued for one node before deliveries to it are dropped (cluster.node_queue_max_size). */
export const NODE_QUEUE_MAX_BYTES = 32 * 1024 * 1024;

const log = (line: string): void => void process.stderr.write(`switchboard: ${line}\n`);

export class NodeProcess {
  child: ChildProcess | null = null;
  pid = 0;
  ready = false;
  exited = false;
  startedAt = 0;
  /** Unix ms of the last stats report. */
  lastSeenAt = 0;
  stats: NodeStats | null = null;
  /** When `stats` was taken (the node's clock). */
  statsAt = 0;
  /** Per-second rates between the last two reports. */
  rates: NodeRates = { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, cpuPercent: 0 };
  /** Backend proxy calls over the same period as `rates`; null without proxies or before two reports. */
  proxyPeriod: ProxyPeriod | null = null;
  /** Set while a partition fault cuts the node off the broker. */
  partitioned = false;
  /**
   * Sockets handed to this process so far. Those the node has not settled yet (see
   * `NodeStats.handoffsSettled`) are in no report: counting them keeps least-connections honest
   * during a burst, when a report can arrive while hand-offs are still on their way.
   */
  handoffsSent = 0;
  /** Connections the node's open-file limit lets it hold (from its `ready`). */
  maxConnections = Number.POSITIVE_INFINITY;
  /** Set once the supervisor decided to kill this process (it stopped answering). */
  killedUnresponsive = false;
  private readonly outbox: NodeOutbox;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; sentAt: number; fallback: unknown }>();

  constructor(
    readonly id: NodeId,
    /** Unique across supervisors and restarts (`sb-abc123/node-1#2`): owns this process's presence entries. */
    readonly incarnation: string,
    private readonly statsIntervalMs: number,
    queueMaxBytes = NODE_QUEUE_MAX_BYTES,
  ) {
    this.outbox = new NodeOutbox({
      write: (batch, written) => {
        if (this.child?.connected) this.child.send(batch, () => written());
        else written();
      },
      dropped: (msg, e) => this.dropped(msg, e),
      overflow: (dropping, count) => log(dropping
        ? `${this.id} (pid ${this.pid}) is not reading its IPC channel (${this.outbox.maxBytes} bytes queued): dropping deliveries to it until it catches up`
        : `${this.id} (pid ${this.pid}) reads its IPC channel again; ${count} deliveries were dropped meanwhile (its subscribers recover them)`),
    }, queueMaxBytes);
  }

  /**
   * Forks the node's process (or takes `standby`'s, already forked and loaded: see standby.ts) and
   * sends it its init.
   */
  start(entry: NodeEntry, init: NodeInit, events: NodeEvents, standby?: ChildProcess): void {
    const child = standby ?? fork(entry.path, [], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    this.pid = child.pid ?? 0;
    this.startedAt = Date.now();
    child.on('message', (batch: NodeMessage[]) => {
      for (const msg of batch) {
        if (msg.t === 'res') this.settle(msg.id, msg.res);
        else if (msg.t === 'res.failed') this.failed(msg.id, msg.reason);
        else if (msg.t === 'conn.taken') this.handoffTaken();
        else events.message(this, msg);
      }
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      this.ready = false;
      this.failPending();
      this.dropQueuedHandoffs();
      events.exit(this, code, signal);
    });
    child.on('error', () => undefined); // 'exit' follows a failed spawn or send
    this.send({ t: 'init', init });
  }

  health(now: number): NodeHealth {
    if (this.exited || !this.child) return 'down';
    if (!this.ready) return 'starting';
    return now - this.lastSeenAt <= this.statsIntervalMs * 3.5 ? 'healthy' : 'unhealthy';
  }

  /** Connections as last reported plus the hand-offs that report does not include yet. */
  get load(): number {
    return (this.stats?.connections ?? 0) + this.unsettled;
  }

  /**
   * Sockets waiting to be handed over. Node sends a handle only once the node acknowledged the
   * previous one, and holds EVERY message sent meanwhile — deliveries, broker replies — behind it.
   * Left to Node's own queue, a burst of thousands of reconnects delayed the replies to those
   * clients' subscribes by seconds; here at most HANDOFF_WINDOW handles are with Node, each released
   * by the node's `conn.taken`, so other messages wait for a few round trips at most.
   */
  private readonly handoffQueue: { socket: Socket; head: Buffer }[] = [];
  /** Handed to Node, not yet confirmed by the node; each has a timer in case it never is. */
  private readonly handoffsInFlight: NodeJS.Timeout[] = [];

  /** Sockets handed over that the node has not settled yet (as of its last report). */
  get unsettled(): number {
    return Math.max(0, this.handoffsSent - (this.stats?.handoffsSettled ?? 0));
  }

  /** At its open-file limit: a socket handed over now could not be received. */
  get full(): boolean {
    return this.load >= this.maxConnections;
  }

  /** The report the rates are measured from: reports sent early (counts changed) do not move it. */
  private rateBase: { at: number; stats: NodeStats } | null = null;

  onStats(at: number, stats: NodeStats): void {
    const base = this.rateBase;
    const secs = base ? (at - base.at) / 1000 : 0;
    // A node reports early when its connection or subscription count changes: rates stay measured
    // over about a stats interval, so a report 200 ms after the last one does not make them spike.
    if (!base || secs * 1000 >= this.statsIntervalMs * 0.9) {
      if (base && secs > 0) {
        this.rates = rates(base.stats, stats, secs);
        this.proxyPeriod = stats.proxies ? proxyPeriod(base.stats.proxies, stats.proxies, secs) : null;
      }
      this.rateBase = { at, stats };
    }
    this.statsAt = at;
    this.stats = stats;
    this.lastSeenAt = Math.max(at, Date.now() - 1);
  }

  /** Queues a message; one IPC message per turn carries the batch. */
  send(msg: SupervisorMessage): void {
    this.outbox.send(msg);
  }

  /** Queues a delivery, unless the node is cut off (a partition) or not reading (over the queue bound). */
  deliver(item: Delivery): void {
    if (this.partitioned) return; // the fault: broker traffic to this node is lost
    this.outbox.deliver(item);
  }

  request<K extends SupervisorRequestName>(
    op: K, req: SupervisorRequests[K]['req'], fallback: SupervisorRequests[K]['res'],
  ): Promise<SupervisorRequests[K]['res']> {
    if (this.exited || !this.child) return Promise.resolve(fallback);
    const id = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, sentAt: Date.now(), fallback });
      this.send({ t: 'req', id, op, req } as SupervisorMessage);
    });
  }

  /** Hands a client socket over, with the head bytes the gateway read. */
  handoff(socket: Socket, head: Buffer): boolean {
    if (!this.child?.connected) return false;
    this.handoffsSent++;
    this.handoffQueue.push({ socket, head });
    this.pumpHandoffs();
    return true;
  }

  /** Sockets waiting for their turn on the node's IPC channel. */
  get handoffsQueued(): number {
    return this.handoffQueue.length;
  }

  private pumpHandoffs(): void {
    while (this.handoffsInFlight.length < HANDOFF_WINDOW && this.handoffQueue.length > 0) {
      const { socket, head } = this.handoffQueue.shift()!;
      const child = this.child;
      if (socket.destroyed || !child?.connected) {
        this.handoffsSent--; // never reached the node, which will not settle it
        socket.destroy();
        continue;
      }
      const timer = setTimeout(() => this.handoffTaken(timer), HANDOFF_TAKEN_TIMEOUT_MS);
      this.handoffsInFlight.push(timer);
      child.send({ t: 'conn', head: head.toString('base64') }, socket, { keepOpen: false }, (e) => {
        if (!e) return;
        this.handoffsSent--;
        socket.destroy();
        this.handoffTaken(timer);
      });
    }
  }

  /**
   * The node has a socket (its `conn.taken`, in hand-off order: the oldest in flight), or one was not
   * confirmed in time or failed (`timer` names it): the next one may go.
   */
  private handoffTaken(timer?: NodeJS.Timeout): void {
    const i = timer === undefined ? 0 : this.handoffsInFlight.indexOf(timer);
    if (i < 0 || this.handoffsInFlight.length === 0) return;
    clearTimeout(this.handoffsInFlight[i]);
    this.handoffsInFlight.splice(i, 1);
    this.pumpHandoffs();
  }

  /** The node is gone: the sockets still waiting are closed (their clients reconnect elsewhere). */
  private dropQueuedHandoffs(): void {
    for (const timer of this.handoffsInFlight.splice(0)) clearTimeout(timer);
    for (const { socket } of this.handoffQueue.splice(0)) {
      this.handoffsSent--;
      socket.destroy();
    }
  }

  /** Answers requests the node left unanswered too long with their fallback. */
  expire(now: number, timeoutMs: number): void {
    for (const [id, p] of this.pending) {
      if (now - p.sentAt >= timeoutMs) this.settle(id, p.fallback);
    }
  }

  flush(): void {
    this.outbox.flush();
  }

  /** A message that could not be encoded: logged; whoever waits for it gets its failure. */
  private dropped(msg: SupervisorMessage, error: unknown): void {
    const why = describeSendError(error);
    log(`a '${msg.t === 'req' ? `req ${msg.op}` : msg.t}' message to ${this.id} could not be sent and was dropped (${why})`);
    if (msg.t === 'res') this.send({ t: 'res.failed', id: msg.id, reason: why });
    else if (msg.t === 'req') this.settle(msg.id, this.pending.get(msg.id)?.fallback);
  }

  /** The node could not send its answer to request `id`: the request gets its fallback. */
  private failed(id: number, reason: string): void {
    log(`${this.id} could not answer request ${id} (${reason}); answering its fallback`);
    this.settle(id, this.pending.get(id)?.fallback);
  }

  private settle(id: number, value: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.resolve(value);
  }

  private failPending(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, this.pending.get(id)!.fallback);
    this.outbox.clear();
  }
}

/** Per-second rates between two reports `secs` apart. */
function rates(prev: NodeStats, stats: NodeStats, secs: number): NodeRates {
  return {
    messagesIn: Math.max(0, stats.messagesIn - prev.messagesIn) / secs,
    messagesOut: Math.max(0, stats.messagesOut - prev.messagesOut) / secs,
    bytesIn: Math.max(0, stats.bytesIn - prev.bytesIn) / secs,
    bytesOut: Math.max(0, stats.bytesOut - prev.bytesOut) / secs,
    cpuPercent: Math.max(0, stats.cpuMicros - prev.cpuMicros) / 10_000 / secs,
  };
}
