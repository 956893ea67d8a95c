/**
 * The events export, one format for the console's Export NDJSON and the desktop menu's Export
 * Events: one JSON object per line, oldest first as a log file reads, each led by `time`, the
 * event's moment as an ISO 8601 timestamp (UTC) beside the unix-ms `at`.
 */
import type { AdminEvent } from './admin-model.js';

/** NDJSON text of the events in sequence order; empty for none, else every line ends with "\n". */
export function eventsNdjson(events: readonly AdminEvent[]): string {
  return [...events].sort((a, b) => a.seq - b.seq).map((e) => `${JSON.stringify({ time: new Date(e.at).toISOString(), ...e })}\n`).join('');
}

/** switchboard-events-2025-01-31T12-04-05.ndjson (local time, sortable). */
export function eventsFileName(at: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `switchboard-events-${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}T${p(at.getHours())}-${p(at.getMinutes())}-${p(at.getSeconds())}.ndjson`;
}
