/**
 * One figure of a range of the metrics history, drawn as the live chart draws it (stacked areas with
 * the total, or a line per node), over the range's fixed time axis; the events of the range as
 * vertical markers (listed below the chart too, for keyboard and screen-reader users); a drag
 * across the chart zooms into that stretch (the zoom applies to every chart).
 */
import { memo, useCallback, useMemo, useRef, useState } from 'react';
import type { MouseEvent } from 'react';
import { ComposedChart, ReferenceArea, ReferenceLine } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import type { HistoryMarker, MetricsHistory } from '../../../shared/admin/metrics-history-model.js';
import { fmtTime } from '../format.js';
import type { Bounds } from '../stores/history.model.js';
import { rangeTickLabel, rangeTicks, zoomBounds } from '../stores/history.model.js';
import { emptyLead } from './series.window.js';
import { useHistory } from '../stores/history.store.js';
import type { ChartUnit } from './NodeSeriesChart.js';
import { AXIS, VALUE } from './NodeSeriesChart.js';
import type { SeriesMetric, SeriesRow } from './series.rows.js';
import { seriesRows, sortedNodeIds } from './series.rows.js';
import { keyEntries } from './series.style.js';
import { SeriesLegend, SeriesTooltip } from './SeriesKey.js';
import { chartFrame, seriesShapes, Y_AXIS_WIDTH } from './series-shapes.js';
import './series-chart.css';
import './history-range.css';

const MARGIN = { top: 18, right: 14, bottom: 0, left: 0 } as const;
/** Markers listed below the chart before "and N more". */
const LISTED = 6;

const BAD = new Set(['node.down', 'node.unhealthy', 'node.unresponsive', 'fault.injected', 'supervisor.left', 'cluster.stopped', 'alert.firing']);
const markerTone = (m: HistoryMarker): string => (BAD.has(m.type) ? 'var(--bad)' : 'var(--accent)');

export const HistorySeriesChart = memo(function HistorySeriesChart({ history, metric, unit, height, stacked = false }: {
  history: MetricsHistory;
  metric: SeriesMetric;
  unit: ChartUnit;
  height: number;
  stacked?: boolean;
}) {
  const bounds: Bounds = useMemo(() => ({ from: history.from, to: history.to }), [history.from, history.to]);
  const nodeIds = useMemo(() => sortedNodeIds(Object.keys(history.nodes)), [history.nodes]);
  const rows = useMemo(() => seriesRows(history, nodeIds, metric), [history, nodeIds, metric]);
  const ticks = useMemo(() => rangeTicks(bounds), [bounds]);
  const domain = useMemo(() => [bounds.from, bounds.to], [bounds]);
  const legend = useMemo(() => keyEntries(rows[rows.length - 1], nodeIds, stacked), [rows, nodeIds, stacked]);
  const axisTime = useCallback((at: number) => rangeTickLabel(at, bounds), [bounds]);
  const lead = emptyLead(rows[0]?.at, { start: bounds.from, end: bounds.to }, history.intervalMs);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  /** The time under the pointer, from its place across the plot area (the chart's fixed margins and y axis). */
  const atOf = (e: MouseEvent): number => {
    const rect = box.current!.getBoundingClientRect();
    const left = rect.left + MARGIN.left + Y_AXIS_WIDTH;
    const share = (e.clientX - left) / Math.max(1, rect.width - MARGIN.left - Y_AXIS_WIDTH - MARGIN.right);
    return Math.round(bounds.from + Math.min(1, Math.max(0, share)) * (bounds.to - bounds.from));
  };
  const tooltip = useCallback((p: TooltipContentProps) => {
    const row = p.payload[0]?.payload as SeriesRow | undefined;
    if (!p.active || !row || drag) return null;
    return <SeriesTooltip time={`${new Date(row.at).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${fmtTime(row.at)}`}
      entries={keyEntries(row, nodeIds, stacked)} format={VALUE[unit]} />;
  }, [nodeIds, stacked, unit, drag]);
  const style = useMemo(() => ({ width: '100%', height }), [height]);
  const endDrag = (): void => {
    const zoom = drag ? zoomBounds(drag.a, drag.b) : null;
    setDrag(null);
    if (zoom) useHistory.getState().setZoom(zoom);
  };
  if (rows.length === 0) {
    return <div className="chart-wait" style={style} data-testid="history-empty">No history in this range: the cluster kept no samples then.</div>;
  }
  return (
    <div className="series-chart history-chart" data-testid="history-chart" data-tier={history.tier} data-points={history.total.length}
      data-first-at={history.total[0]?.at} title="Drag across the chart to zoom in">
      <div ref={box} onMouseDown={(e) => { const at = atOf(e); setDrag({ a: at, b: at }); }}
        onMouseMove={(e) => { if (drag) setDrag({ ...drag, b: atOf(e) }); }} onMouseUp={endDrag} onMouseLeave={() => setDrag(null)}>
      <ComposedChart responsive style={style} data={rows as SeriesRow[]} margin={MARGIN} accessibilityLayer>
        {chartFrame({ from: bounds.from, to: bounds.to, domain, ticks, timeLabel: axisTime, lead, valueLabel: AXIS[unit], tooltip })}
        {seriesShapes(nodeIds, stacked)}
        {history.markers.map((m, i) => (
          <ReferenceLine key={`${m.at}-${i}`} x={m.at} stroke={markerTone(m)} strokeDasharray="4 3" ifOverflow="hidden"
            label={<MarkerFlag marker={m} />} />
        ))}
        {drag && drag.a !== drag.b ? (
          <ReferenceArea x1={Math.min(drag.a, drag.b)} x2={Math.max(drag.a, drag.b)} fill="var(--accent)" fillOpacity={0.12} stroke="none" />
        ) : null}
      </ComposedChart>
      </div>
      <SeriesLegend entries={legend} format={VALUE[unit]} />
      <MarkerList markers={history.markers} />
    </div>
  );
});

/** A marker's flag at the top of its line; its text shows on hover. */
function MarkerFlag({ marker, viewBox }: { marker: HistoryMarker; viewBox?: { x?: number; y?: number } }) {
  const x = viewBox?.x ?? 0;
  const y = (viewBox?.y ?? 0) - 4;
  return (
    <g className="history-marker" data-testid="history-marker" data-type={marker.type}>
      <title>{`${fmtTime(marker.at)} ${marker.text}`}</title>
      <path d={`M${x - 5},${y - 9} L${x + 5},${y - 9} L${x},${y} Z`} fill={markerTone(marker)} />
    </g>
  );
}

function MarkerList({ markers }: { markers: readonly HistoryMarker[] }) {
  if (markers.length === 0) return null;
  const shown = markers.slice(-LISTED);
  return (
    <ul className="history-marker-list" aria-label="Events in this range">
      {shown.map((m, i) => (
        <li key={`${m.at}-${i}`} data-testid="history-marker-item">
          <span className="history-marker-dot" style={{ background: markerTone(m) }} aria-hidden="true" />
          <time className="mono">{fmtTime(m.at)}</time> {m.text}
        </li>
      ))}
      {markers.length > shown.length ? <li className="muted">and {markers.length - shown.length} earlier</li> : null}
    </ul>
  );
}
