/**
 * What the live chart (NodeSeriesChart) and the history chart (HistorySeriesChart) draw alike: the
 * frame (grid, the greyed stretch with no samples yet, time and value axes, tooltip) and the per-node
 * series (stacked areas under a dashed total, or one line per node). Functions, not components:
 * recharts reads its parts from the chart's direct children.
 */
import type { ReactElement } from 'react';
import { Area, CartesianGrid, Line, ReferenceArea, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import { nodeKey } from './series.rows.js';
import { nodeStroke, TOTAL_STROKE } from './series.style.js';

export function seriesShapes(nodeIds: readonly string[], stacked: boolean): ReactElement[] {
  const shapes = nodeIds.map((id, i) => {
    const s = nodeStroke(i);
    const dash = s.dash || undefined;
    return stacked
      ? <Area key={id} dataKey={nodeKey(id)} name={id} stackId="nodes" type="linear" stroke={s.color} fill={s.color} fillOpacity={0.28}
          strokeWidth={Math.min(s.width, 2)} strokeDasharray={dash} strokeLinecap={s.cap} dot={false} activeDot={false} isAnimationActive={false} />
      : <Line key={id} dataKey={nodeKey(id)} name={id} type="linear" stroke={s.color} strokeWidth={s.width} strokeDasharray={dash}
          strokeLinecap={s.cap} dot={false} isAnimationActive={false} />;
  });
  if (stacked) {
    shapes.push(<Line key="total" dataKey="total" name="Total" type="linear" stroke={TOTAL_STROKE.color} strokeWidth={TOTAL_STROKE.width}
      strokeDasharray={TOTAL_STROKE.dash} dot={false} isAnimationActive={false} />);
  }
  return shapes;
}

/** The value axis's width in px (the history chart maps a drag's x to a time through it). */
export const Y_AXIS_WIDTH = 44;
const TICK = { fontSize: 11, fill: 'var(--text-2)' } as const;
const AXIS_LINE = { stroke: 'var(--border)' } as const;
const CURSOR = { stroke: 'var(--muted)', strokeDasharray: '3 3' } as const;
const EMPTY_LABEL = { value: 'no samples', position: 'center', fill: 'var(--muted)', fontSize: 11.5 } as const;

export interface ChartFrame {
  /** The time span shown (Unix ms), with its ticks and their labels. */
  from: number;
  to: number;
  domain: number[];
  ticks: number[];
  timeLabel: (at: number) => string;
  /** The stretch at the start with no samples (greyed, labelled when it is a quarter of the span or more). */
  lead: { from: number; to: number } | null;
  valueLabel: (n: number) => string;
  tooltip: (p: TooltipContentProps) => ReactElement | null;
}

export function chartFrame(f: ChartFrame): ReactElement[] {
  const parts = [<CartesianGrid key="grid" stroke="var(--border)" strokeDasharray="3 3" vertical={false} />];
  if (f.lead) {
    parts.push(<ReferenceArea key="lead" x1={f.lead.from} x2={f.lead.to} fill="var(--surface-2)" fillOpacity={0.8} stroke="none" ifOverflow="hidden"
      label={f.lead.to - f.lead.from >= (f.to - f.from) / 4 ? EMPTY_LABEL : undefined} />);
  }
  parts.push(
    <XAxis key="x" dataKey="at" type="number" scale="time" domain={f.domain} allowDataOverflow ticks={f.ticks} interval={0}
      tickFormatter={f.timeLabel} tick={TICK} axisLine={AXIS_LINE} tickLine={false} />,
    <YAxis key="y" tickFormatter={f.valueLabel} tick={TICK} axisLine={false} tickLine={false} width={Y_AXIS_WIDTH} allowDecimals={false} />,
    <Tooltip key="tooltip" content={f.tooltip} cursor={CURSOR} isAnimationActive={false} />,
  );
  return parts;
}
