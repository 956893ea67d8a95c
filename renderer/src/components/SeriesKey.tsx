/**
 * The key to a node chart, in HTML beside the SVG: every node's line as it is drawn (colour and
 * dash) with its value — the latest in the legend, the hovered second's in the tooltip — so a node
 * whose line lies under another's is still listed with its figure.
 */
import type { KeyEntry, StrokeStyle } from './series.style.js';

/** A short sample of a line's stroke. */
export function Swatch({ style }: { style: StrokeStyle }) {
  return (
    <svg className="series-swatch" width="24" height="10" aria-hidden="true">
      <line x1="1" y1="5" x2="23" y2="5" stroke={style.color} strokeWidth={style.width} strokeDasharray={style.dash || undefined}
        strokeLinecap={style.cap} />
    </svg>
  );
}

function KeyItem({ entry, format, testId }: { entry: KeyEntry; format(v: number): string; testId: string }) {
  return (
    <li data-testid={testId} data-node={entry.id}>
      <Swatch style={entry.style} />
      <span className="series-key-name">{entry.label}</span>
      <span className="series-key-value num">{entry.value === null ? '—' : format(entry.value)}</span>
    </li>
  );
}

/** Every node with its latest value, below the chart. */
export function SeriesLegend({ entries, format }: { entries: readonly KeyEntry[]; format(v: number): string }) {
  return (
    <ul className="series-legend" aria-label="Latest value per node" data-testid="series-legend">
      {entries.map((e) => <KeyItem key={e.id} entry={e} format={format} testId="series-legend-item" />)}
    </ul>
  );
}

/** Every node at the hovered second, under its time. */
export function SeriesTooltip({ time, entries, format }: { time: string; entries: readonly KeyEntry[]; format(v: number): string }) {
  return (
    <div className="series-tooltip" data-testid="series-tooltip">
      <div className="series-tooltip-time">{time}</div>
      <ul>
        {entries.map((e) => <KeyItem key={e.id} entry={e} format={format} testId="series-tooltip-item" />)}
      </ul>
    </div>
  );
}
