/**
 * One figure of the 5-minute series, per node: stacked areas with the cluster total as a line
 * (throughput), or one line per node (connections, CPU). The x axis is always the last 5 minutes
 * ending now, so a young series fills only the right of the chart and the rest shows as empty.
 * Each node has its own dash pattern and is listed with its value below the chart and in the
 * tooltip, so identical lines stay distinguishable. Fixed height, no animation, props that only
 * change when the series does (STYLE.md §7).
 */
import { memo, useCallback, useMemo } from 'react';
import { ComposedChart } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import type { TimeSeries } from '../../../shared/admin/admin-model.js';
import { fmtInt, fmtRate, fmtTime } from '../format.js';
import { useNow } from '../views/use-now.js';
import type { SeriesMetric, SeriesRow } from './series.rows.js';
import { rowsInWindow, seriesRows, sortedNodeIds } from './series.rows.js';
import { keyEntries } from './series.style.js';
import { emptyLead, tickLabel, timeWindow } from './series.window.js';
import { SeriesLegend, SeriesTooltip } from './SeriesKey.js';
import { chartFrame, seriesShapes } from './series-shapes.js';
import './series-chart.css';

const MARGIN = { top: 8, right: 14, bottom: 0, left: 0 } as const;
/** Without new samples (the link is down), the axis still moves on at this pace. */
const CLOCK_MS = 5000;

/** How a figure reads on the axis and in the tooltip. */
export type ChartUnit = 'per-second' | 'count' | 'percent';

export const AXIS: Record<ChartUnit, (n: number) => string> = {
  'per-second': (n) => (n >= 10_000 ? `${fmtRate(n / 1000)}k` : fmtRate(n)),
  count: (n) => (n >= 10_000 ? `${fmtRate(n / 1000)}k` : fmtInt(n)),
  percent: (n) => `${fmtInt(n)}%`,
};
export const VALUE: Record<ChartUnit, (n: number) => string> = {
  'per-second': (n) => `${fmtRate(n)}/s`,
  count: (n) => fmtInt(n),
  percent: (n) => `${fmtRate(n)}%`,
};

/** The window's end: the latest sample, or the clock once it is later (samples stopped coming). */
function useWindowEnd(lastAt: number | undefined): number {
  const clock = useNow(CLOCK_MS);
  return Math.max(clock, lastAt ?? 0);
}

export const NodeSeriesChart = memo(function NodeSeriesChart({ series, metric, unit, height, stacked = false }: {
  series: TimeSeries;
  metric: SeriesMetric;
  unit: ChartUnit;
  height: number;
  /** Stack the nodes and draw the total as a line (else one line per node). */
  stacked?: boolean;
}) {
  const nodeIds = useMemo(() => sortedNodeIds(Object.keys(series.nodes)), [series.nodes]);
  const rows = useMemo(() => seriesRows(series, nodeIds, metric), [series, nodeIds, metric]);
  const end = useWindowEnd(rows[rows.length - 1]?.at);
  const win = useMemo(() => timeWindow(end), [end]);
  const domain = useMemo(() => [win.start, win.end], [win]);
  const shown = useMemo(() => rowsInWindow(rows, win.start), [rows, win.start]);
  const lead = emptyLead(shown[0]?.at, win, series.intervalMs);
  const legend = useMemo(() => keyEntries(rows[rows.length - 1], nodeIds, stacked), [rows, nodeIds, stacked]);
  const axisTime = useCallback((at: number) => tickLabel(at, win), [win]);
  const tooltip = useCallback((p: TooltipContentProps) => {
    const row = p.payload[0]?.payload as SeriesRow | undefined;
    if (!p.active || !row) return null;
    return <SeriesTooltip time={fmtTime(row.at)} entries={keyEntries(row, nodeIds, stacked)} format={VALUE[unit]} />;
  }, [nodeIds, stacked, unit]);
  const style = useMemo(() => ({ width: '100%', height }), [height]);
  if (rows.length < 2) return <div className="chart-wait" style={style}>Collecting the first seconds…</div>;
  return (
    <div className="series-chart" data-testid="series-chart" data-window-start={win.start} data-window-end={win.end}>
      <ComposedChart responsive style={style} data={shown as SeriesRow[]} margin={MARGIN} accessibilityLayer>
        {chartFrame({ from: win.start, to: win.end, domain, ticks: win.ticks, timeLabel: axisTime, lead, valueLabel: AXIS[unit], tooltip })}
        {seriesShapes(nodeIds, stacked)}
      </ComposedChart>
      <SeriesLegend entries={legend} format={VALUE[unit]} />
    </div>
  );
});
