/**
 * One figure of the 5-minute series, per node: stacked areas with the cluster total as a line
 * (throughput), or one line per node (connections, CPU). Fixed height, no animation, props that
 * only change when the series does (STYLE.md §7).
 */
import { memo, useMemo } from 'react';
import { Area, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { TimeSeries } from '../../../shared/admin/admin-model.js';
import { fmtInt, fmtRate, fmtTime } from '../format.js';
import type { SeriesMetric } from './series.rows.js';
import { nodeKey, seriesRows, sortedNodeIds } from './series.rows.js';

const MARGIN = { top: 8, right: 12, bottom: 0, left: 0 } as const;
const TICK = { fontSize: 11, fill: 'var(--text-2)' } as const;
const AXIS_LINE = { stroke: 'var(--border)' } as const;
const X_DOMAIN = ['dataMin', 'dataMax'] as const;
const TOOLTIP_BOX = {
  background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8, fontSize: 12.5, color: 'var(--text)',
} as const;
const TOOLTIP_LABEL = { color: 'var(--text-2)', marginBottom: 4 } as const;
const LEGEND_STYLE = { fontSize: 12.5, paddingTop: 4 } as const;
const CURSOR = { stroke: 'var(--muted)', strokeDasharray: '3 3' } as const;

/** The colour of the i-th node in id order (the theme has six chart colours); Overview and Nodes agree. */
export const nodeColor = (i: number): string => `var(--chart-${(i % 6) + 1})`;

/** How a figure reads on the axis and in the tooltip. */
export type ChartUnit = 'per-second' | 'count' | 'percent';

const AXIS: Record<ChartUnit, (n: number) => string> = {
  'per-second': (n) => (n >= 10_000 ? `${fmtRate(n / 1000)}k` : fmtRate(n)),
  count: (n) => (n >= 10_000 ? `${fmtRate(n / 1000)}k` : fmtInt(n)),
  percent: (n) => `${fmtInt(n)}%`,
};
const TIP: Record<ChartUnit, (v: unknown) => string> = {
  'per-second': (v) => `${fmtRate(Number(v))}/s`,
  count: (v) => fmtInt(Number(v)),
  percent: (v) => `${fmtRate(Number(v))}%`,
};
const axisTime = (at: number): string => fmtTime(at);
const tooltipTime = (at: unknown): string => fmtTime(Number(at));

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
  const style = useMemo(() => ({ width: '100%', height }), [height]);
  if (rows.length < 2) return <div className="chart-wait" style={style}>Collecting the first seconds…</div>;
  return (
    <ComposedChart responsive style={style} data={rows} margin={MARGIN} accessibilityLayer>
      <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="at" type="number" scale="time" domain={X_DOMAIN} tickFormatter={axisTime} tick={TICK}
        axisLine={AXIS_LINE} tickLine={false} minTickGap={48} />
      <YAxis tickFormatter={AXIS[unit]} tick={TICK} axisLine={false} tickLine={false} width={44} allowDecimals={false} />
      <Tooltip formatter={TIP[unit]} labelFormatter={tooltipTime} contentStyle={TOOLTIP_BOX} labelStyle={TOOLTIP_LABEL}
        cursor={CURSOR} isAnimationActive={false} />
      <Legend wrapperStyle={LEGEND_STYLE} iconType="circle" iconSize={8} />
      {nodeIds.map((id, i) => (stacked
        ? <Area key={id} dataKey={nodeKey(id)} name={id} stackId="nodes" type="linear" stroke={nodeColor(i)} fill={nodeColor(i)}
            fillOpacity={0.28} strokeWidth={1.25} dot={false} activeDot={false} isAnimationActive={false} />
        : <Line key={id} dataKey={nodeKey(id)} name={id} type="linear" stroke={nodeColor(i)} strokeWidth={1.75} dot={false}
            isAnimationActive={false} />
      ))}
      {stacked ? (
        <Line dataKey="total" name="Total" type="linear" stroke="var(--text)" strokeWidth={1.75} strokeDasharray="5 3" dot={false}
          isAnimationActive={false} />
      ) : null}
    </ComposedChart>
  );
});
