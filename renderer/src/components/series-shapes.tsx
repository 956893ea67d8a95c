/**
 * The per-node series of a chart, drawn the same way in the live chart (NodeSeriesChart) and the
 * history chart (HistorySeriesChart): stacked areas under a dashed total, or one line per node.
 * A function, not a component: recharts reads its shapes from the chart's direct children.
 */
import type { ReactElement } from 'react';
import { Area, Line } from 'recharts';
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
