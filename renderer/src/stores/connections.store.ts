/**
 * The connections table: the query (filters, sort), the loaded pages of the server's answer, the
 * selection and the open detail. The state changes are the pure reducers of the sibling file; the
 * actions here ask the admin API through the bridge and feed the answers back in.
 */
import { create } from 'zustand';
import type { KickTarget } from '../../../shared/admin/admin-model.js';
import { AdminCallError } from '../bridge/admin-link.js';
import { call, request } from '../bridge/bridge.js';
import type { ConnectionFilter, ConnectionsState, SortKey } from './connections.reducers.js';
import {
  closeDetail, detailFailed, emptyFilter, forgetInflight, initialConnections, markRequested, moveSelection, openDetail,
  pageFailed, pagesToFetch, queryParams, receiveDetail, receivePage, select, setFilter, setWindow, toggleSort,
} from './connections.reducers.js';
import { useSession } from './session.store.js';

interface ConnectionsStore extends ConnectionsState {
  setFilter(patch: Partial<ConnectionFilter>): void;
  resetFilter(): void;
  toggleSort(by: SortKey): void;
  /** The table reports the rows in view; missing or stale pages among them are fetched. */
  setWindow(first: number, last: number): void;
  /** Asks again for every page in view (the periodic refresh, and after an action). */
  refresh(): void;
  /** The link dropped: nothing in flight will be answered. */
  linkLost(): void;
  select(index: number): void;
  moveSelection(delta: number): void;
  openDetail(client: string): void;
  closeDetail(): void;
  refreshDetail(): void;
  kick(target: Extract<KickTarget, { client: string } | { user: string }>, reconnect: boolean, reason: string): Promise<void>;
  unsubscribe(client: string, channel: string): Promise<void>;
}

export const useConnections = create<ConnectionsStore>()((set, get) => ({
  ...initialConnections(),
  setFilter: (patch) => {
    set((s) => setFilter(s, patch));
    fetchPages(false);
  },
  resetFilter: () => {
    set((s) => setFilter(s, emptyFilter()));
    fetchPages(false);
  },
  toggleSort: (by) => {
    set((s) => toggleSort(s, by));
    fetchPages(false);
  },
  setWindow: (first, last) => {
    set((s) => setWindow(s, first, last));
    fetchPages(false);
  },
  refresh: () => fetchPages(true),
  linkLost: () => set(forgetInflight),
  select: (index) => set((s) => select(s, index)),
  moveSelection: (delta) => set((s) => moveSelection(s, delta)),
  openDetail: (client) => {
    if (get().open === client) return;
    set((s) => openDetail(s, client));
    void fetchDetail(client);
  },
  closeDetail: () => set(closeDetail),
  refreshDetail: () => {
    const client = get().open;
    if (client && !get().detailGone) void fetchDetail(client);
  },
  kick: async (target, reconnect, reason) => {
    const r = reason.trim();
    const done = await call('session.kick', {
      target, reconnect, code: reconnect ? 3011 : 3503, ...(r ? { reason: r } : {}),
    }, (res) => `Kicked ${'client' in target ? `connection ${target.client}` : `${res.kicked} connection${res.kicked === 1 ? '' : 's'} of ${target.user || 'the anonymous user'}`}${reconnect ? ' · it may reconnect' : ' · it stays disconnected'}`,
    'connections there may not have been kicked');
    if (!done) return;
    const s = get();
    if (s.open && ('client' in target ? target.client === s.open : target.user === s.detail?.user)) set(closeDetail);
    fetchPages(true);
  },
  unsubscribe: async (client, channel) => {
    const done = await call('session.unsubscribe', { client, channel }, () => `Unsubscribed ${client} from ${channel}`,
      'if the connection is there, it may still be subscribed');
    if (done) void fetchDetail(client);
  },
}));

const connected = (): boolean => useSession.getState().link === 'connected';

/** Fetches the pages of the window that are missing or stale (`force`: every one not in flight). */
function fetchPages(force: boolean): void {
  if (!connected()) return;
  const s = useConnections.getState();
  const offsets = pagesToFetch(s, s.window.first, s.window.last, Date.now(), force ? 0 : undefined);
  if (offsets.length === 0) return;
  useConnections.setState((st) => markRequested(st, offsets));
  const generation = s.generation;
  for (const offset of offsets) {
    request('connections.query', queryParams(s, offset)).then(
      (result) => useConnections.setState((st) => receivePage(st, generation, result, Date.now())),
      (e: unknown) => useConnections.setState((st) => pageFailed(st, generation, offset, e instanceof Error ? e.message : String(e))),
    );
  }
}

async function fetchDetail(client: string): Promise<void> {
  if (!connected()) return;
  try {
    const detail = await request('connection.get', { client });
    useConnections.setState((s) => receiveDetail(s, detail));
  } catch (e) {
    const gone = e instanceof AdminCallError && e.code === 404;
    useConnections.setState((s) => detailFailed(s, client, e instanceof Error ? e.message : String(e), gone));
  }
}
