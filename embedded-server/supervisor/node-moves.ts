/**
 * Moving clients off a node at a chosen rate: the drain before a removal, and a rebalance after a
 * node joins. Clients are told to reconnect in batches (oldest first); the gateway routes them to
 * the other nodes, where they resubscribe and recover from the broker's history. While clients move
 * off a node it takes no new connections. Progress shows in the node's snapshot (`drain`) and as
 * `node.draining` / `node.drained` events.
 */
import type { DrainProgress, DrainPurpose } from '../../shared/admin/admin-model.js';
import type { AdminError } from '../../shared/admin/admin-api.js';
import { AdminErrors } from '../../shared/admin/admin-api.js';
import type { NodeId } from '../../shared/ids.js';
import type { CloseCode } from '../../shared/protocol/codes.js';
import { Disconnects } from '../../shared/protocol/codes.js';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { Supervisor } from './supervisor.js';

/** One batch per tick: at 200 clients/s, 20 clients every 100 ms. */
const TICK_MS = 100;

/** The close each purpose sends: both are reconnect codes (PROTOCOL.md §5.2). */
const CLOSE: Record<DrainPurpose, CloseCode> = {
  remove: Disconnects.shutdown,
  rebalance: Disconnects.forceReconnect,
};

interface Move {
  progress: DrainProgress;
  cancelled: boolean;
  done: Promise<number>;
}

export class NodeMoves {
  private readonly active = new Map<string, Move>();

  constructor(private readonly sv: Supervisor) {}

  /** The move in progress off `node`, if any (a copy for the snapshot). */
  progress(node: string): DrainProgress | undefined {
    const m = this.active.get(node);
    return m ? { ...m.progress } : undefined;
  }

  has(node: string): boolean {
    return this.active.has(node);
  }

  /**
   * Tells up to `total` clients of `node` to reconnect elsewhere, `rate` per second; for a removal,
   * every client it holds (`total` is the node's own count, and grows if more are found). Resolves
   * with how many moved.
   */
  start(node: NodeId, purpose: DrainPurpose, total: number, rate: number): Promise<number> {
    const existing = this.active.get(node);
    if (existing) return existing.done;
    const move: Move = {
      progress: { purpose, total, moved: 0, rate, startedAt: Date.now() },
      cancelled: false,
      done: Promise.resolve(0),
    };
    this.active.set(node, move);
    this.sv.events.emit({ type: 'node.draining', node, purpose, total, rate });
    move.done = this.run(node, move).finally(() => {
      this.active.delete(node);
      this.sv.events.emit({ type: 'node.drained', node, purpose, moved: move.progress.moved, ms: Date.now() - move.progress.startedAt });
    });
    return move.done;
  }

  /** Ends every move where it is (the supervisor is stopping). */
  stop(): void {
    for (const m of this.active.values()) m.cancelled = true;
  }

  private async run(node: NodeId, m: Move): Promise<number> {
    const p = m.progress;
    const close = CLOSE[p.purpose];
    if (p.purpose === 'remove') {
      // The node's own count (its last report may lag): a batch of none answers how many it holds.
      const { left } = await this.sv.toNode(node, 'node.drain', { ...close, limit: 0 });
      p.total = left;
    }
    while (!m.cancelled && p.moved < p.total) {
      const proc = this.sv.pool.get(node);
      if (!proc || proc.exited) break;
      const due = Math.min(p.total, Math.max(1, Math.floor((p.rate * (Date.now() - p.startedAt)) / 1000)));
      const want = due - p.moved;
      if (want > 0) {
        const { count, left } = await this.sv.toNode(node, 'node.drain', { ...close, limit: want });
        p.moved += count;
        if (p.purpose === 'remove') p.total = Math.max(p.total, p.moved + left);
        if (left === 0) break;
      }
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
    return p.moved;
  }
}

/** A node's load as the rebalance sees it. */
export interface NodeLoad {
  node: string;
  clients: number;
}

/**
 * Which nodes give how many clients so that every node ends within 10% of the mean: each node above
 * the mean (rounded up) gives its excess; the reconnecting clients go to the least loaded nodes. Empty
 * when the spread (max − min) is already within 10% of the mean, or there is one node.
 */
export function rebalancePlan(loads: readonly NodeLoad[]): NodeLoad[] {
  if (loads.length < 2) return [];
  const total = loads.reduce((n, l) => n + l.clients, 0);
  const mean = total / loads.length;
  const counts = loads.map((l) => l.clients);
  if (Math.max(...counts) - Math.min(...counts) <= 0.1 * mean) return [];
  const keep = Math.ceil(mean);
  return loads.filter((l) => l.clients > keep).map((l) => ({ node: l.node, clients: l.clients - keep }));
}

/**
 * Starts a rebalance of this supervisor's routable nodes at `rate` clients/s in all (shared among the
 * source nodes by how many each gives). Answers the plan; the moves run on, and the sources take no
 * new connections until the moved clients have reconnected (elsewhere). Sticky routing is refused:
 * a moved user's reconnect would follow its hash, not the load.
 */
export function rebalance(sv: Supervisor, rate: number, by: string): Result<{ moving: number; from: NodeLoad[] }, AdminError> {
  if (sv.router.strategy === 'sticky') {
    return err({ code: AdminErrors.conflict, message: 'rebalance needs least-connections or round-robin routing (sticky sends a user back to its node): change the strategy first' });
  }
  const busy = sv.pool.all().find((p) => sv.moves.has(p.id) || sv.pool.isDraining(p.id));
  if (busy) return err({ code: AdminErrors.conflict, message: `clients are being moved off ${busy.id}: wait for it to finish` });
  const loads = sv.pool.routable(Date.now()).map((p) => ({ node: p.id, clients: p.load }));
  const from = rebalancePlan(loads);
  const moving = from.reduce((n, l) => n + l.clients, 0);
  sv.events.emit({ type: 'admin.action', by, action: 'cluster.rebalance', detail: moving === 0
    ? `nothing to move (${loads.map((l) => `${l.node}: ${l.clients}`).join(', ')})`
    : `${moving} connections from ${from.map((l) => `${l.node} (${l.clients})`).join(', ')} at ${rate}/s` });
  const ids = from.map((l) => l.node as NodeId);
  for (const id of ids) sv.pool.shed(id, true);
  const total = loads.reduce((n, l) => n + l.clients, 0);
  void Promise.all(from.map((l) => sv.moves.start(l.node as NodeId, 'rebalance', l.clients, Math.max(1, Math.round((rate * l.clients) / moving)))))
    .then(() => reconnected(sv, loads.map((l) => l.node), total))
    .finally(() => { for (const id of ids) sv.pool.shed(id, false); });
  return ok({ moving, from });
}

/** Longest the sources stay out of routing after the last batch, waiting for the moved clients to reconnect. */
const SETTLE_MS = 10_000;

/**
 * Resolves once the nodes report `total` connections again (every moved client reconnected, and so
 * landed on a node that was not a source) or after SETTLE_MS. Routing to the sources again earlier
 * would let reconnects still on their way go back to them.
 */
async function reconnected(sv: Supervisor, nodes: readonly string[], total: number): Promise<void> {
  const until = Date.now() + SETTLE_MS;
  while (Date.now() < until) {
    const now = nodes.reduce((n, id) => n + (sv.pool.get(id)?.stats?.connections ?? 0), 0);
    if (now >= total) return;
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
}
