/**
 * Desktop notifications when a node goes down ("node-2 is down"), read from the events store. Only
 * news: events the server had logged before it greeted this console (its hello's lastEventSeq) are
 * the history replayed on (re)connect, not something that just happened. In a browser it does
 * nothing (there is no desktop host to notify through).
 */
import type { AdminEvent } from '../../../shared/admin/admin-model.js';
import { useEvents } from '../stores/events.store.js';
import { useSession } from '../stores/session.store.js';
import { desktopHost, notify } from './desktop-host.js';

export interface Notice {
  title: string;
  body: string;
}

type NodeDown = Extract<AdminEvent, { type: 'node.down' }>;

/** The notices for node.down events after `afterSeq` that are not history (seq above `historyUpTo`). */
export function nodeDownNotices(events: readonly AdminEvent[], afterSeq: number, historyUpTo: number): Notice[] {
  return events
    .filter((e): e is NodeDown => e.type === 'node.down' && e.seq > afterSeq && e.seq > historyUpTo)
    .map((e) => ({
      title: `${e.node} is down`,
      body: e.signal !== null ? `Its process was ended by ${e.signal}.` : `Its process exited with code ${e.code ?? 'unknown'}.`,
    }));
}

/** Subscribes to the events store; answers the unsubscribe. */
export function startNodeNotices(): () => void {
  if (desktopHost() === null) return () => undefined;
  let seen = useEvents.getState().lastSeq;
  return useEvents.subscribe((state) => {
    // A supervisor started anew: its log counts from 1 again (the events store dropped the old one).
    if (state.lastSeq < seen) seen = 0;
    if (state.lastSeq <= seen) return;
    // No hello yet: nothing can be told apart from history, so nothing is news.
    const historyUpTo = useSession.getState().hello?.lastEventSeq ?? Number.MAX_SAFE_INTEGER;
    for (const notice of nodeDownNotices([...state.events, ...state.held], seen, historyUpTo)) notify(notice.title, notice.body);
    seen = state.lastSeq;
  });
}
