/** Chart rows built from the cluster's time series: one per second, each node beside the total (pure, tested without React). */
import type { SeriesPoint, TimeSeries } from '../../../shared/admin/admin-model.js';

/** A per-second figure of the series a chart can show. */
export type SeriesMetric = Exclude<keyof SeriesPoint, 'at'>;

/** The chart's key of one node's value in a row (prefixed so no node id can clash with `at` or `total`). */
export const nodeKey = (id: string): `n:${string}` => `n:${id}`;

/** One second of a chart: the cluster total and each node's value. */
export type SeriesRow = { at: number; total: number } & Record<`n:${string}`, number>;

/** Node ids in a stable, human order (node-2 before node-10). */
export function sortedNodeIds(ids: Iterable<string>): string[] {
  return [...ids].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * Lines the per-node series up with the total, second by second, so the chart can stack the
 * nodes; a node that did not exist yet in a second counts 0 there.
 */
export function seriesRows(series: TimeSeries, nodeIds: readonly string[], metric: SeriesMetric): SeriesRow[] {
  const byNode = nodeIds.map((id) => [id, indexByTime(series.nodes[id] ?? [])] as const);
  return series.total.map((p) => {
    const row: SeriesRow = { at: p.at, total: p[metric] };
    for (const [id, points] of byNode) row[nodeKey(id)] = points.get(p.at)?.[metric] ?? 0;
    return row;
  });
}

function indexByTime(points: readonly SeriesPoint[]): Map<number, SeriesPoint> {
  return new Map(points.map((p) => [p.at, p]));
}
