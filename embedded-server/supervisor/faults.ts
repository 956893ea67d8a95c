/**
 * Failure injection (ARCHITECTURE.md "Health and failure injection"): kill, hang, partition,
 * drop sockets, restart, add and remove nodes. Each fault is an event, shows in the node's state,
 * and heals without lost messages: clients reconnect elsewhere or resume, then recover.
 */
import type { NodeId } from '../../shared/ids.js';
import { Disconnects } from '../../shared/protocol/codes.js';
import type { AdminError } from '../../shared/admin/admin-api.js';
import { AdminErrors } from '../../shared/admin/admin-api.js';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { NodeProcess } from './node-process.js';
import { reconcile } from './reconcile.js';
import type { Supervisor } from './supervisor.js';

type Outcome<T> = Promise<Result<T, AdminError>>;

/** The live process of a node, or the error to answer. */
function live(sv: Supervisor, id: string): Result<NodeProcess, AdminError> {
  const p = sv.pool.get(id);
  if (!p) return err({ code: AdminErrors.notFound, message: `no node ${id}` });
  if (p.exited || !p.child) return err({ code: AdminErrors.conflict, message: `${id} is down` });
  return ok(p);
}

export async function killNode(sv: Supervisor, id: string, by: string): Outcome<Record<string, never>> {
  const p = live(sv, id);
  if (!p.ok) return p;
  sv.events.emit({ type: 'fault.injected', by, node: id, fault: 'kill' });
  p.value.child!.kill('SIGKILL');
  return ok({});
}

/** SIGSTOP for `seconds`, then SIGCONT: the node's clients stall, then resume or reconnect. */
export async function hangNode(sv: Supervisor, id: string, seconds: number, by: string): Outcome<Record<string, never>> {
  const p = live(sv, id);
  if (!p.ok) return p;
  if (sv.faults.has(id)) return err({ code: AdminErrors.conflict, message: `${id} already has a fault in progress` });
  const proc = p.value;
  proc.child!.kill('SIGSTOP');
  const timer = setTimeout(() => heal(sv, id, () => proc.child?.kill('SIGCONT')), seconds * 1000);
  sv.faults.set(id, { kind: 'hang', until: Date.now() + seconds * 1000, timer });
  sv.events.emit({ type: 'fault.injected', by, node: id, fault: 'hang', seconds });
  return ok({});
}

/**
 * Cuts the node off the broker for `seconds`: deliveries to it are lost and its broker requests
 * fail. On healing it gets the broker's positions of its channels, and subscribers that missed
 * publications recover (the same gap detection a slow link would trigger).
 */
export async function partitionNode(sv: Supervisor, id: string, seconds: number, by: string): Outcome<Record<string, never>> {
  const p = live(sv, id);
  if (!p.ok) return p;
  if (sv.faults.has(id)) return err({ code: AdminErrors.conflict, message: `${id} already has a fault in progress` });
  const proc = p.value;
  proc.partitioned = true;
  const timer = setTimeout(() => heal(sv, id, () => {
    proc.partitioned = false;
    // A broker that rejects must not become an unhandled rejection (the crash policy would exit).
    reconcile(sv, proc).catch((e: Error) => process.stderr.write(`switchboard: sending ${id} its positions after the partition failed: ${e.message}\n`));
  }), seconds * 1000);
  sv.faults.set(id, { kind: 'partition', until: Date.now() + seconds * 1000, timer });
  sv.events.emit({ type: 'fault.injected', by, node: id, fault: 'partition', seconds });
  return ok({});
}

function heal(sv: Supervisor, id: string, undo: () => void): void {
  const fault = sv.faults.get(id);
  if (!fault) return;
  sv.faults.delete(id);
  undo();
  sv.events.emit({ type: 'fault.healed', node: id, fault: fault.kind });
}

/** Destroys every client socket of the node without a close frame. */
export async function dropSockets(sv: Supervisor, id: string, by: string): Outcome<{ dropped: number }> {
  const p = live(sv, id);
  if (!p.ok) return p;
  // A hung node could not answer (the request would time out with `dropped: 0`, then drop every
  // socket once continued): like the other faults, one at a time.
  if (sv.faults.has(id)) return err({ code: AdminErrors.conflict, message: `${id} already has a fault in progress` });
  sv.events.emit({ type: 'fault.injected', by, node: id, fault: 'drop' });
  const { count } = await sv.toNode(id, 'node.drop-sockets', {});
  return ok({ dropped: count });
}

export async function restartNode(sv: Supervisor, id: string, by: string): Outcome<Record<string, never>> {
  if (!sv.pool.get(id)) return err({ code: AdminErrors.notFound, message: `no node ${id}` });
  sv.events.emit({ type: 'admin.action', by, action: 'node.restart', detail: id });
  await sv.pool.restart(id as NodeId);
  return ok({});
}

export async function addNode(sv: Supervisor, by: string): Outcome<{ node: string }> {
  const p = await sv.pool.add();
  sv.events.emit({ type: 'admin.action', by, action: 'node.add', detail: p.id });
  return ok({ node: p.id });
}

/**
 * Graceful removal: no new connections, clients told to reconnect (elsewhere), then the process ends.
 * Without a rate every client is told at once and the answer waits for the end; with `rate` clients/s
 * the answer comes once the node is out of routing, and the drain runs on (see node-moves.ts).
 */
export async function removeNode(sv: Supervisor, id: string, by: string, rate?: number): Outcome<{ drained: number; moving?: number }> {
  const p = sv.pool.get(id);
  if (!p) return err({ code: AdminErrors.notFound, message: `no node ${id}` });
  const staying = sv.pool.all().filter((n) => n.id !== id && !sv.pool.isDraining(n.id));
  if (staying.length === 0) return err({ code: AdminErrors.conflict, message: 'the last node cannot be removed' });
  const moving = sv.moves.progress(id);
  if (moving) return err({ code: AdminErrors.conflict, message: `${id} is already being drained (${moving.purpose}): wait for it to finish` });
  sv.pool.drain(id as NodeId);
  if (rate === undefined) {
    const { count } = await sv.toNode(id, 'node.drain', { code: Disconnects.shutdown.code, reason: Disconnects.shutdown.reason });
    await finishRemoval(sv, id, by, count);
    return ok({ drained: count });
  }
  const total = p.exited ? 0 : (p.stats?.connections ?? 0);
  sv.events.emit({ type: 'admin.action', by, action: 'node.drain', detail: `${id}: ${total} connections at ${rate}/s` });
  void sv.moves.start(id as NodeId, 'remove', total, rate)
    .then((moved) => finishRemoval(sv, id, by, moved))
    .catch((e: Error) => process.stderr.write(`switchboard: removing ${id} after its drain failed: ${e.message}\n`));
  return ok({ drained: 0, moving: total });
}

async function finishRemoval(sv: Supervisor, id: string, by: string, drained: number): Promise<void> {
  await sv.pool.remove(id as NodeId);
  sv.events.emit({ type: 'node.removed', node: id });
  sv.events.emit({ type: 'admin.action', by, action: 'node.remove', detail: `${id} (${drained} connections drained)` });
}
