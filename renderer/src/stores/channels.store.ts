/**
 * The channels domain: the server-paged channel list and the open channel. The open channel's live
 * activity comes from the activity store (the bridge fills it from `channel.activity` pushes); this
 * module follows it outside React and folds each new item into the detail with the pure reducers.
 */
import { create } from 'zustand';
import type { ChannelListState, ChannelQuery, ChannelSort, DetailState } from './channels.reducers.js';
import {
  HISTORY_PAGE, beginSnapshot, changeQuery, detailFailed, initialList, listFailed, newActivity, oldestOffset, openDetail,
  queryParams, receiveActivity, receiveDetail, receiveList, receiveOlder, sortBy,
} from './channels.reducers.js';
import { useActivity } from './activity.store.js';
import { call, request } from '../bridge/bridge.js';
import type { Json } from '../../../shared/protocol/client-protocol.js';

interface ChannelsStore {
  list: ChannelListState;
  open: DetailState | null;
  /** A request for an older history page is in flight. */
  loadingOlder: boolean;
}

export const useChannels = create<ChannelsStore>()(() => ({ list: initialList(), open: null, loadingOlder: false }));

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

// --- the list --------------------------------------------------------------------------------

let listInFlight = false;

export function setChannelQuery(patch: Partial<ChannelQuery>): void {
  useChannels.setState((s) => ({ list: changeQuery(s.list, patch) }));
  void refreshList(true);
}

export function sortChannels(by: ChannelSort): void {
  useChannels.setState((s) => ({ list: sortBy(s.list, by) }));
  void refreshList(true);
}

/** Asks for the current page; a periodic refresh is skipped while one is still on its way. */
export async function refreshList(force = false): Promise<void> {
  if (listInFlight && !force) return;
  listInFlight = true;
  const asked = useChannels.getState().list.query;
  try {
    const page = await request('channels.query', queryParams(asked));
    useChannels.setState((s) => ({ list: receiveList(s.list, asked, page) }));
  } catch (e) {
    useChannels.setState((s) => ({ list: listFailed(s.list, asked, errorText(e)) }));
  } finally {
    listInFlight = false;
  }
}

// --- the open channel ------------------------------------------------------------------------

/** Opens a channel's detail (watching starts from the view, see `watchChannel`). */
export function selectChannel(channel: string | null): void {
  const current = useChannels.getState().open;
  if (current?.channel === channel) return;
  useChannels.setState({ open: channel === null ? null : openDetail(channel), loadingOlder: false });
}

/**
 * Watches the open channel while the view shows it: `channel.watch` first, then the detail, so no
 * join or leave falls between the snapshot and the pushes. Returns the matching unwatch.
 */
export function watchChannel(channel: string): () => void {
  let live = true;
  void (async () => {
    try {
      await request('channel.watch', { channel });
    } catch (e) {
      if (live) useChannels.setState((s) => (s.open ? { open: detailFailed(s.open, channel, errorText(e)) } : {}));
      return;
    }
    if (live) await refreshDetail(true);
  })();
  return () => {
    live = false;
    request('channel.unwatch', { channel }).catch(() => undefined);
    useActivity.getState().clear(channel);
  };
}

let detailInFlight = 0;

/** Fresh counts and presence (and the newest history page with `withHistory`). */
export async function refreshDetail(withHistory = false): Promise<void> {
  const open = useChannels.getState().open;
  if (!open || (detailInFlight > 0 && !withHistory)) return;
  const channel = open.channel;
  detailInFlight++;
  useChannels.setState((s) => (s.open?.channel === channel ? { open: beginSnapshot(s.open) } : {}));
  try {
    const detail = await request('channel.get', { channel, historyLimit: withHistory ? HISTORY_PAGE : 0 });
    useChannels.setState((s) => (s.open ? { open: receiveDetail(s.open, detail, withHistory || !s.open.historyLoaded) } : {}));
  } catch (e) {
    useChannels.setState((s) => (s.open ? { open: detailFailed(s.open, channel, errorText(e)) } : {}));
  } finally {
    detailInFlight--;
  }
}

export async function loadOlderHistory(): Promise<void> {
  const { open, loadingOlder } = useChannels.getState();
  if (!open || loadingOlder) return;
  const before = oldestOffset(open);
  if (before === undefined || before <= 1) return;
  useChannels.setState({ loadingOlder: true });
  try {
    const detail = await request('channel.get', { channel: open.channel, historyLimit: HISTORY_PAGE, historyBefore: before });
    useChannels.setState((s) => (s.open ? { open: receiveOlder(s.open, open.channel, detail.history?.publications ?? []) } : {}));
  } catch (e) {
    useChannels.setState((s) => (s.open ? { open: detailFailed(s.open, open.channel, errorText(e)) } : {}));
  } finally {
    useChannels.setState({ loadingOlder: false });
  }
}

// --- actions (each shows its outcome as a toast) ---------------------------------------------

export async function publishTo(channel: string, data: Json): Promise<boolean> {
  const r = await call('channel.publish', { channel, data }, (res) =>
    res.offset !== undefined ? `Published to ${channel} at offset ${res.offset.toLocaleString('en-US')}` : `Published to ${channel}`);
  return r !== null;
}

export async function removeHistory(channel: string): Promise<void> {
  const r = await call('history.remove', { channel }, () => `History of ${channel} removed`);
  if (r !== null) await refreshDetail(true);
}

export async function kickSubscribers(channel: string, opts: { reconnect: boolean; reason: string }): Promise<void> {
  const reason = opts.reason.trim();
  await call('session.kick', { target: { channel }, reconnect: opts.reconnect, ...(reason !== '' ? { reason } : {}) }, (r) =>
    `Kicked ${r.kicked.toLocaleString('en-US')} ${r.kicked === 1 ? 'connection' : 'connections'} from ${channel}${opts.reconnect ? ' · they may reconnect' : ' · they stay disconnected'}`,
  'subscribers there may not have been kicked');
  void refreshDetail();
  void refreshList(true);
}

// --- live activity: followed outside React ---------------------------------------------------

useActivity.subscribe((after, before) => {
  const open = useChannels.getState().open;
  if (!open) return;
  const items = newActivity(before.byChannel[open.channel], after.byChannel[open.channel]);
  if (items.length === 0) return;
  const now = Date.now();
  useChannels.setState((s) => (s.open?.channel === open.channel ? { open: receiveActivity(s.open, items, now) } : {}));
});
