/**
 * Applies the chaos schedule through the admin API, exactly as the console does: `node.kill`,
 * `node.hang`, `node.partition`, `node.drop`, `node.restart`, `node.add`, `node.remove` (which
 * drains). It keeps the ledger the verdict needs: what was injected and refused, by kind, and how
 * many process ends each node was given (a kill, a restart, a remove), so a node that went down
 * without one is a death nobody injected.
 */
import type { ClusterSnapshot, NodeSnapshot } from '../../shared/admin/admin-model.js';
import type { AdminClient } from '../support/admin-client.js';
import { AdminRequestError } from '../support/admin-client.js';
import type { ChaosFault, ChaosFaultKind, ChaosStep } from './schedule.js';
import { FAULT_KINDS } from './schedule.js';

/** The cluster keeps between these many nodes: `remove` below the floor and `add` above the ceiling are skipped. */
export const NODE_BOUNDS = { min: 2, max: 4 } as const;
/** Lifecycle commands wait for a process to end (and a drain): give them longer than queries. */
const COMMAND_TIMEOUT_MS = 30_000;

export interface KindTally {
  injected: number;
  /** Answered with an error by the supervisor (e.g. 409: the node is down or already has a fault). */
  refused: number;
  /** Not sent: no live node to aim at, or the node bounds. */
  skipped: number;
}

export interface InjectionRecord {
  atMs: number;
  kind: ChaosFaultKind;
  node: string;
  outcome: 'injected' | 'refused' | 'skipped';
  detail?: string;
}

const up = (n: NodeSnapshot): boolean => n.state !== 'down' && n.state !== 'restarting' && n.pid > 0;

export class Injector {
  readonly byKind = Object.fromEntries(FAULT_KINDS.map((k) => [k, { injected: 0, refused: 0, skipped: 0 }])) as Record<ChaosFaultKind, KindTally>;
  /** Every attempt in order (the log a failing seed is read from). */
  readonly log: InjectionRecord[] = [];
  /** Per node: process ends injected (kill, restart, remove). */
  readonly endsGiven = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly admin: AdminClient, private readonly startedAt: number) {}

  /** Sends a step's faults (without waiting for lifecycle commands to finish). */
  apply(step: ChaosStep, snapshot: ClusterSnapshot): void {
    const nodes = snapshot.nodes.filter((n) => !n.id.includes('/')).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    const live = nodes.filter(up);
    let count = nodes.length;
    for (const f of step.faults) {
      if (f.kind === 'add') {
        if (count >= NODE_BOUNDS.max) this.note(f.kind, '-', 'skipped', `already ${count} nodes`);
        else { count++; this.send(f, '-'); }
        continue;
      }
      if (live.length === 0) {
        this.note(f.kind, '-', 'skipped', 'no live node');
        continue;
      }
      const node = live[f.target % live.length]!.id;
      if (f.kind === 'remove' && count <= NODE_BOUNDS.min) {
        this.note(f.kind, node, 'skipped', `only ${count} nodes`);
        continue;
      }
      if (f.kind === 'remove') count--;
      this.send(f, node);
    }
  }

  /** Resolves once every command sent has been answered. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  get injected(): number {
    return Object.values(this.byKind).reduce((n, t) => n + t.injected, 0);
  }

  private send(f: ChaosFault, node: string): void {
    const ends = f.kind === 'kill' || f.kind === 'restart' || f.kind === 'remove';
    // Credited before the request: the node's exit can be reported before the answer arrives.
    if (ends) this.endsGiven.set(node, (this.endsGiven.get(node) ?? 0) + 1);
    const done = this.request(f, node).then(
      (detail) => this.note(f.kind, node, 'injected', detail),
      (e: unknown) => {
        if (ends) this.endsGiven.set(node, this.endsGiven.get(node)! - 1);
        const message = e instanceof AdminRequestError ? `${e.error.code} ${e.error.message}` : (e as Error).message;
        this.note(f.kind, node, 'refused', message);
      },
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  private async request(f: ChaosFault, node: string): Promise<string | undefined> {
    const a = this.admin;
    switch (f.kind) {
      case 'kill': await a.request('node.kill', { node }); return undefined;
      case 'hang': await a.request('node.hang', { node, seconds: f.seconds! }); return `${f.seconds} s`;
      case 'partition': await a.request('node.partition', { node, seconds: f.seconds! }); return `${f.seconds} s`;
      case 'drop': return `${(await a.request('node.drop', { node }, COMMAND_TIMEOUT_MS)).dropped} sockets`;
      case 'restart': await a.request('node.restart', { node }, COMMAND_TIMEOUT_MS); return undefined;
      case 'add': return (await a.request('node.add', {}, COMMAND_TIMEOUT_MS)).node;
      case 'remove': return `${(await a.request('node.remove', { node }, COMMAND_TIMEOUT_MS)).drained} drained`;
    }
  }

  private note(kind: ChaosFaultKind, node: string, outcome: InjectionRecord['outcome'], detail?: string): void {
    this.byKind[kind][outcome]++;
    this.log.push({ atMs: Date.now() - this.startedAt, kind, node, outcome, ...(detail === undefined ? {} : { detail }) });
  }
}
