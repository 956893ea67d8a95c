/**
 * Metrics history (admin method `metrics.history`): per-node and cluster figures kept beyond the
 * 5-minute live window, at three resolutions, with the events that explain them as markers.
 */
import type { SeriesPoint, TimeSeries } from './admin-model.js';

/** A resolution tier of the store: its step, how long it is kept, and how much one segment file holds. */
export interface HistoryTier {
  name: HistoryTierName;
  stepMs: number;
  retentionMs: number;
  /** One segment file per block of this length. */
  blockMs: number;
}

export const HISTORY_TIER_NAMES = ['1s', '10s', '1m'] as const;
export type HistoryTierName = (typeof HISTORY_TIER_NAMES)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Finest first: 1 s for an hour, 10 s for a day, 1 min for 30 days. */
export const HISTORY_TIERS: readonly HistoryTier[] = [
  { name: '1s', stepMs: 1000, retentionMs: HOUR, blockMs: 10 * MINUTE },
  { name: '10s', stepMs: 10_000, retentionMs: DAY, blockMs: 4 * HOUR },
  { name: '1m', stepMs: MINUTE, retentionMs: 30 * DAY, blockMs: DAY },
];

/** Points a `metrics.history` answer holds at most unless the request says otherwise. */
export const HISTORY_MAX_POINTS = { default: 1000, min: 10, max: 5000 } as const;

/**
 * One step of one node (or of the cluster): the averages over the step's samples, the peaks of the
 * figures alerts care about, and how many 1 Hz samples it summarises. For the cluster total,
 * `loopDelayP99Ms` is the worst node's and `rssBytes` the sum over the nodes.
 */
export interface HistoryPoint extends SeriesPoint {
  loopDelayP99Ms: number;
  rssBytes: number;
  connectionsMax: number;
  cpuPercentMax: number;
  loopDelayP99MsMax: number;
  rssBytesMax: number;
  /** 1 Hz samples in this step (fewer than stepMs / 1000 where the cluster was not running). */
  samples: number;
}

/** An event drawn on the charts' time axis. */
export interface HistoryMarker {
  at: number;
  /** The admin event type (`node.down`, `fault.injected`, `admin.action`…) or `cluster.started` / `cluster.stopped`. */
  type: string;
  node?: string;
  /** One line for the marker's label and tooltip. */
  text: string;
}

/**
 * A range of the history. `intervalMs` is the step of the points (the tier's, or a multiple of it
 * so that at most `maxPoints` come back); every point's `at` is the start of its step.
 */
export interface MetricsHistory extends TimeSeries {
  from: number;
  to: number;
  /** The tier the points were read from; `live` when the cluster keeps no history (no data directory). */
  tier: HistoryTierName | 'live';
  total: HistoryPoint[];
  nodes: Record<string, HistoryPoint[]>;
  markers: HistoryMarker[];
}
