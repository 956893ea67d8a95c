/**
 * What supervisors ask each other over the control bus (survey.ask / survey.answer): one entry per
 * operation with its params and its answer. Every supervisor on an engine runs the same build, so the
 * types hold on both ends; params are still checked where they are answered (control-messages.ts is
 * only the envelope).
 */
import type { AdminError, AdminParams } from '../admin/admin-api.js';
import type { ChannelRow, ConnectionRow } from '../admin/admin-model.js';
import type { Json } from '../protocol/client-protocol.js';

/** How long an asker waits for every supervisor's answer before naming the silent ones. */
export const SURVEY_TIMEOUT_MS = 2_000;

/**
 * How long an asker waits for a forwarded admin method: node restarts and removals wait for a process
 * to start or drain (the admin API's own request timeout is longer still).
 */
export const FORWARDED_ADMIN_TIMEOUT_MS = 8_000;

/** Admin methods that act on one connection or node and so run where it lives. */
export const FORWARDED_ADMIN_METHODS = [
  'connection.get', 'session.kick', 'session.unsubscribe',
  'node.kill', 'node.hang', 'node.partition', 'node.drop', 'node.restart', 'node.remove',
] as const;
export type ForwardedAdminMethod = (typeof FORWARDED_ADMIN_METHODS)[number];

/** Node requests a supervisor runs on every one of its nodes for another supervisor. */
export const SPANNED_NODE_REQUESTS = [
  'sessions.disconnect', 'sessions.unsubscribe', 'sessions.subscribe', 'sessions.refresh', 'sessions.message',
] as const;
export type SpannedNodeRequest = (typeof SPANNED_NODE_REQUESTS)[number];

export interface SurveyOps {
  /** Runs an admin method on the supervisor owning its connection or node; answers its Result. */
  'admin.call': {
    params: { method: ForwardedAdminMethod; params: Json; who: string };
    result: { ok: true; value: Json } | { ok: false; error: AdminError };
  };
  /** The answerer's connections matching a filter, sorted, the first `limit` of them, and how many matched. */
  'connections.rows': {
    params: { filter: AdminParams<'connections.query'>['filter']; sort: AdminParams<'connections.query'>['sort']; limit: number };
    result: { total: number; items: ConnectionRow[] };
  };
  /** Every channel with a subscriber on the answerer's nodes (or just `channel`'s row, when it has subscribers there). */
  'channels.rows': { params: { channel?: string }; result: { rows: ChannelRow[] } };
  /** A sessions request to every live node of the answerer; each node's reply. */
  'nodes.request': { params: { op: SpannedNodeRequest; req: Json }; result: { results: Json[] } };
  /**
   * How many connections (and on how many nodes) a broadcast reaches there: subscribers of these
   * channels (null: everyone), or with `users` every connection of those users, `perUser` counting
   * each one's in the order given.
   */
  'broadcast.reach': {
    params: { channels: string[] | null; users?: string[] };
    result: { connections: number; nodes: number; perUser?: number[] };
  };
}

export type SurveyOp = keyof SurveyOps;
