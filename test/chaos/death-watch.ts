/**
 * Which processes ended during the soak, and whether the schedule ended them. A node's process may
 * end only as often as the injector killed, restarted or removed that node; any further `node.down`,
 * a node the supervisor had to replace as unresponsive, the supervisor itself, or a fleet process
 * ending early is a death nobody injected.
 */
import type { AdminEvent } from '../../shared/admin/admin-model.js';

export interface Death {
  /** Ms after the soak started. */
  atMs: number;
  what: string;
}

export class DeathWatch {
  /** Per node: process ends seen (`node.down`). */
  readonly ends = new Map<string, number>();
  readonly unresponsive: Death[] = [];
  private readonly downs: { node: string; atMs: number; how: string }[] = [];
  private read = 0;

  constructor(private readonly startedAt: number) {}

  /** Reads the events received since the last call (the admin client's list, appended to). */
  consume(events: readonly AdminEvent[]): void {
    for (; this.read < events.length; this.read++) {
      const e = events[this.read]!;
      if (e.at < this.startedAt) continue;
      if (e.type === 'node.down') {
        this.ends.set(e.node, (this.ends.get(e.node) ?? 0) + 1);
        this.downs.push({ node: e.node, atMs: e.at - this.startedAt, how: e.signal ?? `code ${e.code}` });
      } else if (e.type === 'node.unresponsive') {
        this.unresponsive.push({ atMs: e.at - this.startedAt, what: `${e.node} (pid ${e.pid}) replaced as unresponsive after ${e.silentMs} ms` });
      }
    }
  }

  /** Node ends beyond what was injected (`given`: the injector's ledger), plus the unresponsive replacements. */
  uninjected(given: ReadonlyMap<string, number>): Death[] {
    const out: Death[] = [...this.unresponsive];
    for (const [node, seen] of this.ends) {
      const allowed = given.get(node) ?? 0;
      if (seen <= allowed) continue;
      const extra = this.downs.filter((d) => d.node === node).slice(allowed);
      for (const d of extra) out.push({ atMs: d.atMs, what: `${node} went down (${d.how}) with no kill, restart or remove left to account for it` });
    }
    return out;
  }

  get nodeEnds(): number {
    let n = 0;
    for (const v of this.ends.values()) n += v;
    return n;
  }
}
