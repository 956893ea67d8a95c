/**
 * The audit log's records: one per admin action (a kick, a broadcast, a fault, a setting…), with
 * who asked, when, what, its reach and its result. The supervisor keeps them in an append-only file
 * (embedded-server/supervisor/audit-log.ts); the console reads them through `audit.query`.
 */
import type { Json } from '../protocol/client-protocol.js';

/** The outcome of an audited action: its result in a few words, or the error it answered. */
export type AuditResult =
  | { ok: true; summary: string }
  | { ok: false; code: number; message: string };

export interface AuditEntry {
  /** Increasing number within this log, kept across restarts; `audit.query`'s `before` cursor. */
  seq: number;
  /** When the action was asked for (unix ms). */
  at: number;
  /**
   * The admin connection that asked: `admin-N (address)`, with `, desktop app` when it is the
   * desktop app's console and `, browser` when a browser page; a plain tool names its address only.
   */
  who: string;
  /** The supervisor that ran it (`cluster.name`). */
  supervisor: string;
  /** The admin method, e.g. `session.kick`. */
  action: string;
  /** What it acted on, e.g. `client 5f2…`, `user bob`, `node-2`, `channel chat:lobby`; '' for none. */
  target: string;
  /** The request's params; payloads and long lists are cut (at most ~2 KB of JSON). */
  params: Json;
  /** Connections it reached or moved, when the action says so (kicked, broadcast to, drained…); else null. */
  reach: number | null;
  result: AuditResult;
  /** How long the action took to answer (ms). */
  ms: number;
}

/** `audit.query`'s answer: the page, newest first. */
export interface AuditPage {
  entries: AuditEntry[];
  /** Entries matching the filter (before the cursor), of which `entries` is the newest `limit`. */
  total: number;
  /** Oldest entry the log still holds (unix ms); null when it is empty. */
  oldestAt: number | null;
}

/**
 * Admin methods that only read: they are not audited. Every other method — including one added
 * later and not listed here — is an action and gets an entry.
 */
export const UNAUDITED_METHODS: ReadonlySet<string> = new Set([
  'cluster.snapshot', 'cluster.series', 'events.since', 'connections.query', 'connection.get',
  'channels.query', 'channel.get', 'channel.watch', 'channel.unwatch', 'broadcast.list',
  'simulator.status', 'simulator.fleets', 'audit.query', 'metrics.history', 'capacity.estimate',
  'alerts.rules', 'alerts.list',
]);

/** True when calling this admin method leaves an audit entry. */
export const isAudited = (method: string): boolean => !UNAUDITED_METHODS.has(method);

/** `audit.query`'s filter (every field optional; all given must match). */
export interface AuditFilter {
  /** Case-insensitive text anywhere in who, action, target, params or result. */
  text?: string;
  /** Exactly this admin method. */
  action?: string;
  /** Case-insensitive part of `who`. */
  who?: string;
  /** At or after this time (unix ms). */
  from?: number;
  /** At or before this time (unix ms). */
  to?: number;
  /** Only entries with a `seq` below this one: the next page of a newest-first listing. */
  before?: number;
  /** Only failed actions (`result.ok` false), or only successful ones. */
  ok?: boolean;
}
