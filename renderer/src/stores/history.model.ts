/**
 * The charts' time range (live 5 minutes, the last hour, day or week, or a custom from–to), a zoom
 * inside it, the time axis of a range, and the CSV of what a range shows (pure, tested without React).
 */
import type { SeriesPoint, TimeSeries } from '../../../shared/admin/admin-model.js';

export const RANGE_PRESETS = [
  { id: 'live', label: '5 min', title: 'The last 5 minutes, live' },
  { id: '1h', label: '1 h', title: 'The last hour', spanMs: 3600_000 },
  { id: '24h', label: '24 h', title: 'The last 24 hours', spanMs: 24 * 3600_000 },
  { id: '7d', label: '7 d', title: 'The last 7 days', spanMs: 7 * 24 * 3600_000 },
  { id: 'custom', label: 'Custom', title: 'From a time to a time' },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]['id'];

export interface Bounds {
  from: number;
  to: number;
}

/** A zoom narrower than this is taken for a click, not a drag. */
const MIN_ZOOM_MS = 5000;

/** The range to ask for: the zoom, else the custom range, else the preset's span ending `now`; null for live. */
export function rangeBounds(preset: RangePreset, custom: Bounds | null, zoom: Bounds | null, now: number): Bounds | null {
  if (preset === 'live') return null;
  if (zoom) return zoom;
  if (preset === 'custom') return custom;
  const p = RANGE_PRESETS.find((r) => r.id === preset)!;
  return 'spanMs' in p ? { from: now - p.spanMs, to: now } : null;
}

/** The range dragged across a chart, in order; null when it is too narrow to be meant. */
export function zoomBounds(a: number, b: number): Bounds | null {
  const from = Math.min(a, b);
  const to = Math.max(a, b);
  return to - from >= MIN_ZOOM_MS ? { from, to } : null;
}

const TICK_STEPS = [10_000, 15_000, 30_000, 60_000, 5 * 60_000, 10 * 60_000, 30 * 60_000, 3600_000, 3 * 3600_000, 6 * 3600_000, 12 * 3600_000, 24 * 3600_000];

/** About six ticks on whole minutes, hours or days (local time) across the range. */
export function rangeTicks({ from, to }: Bounds, target = 6): number[] {
  const span = to - from;
  const step = TICK_STEPS.find((s) => span / s <= target) ?? Math.ceil(span / target / 86_400_000) * 86_400_000;
  const offset = new Date(from).getTimezoneOffset() * 60_000;
  const ticks: number[] = [];
  for (let t = Math.ceil((from - offset) / step) * step + offset; t <= to; t += step) ticks.push(t);
  return ticks;
}

/** A tick's label: the time of day for a range within a day, else the date and hour. */
export function rangeTickLabel(at: number, { from, to }: Bounds): string {
  const d = new Date(at);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (to - from <= 6 * 60_000) return `${hm}:${pad(d.getSeconds())}`;
  if (to - from <= 26 * 3600_000) return hm;
  return `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${hm}`;
}

/** The picker's text for a range: "2 Jun 14:05 – 15:05". */
export function describeBounds({ from, to }: Bounds): string {
  const day = (at: number): string => new Date(at).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  const b = { from, to: from + 1 };
  return day(from) === day(to) ? `${day(from)} ${rangeTickLabel(from, b)} – ${rangeTickLabel(to, b)}` : `${day(from)} ${rangeTickLabel(from, b)} – ${day(to)} ${rangeTickLabel(to, b)}`;
}

/** The columns of the CSV: every figure a point can carry (live points leave the history-only ones empty). */
const CSV_FIELDS = [
  'connections', 'messagesInPerSec', 'messagesOutPerSec', 'bytesInPerSec', 'bytesOutPerSec', 'cpuPercent',
  'loopDelayP99Ms', 'rssBytes', 'connectionsMax', 'cpuPercentMax', 'loopDelayP99MsMax', 'rssBytesMax', 'samples',
] as const;

/**
 * A range as CSV: one row per step and series (`total`, then each node), the time in ISO 8601
 * (UTC), oldest first. `rows` counts the data rows (the header aside).
 */
export function historyCsv(h: TimeSeries): { text: string; rows: number } {
  const lines = [['time', 'series', ...CSV_FIELDS].join(',')];
  const emit = (series: string, points: readonly SeriesPoint[]): void => {
    for (const p of points) {
      const values = CSV_FIELDS.map((f) => {
        const v = (p as unknown as Record<string, unknown>)[f];
        return typeof v === 'number' ? String(v) : '';
      });
      lines.push([new Date(p.at).toISOString(), csvCell(series), ...values].join(','));
    }
  };
  emit('total', h.total);
  for (const id of Object.keys(h.nodes).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) emit(id, h.nodes[id]!);
  return { text: `${lines.join('\n')}\n`, rows: lines.length - 1 };
}

/** `switchboard-metrics-20260601T1405Z-20260601T1505Z.csv` */
export function csvFileName({ from, to }: Bounds): string {
  const stamp = (at: number): string => new Date(at).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';
  return `switchboard-metrics-${stamp(from)}-${stamp(to)}.csv`;
}

/** A `datetime-local` input's value for a time, and back (local time; NaN when empty or malformed). */
export function toLocalInput(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export const fromLocalInput = (value: string): number => (value === '' ? Number.NaN : new Date(value).getTime());

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const pad = (n: number): string => String(n).padStart(2, '0');
