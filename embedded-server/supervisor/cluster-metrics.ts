/**
 * The 1 Hz cluster snapshot and the 5-minute series behind the console's charts. Built from what
 * the nodes already report; nothing here touches client traffic.
 */
import type {
  ClusterSnapshot, ClusterTotals, EngineStatus, NodeSnapshot, NodeState, ProxyHealth, SeriesPoint, Strategy, SupervisorView, TimeSeries,
} from '../../shared/admin/admin-model.js';

/** What the snapshot reads, once a second. */
export interface MetricsSource {
  nodes(now: number): NodeSnapshot[];
  channels(): number;
  users(): number;
  publicationsPerSec(): number;
  strategy(): Strategy;
  autoRestart(): boolean;
  /** Every configured backend proxy endpoint (empty without proxies). */
  proxies(): ProxyHealth[];
  /** The engine's status, when there is one to show. */
  engine?(): EngineStatus;
  /** Every supervisor on the engine, this one first. */
  supervisors?(now: number): SupervisorView[];
}

const WINDOW = 300;

const UP: ReadonlySet<NodeState> = new Set(['healthy']);

export class ClusterMetrics {
  private readonly total: SeriesPoint[] = [];
  private readonly perNode = new Map<string, SeriesPoint[]>();
  private last: ClusterSnapshot | null = null;

  constructor(private readonly source: MetricsSource, private readonly intervalMs = 1000) {}

  /** Takes the snapshot of this second and appends it to the series. */
  tick(now: number): ClusterSnapshot {
    const nodes = this.source.nodes(now);
    const totals: ClusterTotals = {
      nodesUp: nodes.filter((n) => UP.has(n.state)).length,
      nodesTotal: nodes.length,
      connections: sum(nodes, (n) => n.connections),
      users: this.source.users(),
      channels: this.source.channels(),
      subscriptions: sum(nodes, (n) => n.subscriptions),
      messagesInPerSec: round(sum(nodes, (n) => n.messagesInPerSec)),
      messagesOutPerSec: round(sum(nodes, (n) => n.messagesOutPerSec)),
      bytesInPerSec: round(sum(nodes, (n) => n.bytesInPerSec)),
      bytesOutPerSec: round(sum(nodes, (n) => n.bytesOutPerSec)),
      publicationsPerSec: round(this.source.publicationsPerSec()),
    };
    const snapshot: ClusterSnapshot = { at: now, nodes, totals, strategy: this.source.strategy(), autoRestart: this.source.autoRestart(), proxies: this.source.proxies(),
      ...(this.source.engine ? { engine: this.source.engine() } : {}),
      ...(this.source.supervisors ? { supervisors: this.source.supervisors(now) } : {}),
    };
    append(this.total, point(now, { ...totals, cpuPercent: sum(nodes, (n) => n.cpuPercent) }));
    const seen = new Set<string>();
    for (const n of nodes) {
      seen.add(n.id);
      let series = this.perNode.get(n.id);
      if (!series) this.perNode.set(n.id, (series = []));
      append(series, point(now, n));
    }
    for (const id of this.perNode.keys()) if (!seen.has(id)) this.perNode.delete(id);
    this.last = snapshot;
    return snapshot;
  }

  /** The latest snapshot (taking one if none was taken yet). */
  snapshot(now: number): ClusterSnapshot {
    return this.last ?? this.tick(now);
  }

  series(): TimeSeries {
    return {
      intervalMs: this.intervalMs,
      total: [...this.total],
      nodes: Object.fromEntries([...this.perNode].map(([id, s]) => [id, [...s]])),
    };
  }
}

function point(at: number, f: Omit<SeriesPoint, 'at'>): SeriesPoint {
  return {
    at,
    connections: f.connections,
    messagesInPerSec: round(f.messagesInPerSec),
    messagesOutPerSec: round(f.messagesOutPerSec),
    bytesInPerSec: round(f.bytesInPerSec),
    bytesOutPerSec: round(f.bytesOutPerSec),
    cpuPercent: round(f.cpuPercent),
  };
}

function append(series: SeriesPoint[], p: SeriesPoint): void {
  series.push(p);
  if (series.length > WINDOW) series.shift();
}

const sum = <T>(items: T[], f: (t: T) => number): number => items.reduce((a, t) => a + f(t), 0);
const round = (n: number): number => Math.round(n * 10) / 10;
