/**
 * Pure state changes of the connections store (tested without React).
 *
 * The table is server-paged: rows live in pages of PAGE_SIZE keyed by their offset, fetched as the
 * user scrolls. Every change of filter or sort starts a new query generation and drops the pages;
 * an answer carries the generation it was asked under, and one for an older query is ignored, so
 * a slow reply can never paint rows of a filter the user has already left.
 */
import type { AdminParamsInput } from '../../../shared/admin/admin-api.js';
import type { ConnectionDetail, ConnectionRow } from '../../../shared/admin/admin-model.js';

export const PAGE_SIZE = 200;
/** Pages kept at most; the ones farthest from the newest answer go first. */
export const MAX_PAGES = 12;
/** A page older than this is asked again when it is in view. */
export const PAGE_MAX_AGE_MS = 2000;

export const SORT_KEYS = ['connectedAt', 'user', 'client', 'node', 'remote', 'subscriptions'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export interface ConnectionFilter {
  /** Case-insensitive substring of user, client id, address or node. */
  text: string;
  /** Exact user id. */
  user: string;
  /** Client id prefix. */
  client: string;
  /** Subscribed to this channel. */
  channel: string;
  /** Exact node id. */
  node: string;
  /** Substring of the remote address. */
  remote: string;
}

export interface Page {
  items: ConnectionRow[];
  /** When the answer arrived (ms). */
  at: number;
}

export interface ConnectionsState {
  filter: ConnectionFilter;
  sort: { by: SortKey; dir: SortDir };
  /** Bumped by every change of filter or sort; answers of older generations are dropped. */
  generation: number;
  /** Loaded pages by offset (a multiple of PAGE_SIZE). */
  pages: Record<number, Page>;
  /** Offsets asked for in this generation and not answered yet. */
  inflight: Record<number, true>;
  /** Rows matching the query, as the latest answer said. */
  total: number;
  /** Whether `total` answers the current generation (false until its first page arrives). */
  settled: boolean;
  /** The last query error, cleared by the next answer. */
  error: string | null;
  /** Supervisors that did not answer the latest page's survey: their connections are missing from it. */
  unanswered: string[];
  /** The rows in view (+ overscan), as the table last reported them. */
  window: { first: number; last: number };
  /** Keyboard / click selection: the row index and, once known, its client id. */
  selected: { index: number; client: string | null } | null;
  /** The connection whose drawer is open. */
  open: string | null;
  detail: ConnectionDetail | null;
  /** Why the open connection's detail could not be read. */
  detailError: string | null;
  /** The server no longer knows the open connection: it has disconnected. */
  detailGone: boolean;
}

export const emptyFilter = (): ConnectionFilter => ({ text: '', user: '', client: '', channel: '', node: '', remote: '' });

export const initialConnections = (): ConnectionsState => ({
  filter: emptyFilter(),
  sort: { by: 'connectedAt', dir: 'desc' },
  generation: 1,
  pages: {},
  inflight: {},
  total: 0,
  settled: false,
  error: null,
  unanswered: [],
  window: { first: 0, last: 60 },
  selected: null,
  open: null,
  detail: null,
  detailError: null,
  detailGone: false,
});

export const filterActive = (f: ConnectionFilter): boolean => Object.values(f).some((v) => v.trim() !== '');

const sameFilter = (a: ConnectionFilter, b: ConnectionFilter): boolean =>
  a.text === b.text && a.user === b.user && a.client === b.client && a.channel === b.channel && a.node === b.node && a.remote === b.remote;

/** A new query: pages, pending answers and the selection belong to the old one. */
function newQuery(state: ConnectionsState, change: Partial<ConnectionsState>): ConnectionsState {
  return { ...state, ...change, generation: state.generation + 1, pages: {}, inflight: {}, settled: false, selected: null, error: null };
}

/** Filter changed → a new generation with no pages (same filter: nothing changes). */
export function setFilter(state: ConnectionsState, patch: Partial<ConnectionFilter>): ConnectionsState {
  const filter = { ...state.filter, ...patch };
  if (sameFilter(filter, state.filter)) return state;
  return newQuery(state, { filter });
}

/** Clicking a column: a new key sorts ascending (time: newest first); the same key flips direction. */
export function toggleSort(state: ConnectionsState, by: SortKey): ConnectionsState {
  const dir: SortDir = state.sort.by === by ? (state.sort.dir === 'asc' ? 'desc' : 'asc') : by === 'connectedAt' ? 'desc' : 'asc';
  return newQuery(state, { sort: { by, dir } });
}

/** The params of `connections.query` for one page of the current query (empty filters left out). */
export function queryParams(state: ConnectionsState, offset: number): AdminParamsInput<'connections.query'> {
  const filter: Record<string, string> = {};
  for (const [k, v] of Object.entries(state.filter)) {
    const t = v.trim();
    if (t !== '') filter[k] = t;
  }
  return { filter, sort: state.sort, offset, limit: PAGE_SIZE };
}

export const pageOf = (index: number): number => Math.floor(index / PAGE_SIZE) * PAGE_SIZE;

/** Offsets of the pages covering rows first..last (inclusive), bounded by the known total once settled. */
export function pagesCovering(state: ConnectionsState, first: number, last: number): number[] {
  const lastRow = state.settled ? Math.min(last, state.total - 1) : last;
  const out: number[] = [];
  for (let o = pageOf(Math.max(0, first)); o <= lastRow; o += PAGE_SIZE) out.push(o);
  if (out.length === 0) out.push(0); // the first page always, to learn the total
  return out;
}

/** The pages of the window to ask for: missing or older than maxAge, and not already asked for. */
export function pagesToFetch(state: ConnectionsState, first: number, last: number, now: number, maxAgeMs = PAGE_MAX_AGE_MS): number[] {
  return pagesCovering(state, first, last).filter((o) => {
    if (state.inflight[o]) return false;
    const p = state.pages[o];
    return !p || now - p.at >= maxAgeMs;
  });
}

export function markRequested(state: ConnectionsState, offsets: number[]): ConnectionsState {
  if (offsets.length === 0) return state;
  const inflight = { ...state.inflight };
  for (const o of offsets) inflight[o] = true;
  return { ...state, inflight };
}

/**
 * Page arrived → merged, the total updated. An answer of an older generation is ignored (the same
 * state comes back). Pages past the new end are dropped, and at most MAX_PAGES are kept, the ones
 * farthest from this page going first.
 */
export function receivePage(
  state: ConnectionsState, generation: number, result: { total: number; offset: number; items: ConnectionRow[]; unanswered?: string[] }, now: number,
): ConnectionsState {
  if (generation !== state.generation) return state;
  const { [result.offset]: _done, ...inflight } = state.inflight;
  let pages: Record<number, Page> = { ...state.pages, [result.offset]: { items: result.items, at: now } };
  for (const key of Object.keys(pages)) {
    const o = Number(key);
    if (o > 0 && o >= result.total) delete pages[o];
  }
  const offsets = Object.keys(pages).map(Number);
  if (offsets.length > MAX_PAGES) {
    const keep = offsets.sort((a, b) => Math.abs(a - result.offset) - Math.abs(b - result.offset)).slice(0, MAX_PAGES);
    pages = Object.fromEntries(keep.map((o) => [o, pages[o]!]));
  }
  const selected = state.selected && state.selected.index >= result.total
    ? (result.total > 0 ? { index: result.total - 1, client: null } : null)
    : state.selected;
  const unanswered = sameList(state.unanswered, result.unanswered ?? []) ? state.unanswered : [...(result.unanswered ?? [])];
  return { ...state, pages, inflight, total: result.total, settled: true, error: null, unanswered, selected };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** A page request failed: no longer in flight (asked again on the next refresh), the error shown. */
export function pageFailed(state: ConnectionsState, generation: number, offset: number, message: string): ConnectionsState {
  if (generation !== state.generation) return state;
  const { [offset]: _done, ...inflight } = state.inflight;
  return { ...state, inflight, error: message };
}

/** The link went down: answers in flight will never come, so nothing is pending any more. */
export function forgetInflight(state: ConnectionsState): ConnectionsState {
  return Object.keys(state.inflight).length === 0 ? state : { ...state, inflight: {} };
}

export function setWindow(state: ConnectionsState, first: number, last: number): ConnectionsState {
  if (state.window.first === first && state.window.last === last) return state;
  return { ...state, window: { first, last } };
}

/** The row at an index, when its page is loaded. */
export function rowAt(state: Pick<ConnectionsState, 'pages'>, index: number): ConnectionRow | undefined {
  return state.pages[pageOf(index)]?.items[index - pageOf(index)];
}

/** The index of a client among the loaded rows, or -1. */
export function indexOf(state: Pick<ConnectionsState, 'pages'>, client: string): number {
  for (const [key, page] of Object.entries(state.pages)) {
    const i = page.items.findIndex((r) => r.client === client);
    if (i >= 0) return Number(key) + i;
  }
  return -1;
}

export function select(state: ConnectionsState, index: number): ConnectionsState {
  const row = rowAt(state, index);
  return { ...state, selected: { index, client: row?.client ?? null } };
}

/**
 * ↑/↓: the selection moves by `delta` rows, clamped to the table. It follows its client when a
 * refresh has moved it; a row whose page is not loaded yet is selected by index.
 */
export function moveSelection(state: ConnectionsState, delta: number): ConnectionsState {
  if (state.total === 0) return state;
  let from = -1;
  if (state.selected) {
    const found = state.selected.client ? indexOf(state, state.selected.client) : -1;
    from = found >= 0 ? found : state.selected.index;
  }
  const index = from < 0 ? (delta > 0 ? 0 : state.total - 1) : Math.max(0, Math.min(state.total - 1, from + delta));
  return select(state, index);
}

/** The selected row's client id: by id once known, else whatever is loaded at its index. */
export function selectedClient(state: ConnectionsState): string | null {
  if (!state.selected) return null;
  return state.selected.client ?? rowAt(state, state.selected.index)?.client ?? null;
}

export function openDetail(state: ConnectionsState, client: string): ConnectionsState {
  if (state.open === client) return state;
  return { ...state, open: client, detail: null, detailError: null, detailGone: false };
}

export function closeDetail(state: ConnectionsState): ConnectionsState {
  if (state.open === null) return state;
  return { ...state, open: null, detail: null, detailError: null, detailGone: false };
}

/** A detail arrived: kept only if its drawer is still the open one. */
export function receiveDetail(state: ConnectionsState, detail: ConnectionDetail): ConnectionsState {
  if (state.open !== detail.client) return state;
  return { ...state, detail, detailError: null, detailGone: false };
}

/** The detail could not be read (`gone`: the connection has disconnected); the last known detail stays. */
export function detailFailed(state: ConnectionsState, client: string, message: string, gone: boolean): ConnectionsState {
  if (state.open !== client) return state;
  return { ...state, detailError: message, detailGone: gone };
}
