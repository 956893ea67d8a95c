/** The broadcast composer's rules, pure: the audience from what was typed, and reach in words. */
import type { Audience } from '../../../shared/admin/admin-model.js';
import { fmtInt } from '../format.js';

export type AudienceKind = Audience['kind'];

export const MAX_TARGETS = 1000;
const MAX_CHANNEL = 255;

/** Names separated by commas, newlines or spaces; blanks dropped, duplicates once, order kept. */
export function splitNames(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((s) => s.trim()).filter((s) => s !== ''))];
}

export type AudienceResult = { ok: true; audience: Audience } | { ok: false; error: string };

export function parseAudience(kind: AudienceKind, text: string): AudienceResult {
  if (kind === 'all') return { ok: true, audience: { kind: 'all' } };
  const names = splitNames(text);
  const what = kind === 'channels' ? 'channel' : 'user id';
  if (names.length === 0) return { ok: false, error: `Name at least one ${what} (separate several with commas or new lines)` };
  if (names.length > MAX_TARGETS) return { ok: false, error: `At most ${fmtInt(MAX_TARGETS)} ${what}s per broadcast (${fmtInt(names.length)} given)` };
  if (kind === 'channels') {
    const long = names.find((n) => n.length > MAX_CHANNEL);
    if (long) return { ok: false, error: `A channel name is at most ${MAX_CHANNEL} characters: ${long.slice(0, 40)}…` };
    return { ok: true, audience: { kind: 'channels', channels: names } };
  }
  return { ok: true, audience: { kind: 'users', users: names } };
}

/** A stable key of an audience (a reach is shown only for the audience it was computed for). */
export const audienceKey = (a: Audience): string => JSON.stringify(a);

const list = (names: string[], max = 3): string =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${fmtInt(names.length - max)} more`;

/** "Everyone", "2 channels: chat:a, chat:b", "user ann". */
export function describeAudience(a: Audience): string {
  switch (a.kind) {
    case 'all': return 'Everyone';
    case 'channels': return a.channels.length === 1 ? `channel ${a.channels[0]}` : `${fmtInt(a.channels.length)} channels: ${list(a.channels)}`;
    case 'users': return a.users.length === 1 ? `user ${a.users[0]}` : `${fmtInt(a.users.length)} users: ${list(a.users)}`;
  }
}

/** "1,234 connections on 3 nodes". */
export function fmtReach(r: { connections: number; nodes: number }): string {
  return `${fmtInt(r.connections)} ${r.connections === 1 ? 'connection' : 'connections'} on ${fmtInt(r.nodes)} ${r.nodes === 1 ? 'node' : 'nodes'}`;
}

/** What the composer holds while switching views. */
export interface BroadcastDraft {
  kind: AudienceKind;
  channels: string;
  users: string;
  mode: 'text' | 'json';
  text: string;
}

/**
 * The composer after a send: the same audience kind and format, with no targets and no message, so
 * a second click has nothing to send again.
 */
export const clearedDraft = (d: BroadcastDraft): BroadcastDraft => ({ ...d, channels: '', users: '', text: '' });

/** "bob — not connected on any node", one line per user id with no connection. */
export const notConnectedLines = (ids: readonly string[]): string[] => ids.map((id) => `${id} — not connected on any node`);

/** "alma 2 · carl 1 · emil 1", the connected users' reach, the first `max` of them. */
export function fmtPerUser(perUser: readonly { user: string; connections: number }[], max = 8): string {
  const connected = perUser.filter((u) => u.connections > 0);
  const shown = connected.slice(0, max).map((u) => `${u.user} ${fmtInt(u.connections)}`).join(' · ');
  return connected.length > max ? `${shown} · and ${fmtInt(connected.length - max)} more` : shown;
}

/**
 * What the nodes reported writing: "4 delivered", "3 of 4 delivered" when fewer than the reach
 * (a connection closed or a node did not answer in between), null when not reported (publications).
 */
export function fmtDelivered(r: { connections: number; delivered?: number }): string | null {
  if (r.delivered === undefined) return null;
  return r.delivered === r.connections ? `${fmtInt(r.delivered)} delivered` : `${fmtInt(r.delivered)} of ${fmtInt(r.connections)} delivered`;
}

/** What a send did, for the confirmation the composer shows until the next one. */
export interface SentSummary {
  id: number;
  audience: Audience;
  /** The message as the past broadcasts list shows it. */
  preview: string;
  connections: number;
  nodes: number;
  delivered?: number;
  notConnected: string[];
  unanswered: string[];
}

/** "Sent to 3 users: alma, carl, emil — 4 delivered (reach 4 connections on 2 nodes)". */
export function describeSent(s: SentSummary): string {
  const delivered = fmtDelivered(s);
  const reach = fmtReach(s);
  return `Sent to ${describeAudience(s.audience)} — ${delivered ? `${delivered} (reach ${reach})` : `published; reach ${reach}`}`;
}
