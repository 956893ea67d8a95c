/**
 * The audit log's exports, oldest first as a log file reads, with ISO 8601 (UTC) times: NDJSON (one
 * entry per line, `time` added before the fields) and CSV (RFC 4180 quoting; a cell a spreadsheet
 * would run as a formula starts with an apostrophe). Free of the DOM, so tests call it directly.
 */
import type { AuditEntry } from '../../../../shared/admin/audit-model.js';

export type AuditExportKind = 'ndjson' | 'csv';

/** The CSV's columns, in order. */
export const AUDIT_CSV_COLUMNS = ['time', 'who', 'supervisor', 'action', 'target', 'reach', 'result', 'detail', 'ms', 'params'] as const;

const oldestFirst = (entries: readonly AuditEntry[]): AuditEntry[] => [...entries].sort((a, b) => a.at - b.at || a.seq - b.seq);

/** NDJSON text: every line an entry with its ISO time; empty for none, else every line ends with "\n". */
export function auditNdjson(entries: readonly AuditEntry[]): string {
  return oldestFirst(entries).map((e) => `${JSON.stringify({ time: new Date(e.at).toISOString(), ...e })}\n`).join('');
}

/** CSV text with a header row; lines end with CRLF as RFC 4180 says. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = oldestFirst(entries).map((e) => [
    new Date(e.at).toISOString(), e.who, e.supervisor, e.action, e.target, e.reach === null ? '' : String(e.reach),
    e.result.ok ? 'ok' : 'error', e.result.ok ? e.result.summary : `${e.result.code} ${e.result.message}`, String(e.ms), JSON.stringify(e.params),
  ]);
  return [AUDIT_CSV_COLUMNS as readonly string[], ...rows].map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');
}

/** One CSV cell: quoted when it holds a comma, quote or line break; formula starts defused. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** switchboard-audit-2026-01-31T12-04-05.csv (local time). */
export function auditFileName(kind: AuditExportKind, at: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}T${p(at.getHours())}-${p(at.getMinutes())}-${p(at.getSeconds())}`;
  return `switchboard-audit-${stamp}.${kind}`;
}
