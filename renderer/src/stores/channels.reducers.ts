/**
 * Pure state changes of the channels store (tested without React): the server-paged channel list,
 * and the open channel — its counts, presence members kept live from join/leave pushes, who is
 * typing, the live publications and the history pages.
 */
import type { ChannelActivity, ChannelDetail, ChannelRow, PresenceMember } from '../../../shared/admin/admin-model.js';
import type { ClientInfo, Json, Publication } from '../../../shared/protocol/client-protocol.js';

export const LIST_PAGE = 100;
export const HISTORY_PAGE = 50;
export const FEED_KEPT = 50;
export const PRESENCE_LOG_KEPT = 30;
/** History rows kept in the detail (live ones added on top push the oldest out). */
export const HISTORY_KEPT = 500;
/** A typing signal shows for this long after the user's last one. */
export const TYPING_MS = 3000;

export type ChannelSort = 'subscribers' | 'rate' | 'name';

export interface ChannelQuery {
  text: string;
  /** `text` is a prefix of the name (instead of a substring anywhere). */
  prefix: boolean;
  /** '' = any namespace; NO_NAMESPACE = channels without one. */
  namespace: string;
  sortBy: ChannelSort;
  sortDir: 'asc' | 'desc';
  offset: number;
}

export interface ChannelListState {
  query: ChannelQuery;
  rows: ChannelRow[];
  total: number;
  loaded: boolean;
  error: string | null;
  /** Supervisors that did not answer the latest query: their subscribers are missing from it. */
  unanswered: string[];
}

export const NO_NAMESPACE = '(none)';

export const initialQuery = (): ChannelQuery => ({ text: '', prefix: false, namespace: '', sortBy: 'subscribers', sortDir: 'desc', offset: 0 });
export const initialList = (): ChannelListState => ({ query: initialQuery(), rows: [], total: 0, loaded: false, error: null, unanswered: [] });

/** The params of `channels.query` for a query (empty filters left out). */
export function queryParams(q: ChannelQuery) {
  const text = q.text.trim();
  const filter: { text?: string; prefix?: string; namespace?: string } = {};
  if (text !== '') {
    if (q.prefix) filter.prefix = text;
    else filter.text = text;
  }
  if (q.namespace !== '') filter.namespace = q.namespace === NO_NAMESPACE ? '' : q.namespace;
  return { filter, sort: { by: q.sortBy, dir: q.sortDir }, offset: q.offset, limit: LIST_PAGE };
}

/** A new filter or sort starts from the first page; paging keeps the rest. */
export function changeQuery(state: ChannelListState, patch: Partial<ChannelQuery>): ChannelListState {
  const resets = Object.keys(patch).some((k) => k !== 'offset');
  const query = { ...state.query, ...patch, ...(resets && patch.offset === undefined ? { offset: 0 } : {}) };
  return { ...state, query };
}

/** Clicking a column: the same column flips direction; another one starts with its natural order. */
export function sortBy(state: ChannelListState, by: ChannelSort): ChannelListState {
  const dir = state.query.sortBy === by ? (state.query.sortDir === 'asc' ? 'desc' : 'asc') : by === 'name' ? 'asc' : 'desc';
  return changeQuery(state, { sortBy: by, sortDir: dir });
}

const sameQuery = (a: ChannelQuery, b: ChannelQuery): boolean =>
  a.text === b.text && a.prefix === b.prefix && a.namespace === b.namespace && a.sortBy === b.sortBy && a.sortDir === b.sortDir && a.offset === b.offset;

/** A page answered for `asked`; dropped when the query changed meanwhile. */
export function receiveList(
  state: ChannelListState, asked: ChannelQuery, page: { total: number; items: ChannelRow[]; unanswered?: string[] },
): ChannelListState {
  if (!sameQuery(asked, state.query)) return state;
  // A page past the end (channels went away): go back to the last page on the next refresh.
  if (page.items.length === 0 && page.total > 0 && asked.offset > 0) {
    return { ...state, query: { ...state.query, offset: Math.floor((page.total - 1) / LIST_PAGE) * LIST_PAGE }, error: null };
  }
  return { ...state, rows: page.items, total: page.total, loaded: true, error: null, unanswered: page.unanswered ?? [] };
}

export function listFailed(state: ChannelListState, asked: ChannelQuery, error: string): ChannelListState {
  if (!sameQuery(asked, state.query)) return state;
  return { ...state, error };
}

// ---------------------------------------------------------------------------------------------
// The open channel

export interface Member extends PresenceMember {
  /** Local time the console saw this member join live (absent: already there when opened). */
  joinedAt?: number;
}

export interface TypingEntry {
  /** User id, or the client id for anonymous publishers. */
  who: string;
  user: string;
  client: string;
  lastAt: number;
}

export interface FeedItem {
  key: number;
  at: number;
  data: Json;
  info?: ClientInfo;
  offset?: number;
}

export interface PresenceLogItem {
  key: number;
  kind: 'join' | 'leave';
  info: ClientInfo;
  at: number;
}

export interface HistoryItem extends Publication {
  /** Local time it arrived live, for publications seen as they happened. */
  liveAt?: number;
}

export interface DetailState {
  channel: string;
  /**
   * The latest counts and flags; null until the first `channel.get` answers. Its `unanswered` names
   * supervisors whose subscribers and presence are missing from it.
   */
  detail: ChannelDetail & { unanswered?: string[] } | null;
  error: string | null;
  /** Sorted by user, then client. */
  members: Member[];
  /** Presence snapshots on their way: joins/leaves seen meanwhile are replayed on top of each. */
  pendingSnapshots: number;
  buffered: ChannelActivity[];
  typing: TypingEntry[];
  /** Live publications, newest first. */
  feed: FeedItem[];
  presenceLog: PresenceLogItem[];
  /** Publications seen live since the channel was opened. */
  pubCount: number;
  /** History, newest first; live publications with offsets are added on top. */
  history: HistoryItem[];
  historyLoaded: boolean;
  historyHasMore: boolean;
  nextKey: number;
}

export function openDetail(channel: string): DetailState {
  return {
    channel, detail: null, error: null, members: [], pendingSnapshots: 0, buffered: [], typing: [], feed: [], presenceLog: [], pubCount: 0,
    history: [], historyLoaded: false, historyHasMore: false, nextKey: 1,
  };
}

/** A `channel.get` goes out: from now on, joins/leaves are kept to replay on its answer. */
export function beginSnapshot(d: DetailState): DetailState {
  return { ...d, pendingSnapshots: d.pendingSnapshots + 1, buffered: d.pendingSnapshots > 0 ? d.buffered : [] };
}

/** One snapshot fewer on its way; the replay buffer goes when none is left. */
function endSnapshot(d: DetailState): Pick<DetailState, 'pendingSnapshots' | 'buffered'> {
  const pendingSnapshots = Math.max(0, d.pendingSnapshots - 1);
  return { pendingSnapshots, buffered: pendingSnapshots > 0 ? d.buffered : [] };
}

const byUserThenClient = (a: Member, b: Member): number =>
  a.user < b.user ? -1 : a.user > b.user ? 1 : a.client < b.client ? -1 : a.client > b.client ? 1 : 0;

/**
 * The answer of `channel.get`. Presence is replaced by the snapshot, then the joins/leaves seen since
 * the request went out are replayed (each sets a member's state, so the last one wins). With
 * `withHistory`, the history list is replaced too (keeping live publications newer than its top).
 */
export function receiveDetail(d: DetailState, detail: ChannelDetail & { unanswered?: string[] }, withHistory: boolean): DetailState {
  if (detail.channel !== d.channel) return d;
  const previous = new Map(d.members.map((m) => [m.client, m]));
  const map = new Map<string, Member>();
  for (const p of detail.presence) {
    const before = previous.get(p.client);
    map.set(p.client, before?.joinedAt !== undefined ? { ...p, joinedAt: before.joinedAt } : p);
  }
  for (const item of d.buffered) applyPresence(map, item, previous);
  let next: DetailState = { ...d, detail, error: null, members: sortMembers(map), ...endSnapshot(d) };
  if (withHistory) {
    const pubs: HistoryItem[] = detail.history?.publications ?? [];
    const top = detail.history?.offset ?? 0;
    const newer = d.history.filter((h) => h.offset !== undefined && h.offset > top);
    next = {
      ...next,
      history: mergeHistory(newer, pubs),
      historyLoaded: true,
      historyHasMore: pubs.length >= HISTORY_PAGE && (pubs[pubs.length - 1]?.offset ?? 0) > 1,
    };
  }
  return next;
}

export function detailFailed(d: DetailState, channel: string, error: string): DetailState {
  if (channel !== d.channel) return d;
  return { ...d, error, ...endSnapshot(d) };
}

/** An older history page (asked with historyBefore). */
export function receiveOlder(d: DetailState, channel: string, pubs: Publication[]): DetailState {
  if (channel !== d.channel) return d;
  return {
    ...d,
    history: mergeHistory(d.history, pubs),
    historyHasMore: pubs.length >= HISTORY_PAGE && (pubs[pubs.length - 1]?.offset ?? 0) > 1,
  };
}

/** The offset to ask older history before (the oldest one shown). */
export function oldestOffset(d: DetailState): number | undefined {
  for (let i = d.history.length - 1; i >= 0; i--) {
    const o = d.history[i]!.offset;
    if (o !== undefined) return o;
  }
  return undefined;
}

function keepHistory(history: HistoryItem[], hasMore: boolean): Pick<DetailState, 'history' | 'historyHasMore'> {
  if (history.length <= HISTORY_KEPT) return { history, historyHasMore: hasMore };
  return { history: history.slice(0, HISTORY_KEPT), historyHasMore: true };
}

/** Newest first, one entry per offset. */
function mergeHistory(a: HistoryItem[], b: HistoryItem[]): HistoryItem[] {
  const seen = new Map<number, HistoryItem>();
  const noOffset: HistoryItem[] = [];
  for (const p of [...a, ...b]) {
    if (p.offset === undefined) noOffset.push(p);
    else if (!seen.has(p.offset)) seen.set(p.offset, p);
  }
  return [...noOffset, ...[...seen.values()].sort((x, y) => y.offset! - x.offset!)];
}

function sortMembers(map: Map<string, Member>): Member[] {
  return [...map.values()].sort(byUserThenClient);
}

function applyPresence(map: Map<string, Member>, item: ChannelActivity, previous?: Map<string, Member>): void {
  if (item.kind === 'pub') return;
  if (item.kind === 'leave') {
    map.delete(item.info.client);
    return;
  }
  const had = map.get(item.info.client) ?? previous?.get(item.info.client);
  // A join names no node; keep the one a snapshot gave, or leave it blank until the next one.
  map.set(item.info.client, { ...had, ...item.info, node: had?.node ?? '', joinedAt: had?.joinedAt ?? item.at });
}

/**
 * Live activity of the open channel. `now` is the local time of arrival (typing indicators are timed
 * locally, so a skewed server clock cannot hide or stretch them).
 */
export function receiveActivity(d: DetailState, items: ChannelActivity[], now: number): DetailState {
  if (items.length === 0) return d;
  let key = d.nextKey;
  const map = new Map(d.members.map((m) => [m.client, m]));
  let presenceChanged = false;
  const log: PresenceLogItem[] = [];
  const feed: FeedItem[] = [];
  const live: HistoryItem[] = [];
  const typing = new Map(d.typing.filter((t) => now - t.lastAt < TYPING_MS).map((t) => [t.who, t]));
  for (const item of items) {
    if (item.kind === 'pub') {
      feed.push({ key: key++, at: now, data: item.data, ...(item.info ? { info: item.info } : {}), ...(item.offset !== undefined ? { offset: item.offset } : {}) });
      if (item.offset !== undefined) live.push({ data: item.data, offset: item.offset, liveAt: now, ...(item.info ? { info: item.info } : {}) });
      if (item.info) {
        const who = item.info.user !== '' ? item.info.user : item.info.client;
        typing.set(who, { who, user: item.info.user, client: item.info.client, lastAt: now });
      }
    } else {
      presenceChanged = true;
      applyPresence(map, { ...item, at: now });
      log.push({ key: key++, kind: item.kind, info: item.info, at: now });
    }
  }
  const joinsLeaves = items.filter((i) => i.kind !== 'pub');
  const top = live.reduce((m, p) => Math.max(m, p.offset ?? 0), 0);
  return {
    ...d,
    // The stream top moves with each live publication (the counts refresh only every few seconds).
    detail: d.detail && d.detail.offset !== undefined && top > d.detail.offset ? { ...d.detail, offset: top } : d.detail,
    nextKey: key,
    pubCount: d.pubCount + feed.length,
    members: presenceChanged ? sortMembers(map) : d.members,
    buffered: d.pendingSnapshots > 0 && joinsLeaves.length > 0 ? [...d.buffered, ...joinsLeaves.map((i) => ({ ...i, at: now }))] : d.buffered,
    presenceLog: log.length > 0 ? [...log.reverse(), ...d.presenceLog].slice(0, PRESENCE_LOG_KEPT) : d.presenceLog,
    feed: feed.length > 0 ? [...feed.reverse(), ...d.feed].slice(0, FEED_KEPT) : d.feed,
    ...(live.length > 0 && d.historyLoaded ? keepHistory(mergeHistory(live, d.history), d.historyHasMore) : {}),
    typing: [...typing.values()].sort((a, b) => a.lastAt - b.lastAt),
  };
}

/** Who is typing at `now`, longest-typing first. */
export function typingAt(typing: readonly TypingEntry[], now: number): TypingEntry[] {
  return typing.filter((t) => now - t.lastAt < TYPING_MS);
}

/** The items added to a channel's bounded activity list between two states of the activity store. */
export function newActivity(before: readonly ChannelActivity[] | undefined, after: readonly ChannelActivity[] | undefined): ChannelActivity[] {
  if (!after || after === before || after.length === 0) return [];
  if (!before || before.length === 0) return [...after];
  const last = before[before.length - 1];
  const at = after.lastIndexOf(last!);
  return at === -1 ? [...after] : after.slice(at + 1);
}
