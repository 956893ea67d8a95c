/**
 * Projected max connections (left axis) and deliveries/s (right axis) against nodes per machine,
 * on the asked number of machines, with the cluster's load now marked at its node count. Fixed
 * height, no animation, stable props (STYLE.md §7).
 */
import { memo, useMemo } from 'react';
import { CartesianGrid, ComposedChart, Legend, Line, ReferenceDot, Tooltip, XAxis, YAxis } from 'recharts';
import type { CapacityPoint } from '../../stores/capacity.model.js';
import { AXIS } from '../../components/NodeSeriesChart.js';
import { fmtInt } from '../../format.js';

const MARGIN = { top: 12, right: 8, bottom: 4, left: 4 } as const;
const TICK = { fontSize: 11, fill: 'var(--text-2)' } as const;
const AXIS_LINE = { stroke: 'var(--border)' } as const;
const LEGEND = { fontSize: 12, color: 'var(--text-2)' } as const;
const TOOLTIP = { background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)', fontSize: 12 } as const;
const STYLE = { width: '100%', height: 240 } as const;
const valueText = (v: unknown): string => (typeof v === 'number' ? fmtInt(v) : '—');

export const CapacityChart = memo(function CapacityChart({ points, now, machines }: {
  points: CapacityPoint[];
  /** The load now: its node count and connections. */
  now: { nodes: number; connections: number };
  machines: number;
}) {
  const ticks = useMemo(() => points.map((p) => p.nodes), [points]);
  const label = useMemo(() => ({ value: `now: ${fmtInt(now.connections)}`, position: 'top' as const, fill: 'var(--text)', fontSize: 11 }), [now.connections]);
  if (points.every((p) => p.connections === null && p.deliveries === null)) {
    return <div className="chart-wait" style={STYLE}>Nothing to chart until a cost is measured.</div>;
  }
  return (
    <figure className="capacity-chart" data-testid="capacity-chart"
      aria-label={`Projected maximum connections and deliveries per second by nodes per machine, on ${machines} ${machines === 1 ? 'machine' : 'machines'}`}>
      <ComposedChart responsive style={STYLE} data={points} margin={MARGIN} accessibilityLayer>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="nodes" type="number" domain={['dataMin', 'dataMax']} ticks={ticks} interval={0} tick={TICK} axisLine={AXIS_LINE} tickLine={false}
          height={24} />
        <YAxis yAxisId="c" tickFormatter={AXIS.count} tick={TICK} axisLine={false} tickLine={false} width={48} />
        <YAxis yAxisId="d" orientation="right" tickFormatter={AXIS['per-second']} tick={TICK} axisLine={false} tickLine={false} width={48} />
        <Tooltip formatter={valueText} labelFormatter={(n) => `${String(n)} nodes per machine`} contentStyle={TOOLTIP} isAnimationActive={false} />
        <Legend wrapperStyle={LEGEND} />
        <Line yAxisId="c" dataKey="connections" name="max connections (left axis)" stroke="var(--chart-1)" strokeWidth={2} dot isAnimationActive={false} connectNulls={false} />
        <Line yAxisId="d" dataKey="deliveries" name="max deliveries/s (right axis)" stroke="var(--chart-3)" strokeWidth={2} strokeDasharray="6 3" dot isAnimationActive={false} />
        <ReferenceDot yAxisId="c" x={now.nodes} y={now.connections} r={6} fill="var(--accent)" stroke="var(--surface)" strokeWidth={2} label={label} ifOverflow="extendDomain" />
      </ComposedChart>
      <figcaption className="muted">Across: nodes per machine. The dot marks the load now ({fmtInt(now.connections)} connections on {now.nodes} {now.nodes === 1 ? 'node' : 'nodes'}).</figcaption>
    </figure>
  );
});
