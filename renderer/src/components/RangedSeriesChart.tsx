/**
 * A node chart in the chosen time range: the live 5-minute chart by default, else the loaded range
 * of the metrics history (HistoryRangeBar picks and loads it).
 */
import { useCluster } from '../stores/cluster.store.js';
import { useHistory } from '../stores/history.store.js';
import { HistorySeriesChart } from './HistorySeriesChart.js';
import type { ChartUnit } from './NodeSeriesChart.js';
import { NodeSeriesChart } from './NodeSeriesChart.js';
import type { SeriesMetric } from './series.rows.js';

export function RangedSeriesChart(props: { metric: SeriesMetric; unit: ChartUnit; height: number; stacked?: boolean }) {
  const live = useHistory((s) => s.preset === 'live');
  const data = useHistory((s) => s.data);
  const series = useCluster((s) => s.series);
  if (live) return <NodeSeriesChart series={series} {...props} />;
  if (!data) return <div className="chart-wait" style={{ width: '100%', height: props.height }}>Loading the range…</div>;
  return <HistorySeriesChart history={data} {...props} />;
}

/** The chart's subtitle for the chosen range: "last 5 minutes", "last hour"… */
export function useRangeText(): string {
  const preset = useHistory((s) => s.preset);
  const zoomed = useHistory((s) => s.zoom !== null);
  if (zoomed) return 'zoomed range';
  return { live: 'last 5 minutes', '1h': 'last hour', '24h': 'last 24 hours', '7d': 'last 7 days', custom: 'chosen range' }[preset];
}
