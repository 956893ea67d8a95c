/**
 * How each node's line is drawn, so that two nodes with the same figures stay two lines: a colour,
 * a dash pattern and a width of its own. The first node's line is solid and the widest, and the
 * lines drawn over it have gaps, so identical lines show as one band of alternating colours
 * rather than one hiding the others. Values are never moved apart to make lines visible. Pure,
 * tested without React.
 */
import type { SeriesRow } from './series.rows.js';
import { nodeKey } from './series.rows.js';

/** The stroke of one series. */
export interface StrokeStyle {
  color: string;
  /** SVG stroke-dasharray; '' draws a solid line. */
  dash: string;
  width: number;
  cap: 'butt' | 'round';
}

/** The theme has six chart colours. */
const COLOURS = 6;

/** Solid, dashed, dotted, dash-dot, short dash, long dash, in drawing order. */
const PATTERNS: readonly Omit<StrokeStyle, 'color'>[] = [
  { dash: '', width: 3, cap: 'butt' },
  { dash: '7 4', width: 2, cap: 'butt' },
  { dash: '0.01 5', width: 2.5, cap: 'round' },
  { dash: '10 3 2 3', width: 1.5, cap: 'butt' },
  { dash: '3 3', width: 1.5, cap: 'butt' },
  { dash: '14 5', width: 1.25, cap: 'butt' },
];

/** The colour of the i-th node in id order; Overview and Nodes agree. */
export const nodeColor = (i: number): string => `var(--chart-${(i % COLOURS) + 1})`;

/**
 * The stroke of the i-th node in id order. Past six nodes the colours repeat, but the pattern moves
 * on by one, so no two of the first 36 nodes share both colour and pattern.
 */
export function nodeStroke(i: number): StrokeStyle {
  const pattern = PATTERNS[(i + Math.floor(i / COLOURS)) % PATTERNS.length]!;
  return { color: nodeColor(i), ...pattern };
}

/** The cluster total over the stacked nodes: the text colour, dashed. */
export const TOTAL_STROKE: StrokeStyle = { color: 'var(--text)', dash: '5 3', width: 1.75, cap: 'butt' };

/** One line of a chart's legend or tooltip. */
export interface KeyEntry {
  /** The node id, or 'total'. */
  id: string;
  label: string;
  style: StrokeStyle;
  /** The value in the row, null in a gap or before the first sample. */
  value: number | null;
}

/**
 * Every node of a chart with its value in one row (the latest, for the legend; the hovered one,
 * for the tooltip), in node order, the total first when the chart stacks. Nodes with equal values
 * are all listed: that is how the reader tells them apart.
 */
export function keyEntries(row: SeriesRow | undefined, nodeIds: readonly string[], withTotal: boolean): KeyEntry[] {
  const nodes = nodeIds.map((id, i): KeyEntry => ({ id, label: id, style: nodeStroke(i), value: row?.[nodeKey(id)] ?? null }));
  if (!withTotal) return nodes;
  return [{ id: 'total', label: 'Total', style: TOTAL_STROKE, value: row?.total ?? null }, ...nodes];
}
