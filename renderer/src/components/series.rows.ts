/** Chart rows built from the cluster's time series: one per second, each node beside the total (pure, tested without React). */
import type { SeriesPoint, TimeSeries } from '../../../shared/admin/admin-model.js';

/** A per-second figure of the series a chart can show. */
export type SeriesMetric = Exclude<keyof SeriesPoint, 'at'>;

/** The chart's key of one node's value in a row (prefixed so no node id can clash with `at` or `total`). */
export const nodeKey = (id: string): `n:${string}` => `n:${id}`;

/**
 * One second of a chart: the cluster total and each node's value. Null values mark a gap in the
 * samples (the line breaks there instead of bridging seconds nobody measured).
 */
export type SeriesRow = { at: number; total: number | null } & Record<`n:${string}`, number | null>;

/** Consecutive samples further apart than this many intervals have a gap between them. */
const GAP_INTERVALS = 2.5;

/** Node ids in a stable, human order (node-2 before node-10). */
export function sortedNodeIds(ids: Iterable<string>): string[] {
  return [...ids].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * Lines the per-node series up with the total, second by second, so the chart can stack the
 * nodes; a node that did not exist yet in a second counts 0 there. Where seconds are missing
 * (the cluster sent nothing), a row of nulls breaks the lines.
 */
export function seriesRows(series: TimeSeries, nodeIds: readonly string[], metric: SeriesMetric): SeriesRow[] {
  const byNode = nodeIds.map((id) => [id, indexByTime(series.nodes[id] ?? [])] as const);
  const rows: SeriesRow[] = [];
  let prev: number | undefined;
  for (const p of series.total) {
    if (prev !== undefined && p.at - prev > GAP_INTERVALS * series.intervalMs) rows.push(gapRow(prev + series.intervalMs, nodeIds));
    const row: SeriesRow = { at: p.at, total: p[metric] };
    for (const [id, points] of byNode) row[nodeKey(id)] = points.get(p.at)?.[metric] ?? 0;
    rows.push(row);
    prev = p.at;
  }
  return rows;
}

/**
 * The rows a window starting at `start` shows: those inside it, and the last one before it so the
 * lines enter from the window's edge rather than start a little way in.
 */
export function rowsInWindow(rows: readonly SeriesRow[], start: number): readonly SeriesRow[] {
  const first = rows.findIndex((r) => r.at >= start);
  if (first === -1) return [];
  return first === 0 ? rows : rows.slice(first - 1);
}

function gapRow(at: number, nodeIds: readonly string[]): SeriesRow {
  const row: SeriesRow = { at, total: null };
  for (const id of nodeIds) row[nodeKey(id)] = null;
  return row;
}

function indexByTime(points: readonly SeriesPoint[]): Map<number, SeriesPoint> {
  return new Map(points.map((p) => [p.at, p]));
}
