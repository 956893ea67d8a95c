/**
 * How one admin call becomes an audit entry: its target in words, its params with payloads and
 * long lists cut, its reach, and its result in a few words without secrets (a minted token never
 * reaches the log). Pure, so the rules are tested without a cluster.
 */
import type { AuditResult } from '../../shared/admin/audit-model.js';
import type { Json } from '../../shared/protocol/client-protocol.js';

/** Longest string kept in params; longer ones end in "…". */
const MAX_STRING = 200;
/** Most items of a list kept in params; the rest become one "… N more" item. */
const MAX_ITEMS = 20;
/** Largest params JSON kept; larger params are kept as their JSON text, cut. */
const MAX_PARAMS_JSON = 2048;
/** Result fields that are secrets: left out of the summary. */
const SECRET_KEYS = new Set(['token']);
/** Payload fields: kept as a cut JSON text, whatever their shape. */
const PAYLOAD_KEYS = new Set(['data']);
/** Result fields that count connections reached, first found wins (node.remove adds `moving`). */
const REACH_KEYS = ['kicked', 'unsubscribed', 'connections', 'dropped', 'drained', 'moving'] as const;

const cut = (s: string, max = MAX_STRING): string => (s.length > max ? `${s.slice(0, max)}…` : s);

/** A value bounded in size: strings cut, lists shortened, deep objects as cut JSON text. */
export function bounded(value: unknown, depth = 0): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return cut(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (depth >= 3) return cut(JSON.stringify(value) ?? '');
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ITEMS).map((v) => bounded(v, depth + 1));
    return value.length > MAX_ITEMS ? [...kept, `… ${value.length - MAX_ITEMS} more`] : kept;
  }
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      out[k] = PAYLOAD_KEYS.has(k) ? cut(JSON.stringify(v) ?? 'null') : bounded(v, depth + 1);
    }
    return out;
  }
  return String(value);
}

/** The params as the log keeps them: bounded, and never more than ~2 KB of JSON. */
export function auditParams(params: unknown): Json {
  const b = bounded(params);
  const text = JSON.stringify(b);
  return text.length > MAX_PARAMS_JSON ? { truncated: cut(text, MAX_PARAMS_JSON) } : b;
}

/** What the call acted on, in words; '' when it names nothing. */
export function auditTarget(params: unknown): string {
  if (typeof params !== 'object' || params === null) return '';
  const p = params as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof p.node === 'string') parts.push(p.node);
  if (typeof p.target === 'object' && p.target !== null) parts.push(kickTarget(p.target as Record<string, unknown>));
  if (typeof p.client === 'string') parts.push(`client ${p.client}`);
  if (typeof p.channel === 'string') parts.push(`channel ${p.channel}`);
  if (typeof p.user === 'string') parts.push(`user ${p.user === '' ? '(anonymous)' : p.user}`);
  if (typeof p.audience === 'object' && p.audience !== null) parts.push(audience(p.audience as Record<string, unknown>));
  return cut(parts.join(' on '));
}

function kickTarget(t: Record<string, unknown>): string {
  if (typeof t.client === 'string') return `client ${t.client}`;
  if (typeof t.user === 'string') return `user ${t.user === '' ? '(anonymous)' : t.user}`;
  return `subscribers of ${String(t.channel)}`;
}

function audience(a: Record<string, unknown>): string {
  const list = (key: string): string[] => (Array.isArray(a[key]) ? (a[key] as unknown[]).map(String) : []);
  const names = (items: string[], what: string): string => (items.length <= 3 ? `${what} ${items.join(', ')}` : `${items.length} ${what}`);
  if (a.kind === 'channels') return names(list('channels'), 'channels');
  if (a.kind === 'users') return names(list('users'), 'users');
  return 'all connections';
}

/** Connections the action reached or moved, from its result; null when it says nothing of them. */
export function auditReach(result: unknown): number | null {
  if (typeof result !== 'object' || result === null) return null;
  const r = result as Record<string, unknown>;
  for (const key of REACH_KEYS) {
    if (typeof r[key] !== 'number') continue;
    return key === 'drained' && typeof r.moving === 'number' ? (r[key] as number) + r.moving : (r[key] as number);
  }
  return null;
}

/** The result's plain fields as `key value` pairs (lists as their length), secrets left out. */
export function auditSummary(result: unknown): string {
  if (typeof result !== 'object' || result === null) return result === null || result === undefined ? 'ok' : cut(String(result));
  const parts: string[] = [];
  for (const [k, v] of Object.entries(result as Record<string, unknown>)) {
    if (SECRET_KEYS.has(k) || v === undefined) continue;
    if (Array.isArray(v)) parts.push(`${k} ${k === 'unanswered' ? v.join(' ') : v.length}`);
    else if (typeof v === 'number' && k.endsWith('At')) parts.push(`${k} ${new Date(v).toISOString()}`);
    else if (v === null || typeof v !== 'object') parts.push(`${k} ${String(v)}`);
  }
  return parts.length === 0 ? 'ok' : cut(parts.join(', '), 300);
}

/** The result part of an entry, from the call's answer. */
export function auditResult(answer: { ok: true; value: unknown } | { ok: false; error: { code: number; message: string } }): AuditResult {
  return answer.ok
    ? { ok: true, summary: auditSummary(answer.value) }
    : { ok: false, code: answer.error.code, message: cut(answer.error.message, 500) };
}
