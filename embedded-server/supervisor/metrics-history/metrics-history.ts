/**
 * The cluster's metrics history: the 1 Hz snapshots and the marker events go to the store under
 * `<dataDir>/metrics/`, and `metrics.history` reads ranges back. Without a data directory (or with
 * one the store cannot use) ranges are answered from the live 5-minute series.
 */
import { join } from 'node:path';
import type { AdminEvent, ClusterSnapshot, SeriesPoint, TimeSeries } from '../../../shared/admin/admin-model.js';
import type { HistoryPoint, MetricsHistory } from '../../../shared/admin/metrics-history-model.js';
import type { HistoryQuery } from './history-store.js';
import { MetricsHistoryStore } from './history-store.js';
import { markerOf } from './markers.js';

/** What the history hears from the supervisor. */
export interface HistorySource {
  onSnapshot(listener: (s: ClusterSnapshot) => void): () => void;
  onEvents(listener: (events: AdminEvent[]) => void): () => void;
  /** The live 5-minute series (the answer when nothing is persisted). */
  series(): TimeSeries;
}

export interface MetricsHistoryService {
  /** Whether ranges come from the store (false: the live 5 minutes only). */
  readonly persisted: boolean;
  query(q: HistoryQuery, now: number): Promise<MetricsHistory>;
  /** Marks the stop, writes what is open and waits for the disk. Idempotent. */
  stop(): Promise<void>;
}

const warn = (text: string): void => void process.stderr.write(`switchboard: metrics history: ${text}\n`);

/** Starts keeping history in `<dataDir>/metrics/` (or only answering from the live series without one). */
export function startMetricsHistory(source: HistorySource, dataDir: string | undefined, supervisor: string): MetricsHistoryService {
  const store = dataDir === undefined ? null : MetricsHistoryStore.open(join(dataDir, 'metrics'), warn);
  if (!store) {
    return { persisted: false, query: async (q) => liveHistory(source.series(), q), stop: async () => undefined };
  }
  store.mark({ at: Date.now(), type: 'cluster.started', text: `cluster started (supervisor ${supervisor})` });
  const disposers = [
    source.onSnapshot((s) => store.record(s)),
    source.onEvents((events) => {
      for (const e of events) {
        const m = markerOf(e);
        if (m) store.mark(m);
      }
    }),
  ];
  let stopping: Promise<void> | null = null;
  return {
    persisted: true,
    query: (q, now) => store.query(q, now),
    stop: () => {
      stopping ??= (async () => {
        for (const dispose of disposers.splice(0)) dispose();
        store.mark({ at: Date.now(), type: 'cluster.stopped', text: 'cluster stopped' });
        await store.close();
      })();
      return stopping;
    },
  };
}

/** The live series clipped to the range (1 s steps, no markers: nothing was kept). */
function liveHistory(series: TimeSeries, q: HistoryQuery): MetricsHistory {
  const clip = (points: SeriesPoint[]): HistoryPoint[] => points.filter((p) => p.at >= q.from && p.at <= q.to).map(asHistoryPoint);
  const nodes = Object.fromEntries(Object.entries(series.nodes).filter(([id]) => q.node === undefined || id === q.node).map(([id, s]) => [id, clip(s)]));
  return { from: q.from, to: q.to, tier: 'live', intervalMs: series.intervalMs, total: clip(series.total), nodes, markers: [] };
}

function asHistoryPoint(p: SeriesPoint): HistoryPoint {
  return {
    ...p, loopDelayP99Ms: 0, rssBytes: 0, connectionsMax: p.connections, cpuPercentMax: p.cpuPercent, loopDelayP99MsMax: 0, rssBytesMax: 0, samples: 1,
  };
}
