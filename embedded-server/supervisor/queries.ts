/**
 * The admin API's list queries, as pure functions: one filtering pass, a sort of what passed, a
 * page. Only the page becomes rows, so a query over 20,000 sessions allocates little beyond the
 * array of matches and the answer.
 *
 * Ordering rules shared by both queries: strings compare by UTF-16 code units (deterministic, no
 * locale), channel names in natural order (`sim-2` before `sim-10`, shared/natural-order.ts, as the
 * console lists them); ties always break on the unique key (client id, channel name) ascending,
 * whatever the direction, so paging through equal values never repeats or skips a row.
 */
import type { AdminParams, AdminResults } from '../../shared/admin/admin-api.js';
import type { ChannelRow, ConnectionRow } from '../../shared/admin/admin-model.js';
import { compareNatural } from '../../shared/natural-order.js';
import { assertNever } from '../../shared/result.js';
import type { SessionRecord } from './registry.js';

type ConnectionParams = AdminParams<'connections.query'>;
type ConnectionSortKey = ConnectionParams['sort']['by'];
type ChannelParams = AdminParams<'channels.query'>;
type ChannelSortKey = ChannelParams['sort']['by'];

/**
 * Filters, sorts and pages sessions for `connections.query`. Filters combine with AND:
 * `user` and `node` exact; `client` a prefix (an exact id is its own prefix); `channel` subscribed
 * to; `remote` a substring; `connectedAfter` inclusive and `connectedBefore` exclusive (ms), so
 * adjacent windows tile; `text` a case-insensitive substring of user, client, remote or node.
 * `total` counts every match, not only the page.
 */
export function queryConnections(
  sessions: Iterable<SessionRecord>,
  p: ConnectionParams,
): AdminResults['connections.query'] {
  const match = connectionFilter(p.filter);
  const matches: SessionRecord[] = [];
  for (const s of sessions) if (match(s)) matches.push(s);
  const sign = p.sort.dir === 'desc' ? -1 : 1;
  const key = p.sort.by;
  matches.sort((a, b) => sign * compareConnections(key, a, b, sessionSubscriptions) || compareStrings(a.client, b.client));
  const items = matches.slice(p.offset, p.offset + p.limit).map(toConnectionRow);
  return { total: matches.length, offset: p.offset, items };
}

/** Sorts rows (several supervisors' pages merged) in place by the same rules as {@link queryConnections}. */
export function sortConnectionRows(rows: ConnectionRow[], sort: ConnectionParams['sort']): ConnectionRow[] {
  const sign = sort.dir === 'desc' ? -1 : 1;
  return rows.sort((a, b) => sign * compareConnections(sort.by, a, b, rowSubscriptions) || compareStrings(a.client, b.client));
}

/** What both a session and a row can be sorted by. */
type Sortable = Pick<ConnectionRow, 'client' | 'user' | 'node' | 'remote' | 'connectedAt'>;
const sessionSubscriptions = (s: SessionRecord): number => s.channels.size;
const rowSubscriptions = (r: ConnectionRow): number => r.subscriptions;

/**
 * Filters, sorts and pages channel rows for `channels.query`: `prefix` of the name, `namespace`
 * exact, `text` a case-insensitive substring of the name; sorted by subscribers, rate
 * (publicationsPerSec) or name. The rows are returned as given (not copied).
 */
export function queryChannels(rows: readonly ChannelRow[], p: ChannelParams): AdminResults['channels.query'] {
  const { prefix, namespace, text } = p.filter;
  const textRe = text === undefined ? null : caseInsensitive(text);
  const matches: ChannelRow[] = [];
  for (const r of rows) {
    if (prefix !== undefined && !r.channel.startsWith(prefix)) continue;
    if (namespace !== undefined && r.namespace !== namespace) continue;
    if (textRe !== null && !textRe.test(r.channel)) continue;
    matches.push(r);
  }
  const sign = p.sort.dir === 'desc' ? -1 : 1;
  const key = p.sort.by;
  matches.sort((a, b) => sign * compareChannels(key, a, b) || compareNatural(a.channel, b.channel));
  return { total: matches.length, offset: p.offset, items: matches.slice(p.offset, p.offset + p.limit) };
}

/** Builds the predicate once per query; absent filters cost nothing per row. */
function connectionFilter(f: ConnectionParams['filter']): (s: SessionRecord) => boolean {
  const { user, client, channel, node, remote, connectedAfter, connectedBefore, text } = f;
  const textRe = text === undefined ? null : caseInsensitive(text);
  return (s) => {
    if (user !== undefined && s.user !== user) return false;
    if (node !== undefined && s.node !== node) return false;
    if (client !== undefined && !s.client.startsWith(client)) return false;
    if (remote !== undefined && !s.remote.includes(remote)) return false;
    if (connectedAfter !== undefined && s.connectedAt < connectedAfter) return false;
    if (connectedBefore !== undefined && s.connectedAt >= connectedBefore) return false;
    if (channel !== undefined && !s.channels.has(channel)) return false;
    if (textRe === null) return true;
    return textRe.test(s.user) || textRe.test(s.client) || textRe.test(s.remote) || textRe.test(s.node);
  };
}

function compareConnections<T extends Sortable>(key: ConnectionSortKey, a: T, b: T, subscriptions: (t: T) => number): number {
  switch (key) {
    case 'connectedAt': return a.connectedAt - b.connectedAt;
    case 'subscriptions': return subscriptions(a) - subscriptions(b);
    case 'user': return compareStrings(a.user, b.user);
    case 'client': return compareStrings(a.client, b.client);
    case 'node': return compareStrings(a.node, b.node);
    case 'remote': return compareStrings(a.remote, b.remote);
    default: return assertNever(key);
  }
}

function compareChannels(key: ChannelSortKey, a: ChannelRow, b: ChannelRow): number {
  switch (key) {
    case 'subscribers': return a.subscribers - b.subscribers;
    case 'rate': return a.publicationsPerSec - b.publicationsPerSec;
    case 'name': return compareNatural(a.channel, b.channel);
    default: return assertNever(key);
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A regex test matches without lower-casing (and so allocating) every field of every row. */
function caseInsensitive(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}

/** The row of a session as the admin API lists it. */
export function toConnectionRow(s: SessionRecord): ConnectionRow {
  return {
    client: s.client,
    user: s.user,
    node: s.node,
    remote: s.remote,
    connectedAt: s.connectedAt,
    subscriptions: s.channels.size,
    name: s.name,
    version: s.version,
  };
}
