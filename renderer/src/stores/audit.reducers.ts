/** Pure state changes of the Audit view: the filter, the newest page and more pages on demand. */
import type { AuditEntry, AuditPage } from '../../../shared/admin/audit-model.js';

/** Entries per `audit.query` page (and per step of an export). */
export const AUDIT_PAGE = 100;

export interface AuditViewFilter {
  /** Text anywhere in who, action, target, params or result. */
  text: string;
  /** One admin method, or '' for all. */
  action: string;
  /** 'failed', 'ok', or '' for both. */
  outcome: '' | 'ok' | 'failed';
}

export interface AuditState {
  filter: AuditViewFilter;
  /** Newest first: the first page, and every older page asked for with "Load more". */
  entries: AuditEntry[];
  /** Entries matching the filter in the whole log. */
  total: number;
  oldestAt: number | null;
  /** The request whose answer is awaited; answers to older ones are dropped. */
  pending: number;
  loaded: boolean;
  /** The filter changed since `entries` were loaded: the next first page replaces them all. */
  refiltered: boolean;
  error: string | null;
}

export const emptyAuditFilter = (): AuditViewFilter => ({ text: '', action: '', outcome: '' });
export const initialAudit = (): AuditState => ({ filter: emptyAuditFilter(), entries: [], total: 0, oldestAt: null, pending: 0, loaded: false, refiltered: false, error: null });

/** `audit.query` params for the filter, and for the page before `before` when given. */
export function auditQuery(f: AuditViewFilter, limit: number, before?: number): { text?: string; action?: string; ok?: boolean; before?: number; limit: number } {
  return {
    ...(f.text.trim() === '' ? {} : { text: f.text.trim() }),
    ...(f.action === '' ? {} : { action: f.action }),
    ...(f.outcome === '' ? {} : { ok: f.outcome === 'ok' }),
    ...(before === undefined ? {} : { before }),
    limit,
  };
}

export function setAuditFilter(s: AuditState, patch: Partial<AuditViewFilter>): AuditState {
  return { ...s, filter: { ...s.filter, ...patch }, refiltered: true };
}

export function auditRequested(s: AuditState, id: number): AuditState {
  return { ...s, pending: id };
}

/**
 * The answer to request `id`: the first page replaces the list, unless entries already loaded beyond
 * it are still wanted (a refresh keeps "Load more" pages); an older page (`append`) adds to the end.
 */
export function auditReceived(s: AuditState, id: number, page: AuditPage, append: boolean): AuditState {
  if (id !== s.pending) return s;
  const base = { ...s, total: page.total, oldestAt: page.oldestAt, loaded: true, refiltered: false, error: null };
  if (append) {
    const seen = new Set(s.entries.map((e) => e.seq));
    return { ...base, entries: [...s.entries, ...page.entries.filter((e) => !seen.has(e.seq))] };
  }
  const oldestNew = page.entries.at(-1)?.seq;
  const kept = s.refiltered || oldestNew === undefined || page.entries.length < AUDIT_PAGE ? [] : s.entries.filter((e) => e.seq < oldestNew);
  return { ...base, entries: [...page.entries, ...kept] };
}

export function auditFailed(s: AuditState, id: number, message: string): AuditState {
  return id === s.pending ? { ...s, error: message, loaded: true } : s;
}
