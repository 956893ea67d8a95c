/**
 * The node processes: fork, ready, stats, crash → mark down, drop its state, restart with backoff.
 * Owners react through the hooks (registry, broker, events); the pool only runs the lifecycle.
 */
import type { NodeInit, NodeMessage } from '../../shared/ipc/node-ipc.js';
import type { NodeId } from '../../shared/ids.js';
import { asNodeId } from '../../shared/ids.js';
import type { NodeEntry, NodeHealth } from './node-process.js';
import { NodeProcess } from './node-process.js';
import { Standbys } from './standby.js';

export interface PoolHooks {
  /** Every message but stats, ready and responses. */
  message(node: NodeProcess, msg: NodeMessage): void;
  /** The node's process is gone (crash, kill or removal); its sessions and presence must go. */
  down(node: NodeProcess, code: number | null, signal: NodeJS.Signals | null): void;
  up(node: NodeProcess): void;
}

export interface PoolOptions {
  entry: NodeEntry;
  init: Omit<NodeInit, 'nodeId'>;
  autoRestart: boolean;
  /** The supervisor's id: the prefix of every incarnation (`<supervisor>/node-N#k`). */
  supervisorId: string;
  backoffMinMs: number;
  backoffMaxMs: number;
  /** Bytes queued for one node before deliveries to it are dropped (see node-outbox.ts). */
  queueMaxBytes?: number;
  /** Warm standby processes kept to take a lost node's place (`cluster.standby_nodes`; see standby.ts). Default 0. */
  standbyNodes?: number;
}

/** A node slot: the current process and its restart bookkeeping. */
interface Slot {
  proc: NodeProcess;
  restarts: number;
  /** Consecutive short-lived runs, for the backoff. */
  failures: number;
  restartTimer: NodeJS.Timeout | null;
  removed: boolean;
  /** Being drained for removal, or restarted on purpose: no new connections, no automatic restart. */
  draining: boolean;
  /** Giving clients to other nodes (a rebalance): no new connections meanwhile, restarts as usual. */
  shedding: boolean;
}

const STABLE_AFTER_MS = 10_000;

export class NodePool {
  private readonly slots = new Map<NodeId, Slot>();
  private nextIndex = 1;
  private stopping = false;
  private readonly standbys: Standbys;
  autoRestart: boolean;

  constructor(private readonly opts: PoolOptions, private readonly hooks: PoolHooks) {
    this.autoRestart = opts.autoRestart;
    this.standbys = new Standbys({ entry: opts.entry, count: opts.standbyNodes ?? 0 });
  }

  /** Starts a new node (on a standby's process when one waits); resolves when it reported ready. */
  add(): Promise<NodeProcess> {
    const id = asNodeId(`node-${this.nextIndex++}`);
    const slot: Slot = { proc: this.newProcess(id, 0), restarts: 0, failures: 0, restartTimer: null, removed: false, draining: false, shedding: false };
    this.slots.set(id, slot);
    return this.launch(slot);
  }

  /** Forks the standby processes (in the background: they are not waited for). */
  startStandbys(): void {
    if (!this.stopping) this.standbys.fill();
  }

  /** Standby processes waiting to take a lost node's place. */
  get standbyCount(): number {
    return this.standbys.ready;
  }

  /** The standby processes' ids: not nodes, but server processes that take memory. */
  standbyPids(): number[] {
    return this.standbys.pids();
  }

  get(id: string): NodeProcess | undefined {
    return this.slots.get(id as NodeId)?.proc;
  }

  all(): NodeProcess[] {
    return [...this.slots.values()].map((s) => s.proc);
  }

  /** Health as the console shows it: a slot waiting for its restart is 'restarting'. */
  state(id: NodeId, now: number): NodeHealth | 'restarting' {
    const slot = this.slots.get(id);
    if (!slot) return 'down';
    if (slot.restartTimer) return 'restarting';
    return slot.proc.health(now);
  }

  restarts(id: NodeId): number {
    return this.slots.get(id)?.restarts ?? 0;
  }

  healthy(now: number): NodeProcess[] {
    return this.all().filter((p) => p.health(now) === 'healthy');
  }

  /** Nodes that may take new connections: healthy, not cut off the broker, not being drained or shedding, not at their open-file limit. */
  routable(now: number): NodeProcess[] {
    return [...this.slots.values()]
      .filter((s) => !s.draining && !s.shedding && !s.proc.partitioned && s.proc.health(now) === 'healthy' && !s.proc.full)
      .map((s) => s.proc);
  }

  /** Marks a node as leaving: the router skips it from now on. */
  drain(id: NodeId): void {
    const slot = this.slots.get(id);
    if (slot) slot.draining = true;
  }

  /** While `on`, the router skips the node (its clients are being moved to others). */
  shed(id: NodeId, on: boolean): void {
    const slot = this.slots.get(id);
    if (slot) slot.shedding = on;
  }

  /** Whether the node is leaving or giving clients away (and so takes no new connections). */
  isDraining(id: string): boolean {
    const slot = this.slots.get(id as NodeId);
    return slot !== undefined && (slot.draining || slot.shedding);
  }

  /** Ends the node's process gracefully and starts a new one in its place. */
  async restart(id: NodeId): Promise<NodeProcess> {
    const slot = this.slots.get(id);
    if (!slot) throw new Error(`no node ${id}`);
    slot.draining = true;
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    slot.restartTimer = null;
    await this.end(slot.proc);
    slot.draining = false;
    slot.restarts++;
    return this.launch(slot);
  }

  /** Ends every node: a graceful shutdown message, SIGKILL for any that lingers. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.standbys.stop();
    const procs = [...this.slots.values()].map((slot) => {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
      return slot.proc;
    });
    await Promise.all(procs.map((p) => this.end(p)));
  }

  /**
   * SIGKILLs every node process still running (SIGKILL works on a stopped process too), for a
   * supervisor about to exit without a graceful stop: none is left behind, even one too frozen to
   * notice its IPC channel closing. Answers their pids.
   */
  killAll(): number[] {
    this.stopping = true;
    const killed: number[] = this.standbys.stop();
    for (const slot of this.slots.values()) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
      const p = slot.proc;
      if (!p.child || p.exited) continue;
      p.child.kill('SIGKILL');
      killed.push(p.pid);
    }
    return killed;
  }

  /** Removes a node for good (its process is ended; no restart). */
  async remove(id: NodeId): Promise<void> {
    const slot = this.slots.get(id);
    if (!slot) return;
    slot.removed = true;
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    slot.restartTimer = null;
    await this.end(slot.proc);
    this.slots.delete(id);
  }

  /**
   * Kills a node that stopped answering (SIGKILL works on a stopped process too) and starts a new
   * one in its place once it is gone — even with auto-restart off: the supervisor, not a crash,
   * ended it. Its clients see their connections drop, reconnect to other nodes and recover.
   */
  replaceUnresponsive(id: NodeId): boolean {
    const p = this.slots.get(id)?.proc;
    if (!p?.child || p.exited || p.killedUnresponsive) return false;
    p.killedUnresponsive = true;
    p.child.kill('SIGKILL');
    return true;
  }

  /** A process for the slot's `restarts`-th restart: its incarnation differs from every earlier one. */
  private newProcess(id: NodeId, restarts: number): NodeProcess {
    return new NodeProcess(id, `${this.opts.supervisorId}/${id}#${restarts}`, this.opts.init.statsIntervalMs, this.opts.queueMaxBytes);
  }

  private async end(p: NodeProcess): Promise<void> {
    if (p.exited || !p.child) return;
    const exited = new Promise<void>((resolve) => p.child!.once('exit', () => resolve()));
    p.child.kill('SIGCONT'); // a hung (SIGSTOPped) node could not read the shutdown
    p.send({ t: 'shutdown' });
    const kill = setTimeout(() => p.child?.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(kill);
  }

  /** Starts the slot's next process: a waiting standby's when there is one, else a fresh fork. */
  private launch(slot: Slot): Promise<NodeProcess> {
    const proc = this.newProcess(slot.proc.id, slot.restarts);
    slot.proc = proc;
    const standby = this.stopping ? null : this.standbys.take();
    return new Promise((resolve, reject) => {
      let settled = false;
      proc.start(this.opts.entry, { ...this.opts.init, nodeId: proc.id }, {
        message: (node, msg) => {
          if (msg.t === 'stats') return node.onStats(msg.at, msg.stats);
          if (msg.t === 'ready') {
            node.ready = true;
            node.maxConnections = msg.maxConnections ?? Number.POSITIVE_INFINITY;
            node.lastSeenAt = Date.now();
            this.hooks.up(node);
            if (!settled) resolve(node);
            settled = true;
            return;
          }
          this.hooks.message(node, msg);
        },
        exit: (node, code, signal) => {
          this.hooks.down(node, code, signal);
          if (!settled) reject(new Error(`node ${node.id} exited before it was ready (code ${code}, signal ${signal})`));
          settled = true;
          this.scheduleRestart(slot, node);
        },
      }, standby ?? undefined);
    });
  }

  private scheduleRestart(slot: Slot, node: NodeProcess): void {
    if (this.stopping || slot.removed || slot.draining || slot.proc !== node) return;
    if (!this.autoRestart && !node.killedUnresponsive) return;
    slot.failures = Date.now() - node.startedAt > STABLE_AFTER_MS ? 0 : slot.failures + 1;
    const delay = Math.min(this.opts.backoffMaxMs, this.opts.backoffMinMs * 2 ** Math.max(0, slot.failures - 1));
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = null;
      if (this.stopping || slot.removed) return;
      slot.restarts++;
      this.launch(slot).catch(() => undefined);
    }, delay);
    slot.restartTimer.unref();
  }
}
