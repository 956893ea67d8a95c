/**
 * The events export: one JSON object per line (NDJSON), oldest first as a log file reads. Kept free
 * of the DOM so the Electron shell can save the same text through a save dialog.
 */
import type { AdminEvent } from '../../../../shared/admin/admin-model.js';

/** NDJSON text of the events in sequence order; empty for none, else every line ends with "\n". */
export function exportNdjson(events: readonly AdminEvent[]): string {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  return sorted.map((e) => `${JSON.stringify(e)}\n`).join('');
}

/** switchboard-events-2025-01-31T12-04-05.ndjson (local time). */
export function ndjsonFileName(at: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}T${p(at.getHours())}-${p(at.getMinutes())}-${p(at.getSeconds())}`;
  return `switchboard-events-${stamp}.ndjson`;
}
