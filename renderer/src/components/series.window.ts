/**
 * The charts' time axis: a fixed 5-minute window ending now, whatever the console has received so
 * far, so 20 seconds of samples take the last 20 seconds of the width and the rest stays empty
 * (pure, tested without React).
 */
import { fmtTime } from '../format.js';

/** What the charts' subtitles promise: the last 5 minutes. */
export const WINDOW_MS = 5 * 60_000;

/** One tick per wall-clock minute. */
const TICK_STEP_MS = 60_000;

/** A minute tick closer to "now" than this share of the window would print over the "now" label. */
const NOW_CLEARANCE = 0.1;

/** The x axis of a chart: its domain and the times it labels. */
export interface TimeWindow {
  start: number;
  end: number;
  /** Every whole minute in the window, then `end` itself (labelled "now"). */
  ticks: number[];
}

/** The window of `spanMs` that ends at `end`, ticked on whole minutes and at its end. */
export function timeWindow(end: number, spanMs: number = WINDOW_MS, stepMs: number = TICK_STEP_MS): TimeWindow {
  const start = end - spanMs;
  const last = end - spanMs * NOW_CLEARANCE;
  const ticks: number[] = [];
  for (let t = Math.ceil(start / stepMs) * stepMs; t <= last; t += stepMs) ticks.push(t);
  ticks.push(end);
  return { start, end, ticks };
}

/** A tick's label: "now" at the window's end, else the time of day (HH:MM:SS). */
export function tickLabel(at: number, w: Pick<TimeWindow, 'end'>): string {
  return at === w.end ? 'now' : fmtTime(at);
}

/**
 * The stretch at the start of the window with no sample at all (the cluster or the series is
 * younger than 5 minutes), to be drawn as visibly empty; null when the samples reach back far
 * enough (within two intervals of the start).
 */
export function emptyLead(firstAt: number | undefined, w: Pick<TimeWindow, 'start' | 'end'>, intervalMs: number): { from: number; to: number } | null {
  if (firstAt === undefined) return { from: w.start, to: w.end };
  if (firstAt - w.start <= 2 * intervalMs) return null;
  return { from: w.start, to: Math.min(firstAt, w.end) };
}
