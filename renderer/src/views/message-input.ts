/**
 * What a message box means, checked as the user types: JSON, or plain text sent as a JSON string.
 * Shared by the channel publish box (auto) and the broadcast composer (an explicit toggle).
 */
import type { Json } from '../../../shared/protocol/client-protocol.js';

/** `auto`: text that starts like JSON must be JSON; other text that parses is JSON; the rest is plain text. */
export type MessageMode = 'auto' | 'json' | 'text';

export type ParsedMessage =
  | { ok: true; data: Json; kind: 'json' | 'text'; summary: string }
  | { ok: false; empty: boolean; error: string };

export function parseMessage(text: string, mode: MessageMode): ParsedMessage {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, empty: true, error: 'Type a message first' };
  if (mode === 'text') return { ok: true, data: text, kind: 'text', summary: `Plain text, sent as a JSON string (${text.length} chars)` };
  const looksJson = mode === 'json' || /^[{["]/.test(trimmed);
  try {
    const data = JSON.parse(trimmed) as Json;
    return { ok: true, data, kind: 'json', summary: `Valid JSON ${describeJson(data)}` };
  } catch (e) {
    if (looksJson) return { ok: false, empty: false, error: jsonError(e, trimmed) };
    return { ok: true, data: text, kind: 'text', summary: 'Plain text, sent as a JSON string' };
  }
}

function describeJson(v: Json): string {
  if (v === null) return '(null)';
  if (Array.isArray(v)) return `(array of ${v.length})`;
  if (typeof v === 'object') {
    const n = Object.keys(v).length;
    return `(object, ${n} ${n === 1 ? 'key' : 'keys'})`;
  }
  return `(${typeof v})`;
}

/** The parser's complaint, with a line and column when it gives a position. */
export function jsonError(e: unknown, text: string): string {
  const raw = e instanceof Error ? e.message : String(e);
  const msg = raw.replace(/^JSON\.parse: /, '');
  if (/\(line \d+ column \d+\)/.test(msg)) return `Invalid JSON: ${msg}`;
  const at = /at position (\d+)/.exec(msg);
  if (!at) return `Invalid JSON: ${msg}`;
  const pos = Number(at[1]);
  const before = text.slice(0, pos).split('\n');
  return `Invalid JSON: ${msg} (line ${before.length} column ${before[before.length - 1]!.length + 1})`;
}

/** A JSON value on one line, cut to `max` characters. */
export function compactJson(v: unknown, max = 160): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
