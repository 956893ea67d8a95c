/**
 * Started once from the entry: connects the admin link and writes every push into the stores with
 * `getState()` (STYLE.md §7). `call` is how actions reach the server; it reports success or the
 * server's error as a toast, so every action shows its outcome.
 */
import type { AdminMethod, AdminParamsInput, AdminResults } from '../../../shared/admin/admin-api.js';
import type { AdminHello } from '../../../shared/admin/admin-model.js';
import { reconcileLog } from '../stores/events.reducers.js';
import { useEvents } from '../stores/events.store.js';
import { useSession } from '../stores/session.store.js';
import { AdminCallError, AdminLink } from './admin-link.js';
import { findLinkTarget, rememberToken } from './link-target.js';
import { startNodeNotices } from './node-notices.js';
import { startAlertNotices } from './alert-notices.js';
import { routePush } from './push-router.js';
import { unansweredOf, unansweredText } from './survey.js';

let link: AdminLink | null = null;

export function startBridge(): () => void {
  link = new AdminLink(findLinkTarget(), {
    state: (state) => {
      useSession.getState().setLink(state);
      if (state === 'connected') void catchUpEvents(useSession.getState().hello);
    },
    push: routePush,
  });
  link.start();
  const stopNotices = startNodeNotices();
  const stopAlertNotices = startAlertNotices();
  return () => {
    link?.stop();
    stopNotices();
    stopAlertNotices();
  };
}

/**
 * After (re)connecting: the events the console has not seen yet (the first time, the latest 500).
 * A supervisor started anew counts its events from 1 again: what the console held is dropped first.
 */
async function catchUpEvents(previous: AdminHello | null): Promise<void> {
  try {
    const hello = await nextHello(previous);
    if (hello === null) return;
    useEvents.setState((s) => reconcileLog(s, hello));
    const last = useEvents.getState().lastSeq;
    const from = last > 0 ? last : Math.max(0, hello.lastEventSeq - 500);
    const { events } = await request('events.since', { seq: from, limit: 5000 });
    useEvents.getState().receive(events);
  } catch {
    // the live pushes go on; a missed replay shows as a gap in sequence numbers only
  }
}

/** The hello of this connection (not `previous`, the last one's); null if the link drops first. */
function nextHello(previous: AdminHello | null): Promise<AdminHello | null> {
  return new Promise((resolve) => {
    const settled = (s: ReturnType<typeof useSession.getState>): boolean => {
      if (s.hello !== null && s.hello !== previous) resolve(s.hello);
      else if (s.link !== 'connected') resolve(null);
      else return false;
      return true;
    };
    if (settled(useSession.getState())) return;
    const stop = useSession.subscribe((s) => {
      if (settled(s)) stop();
    });
  });
}

/** A request without feedback (queries). */
export function request<M extends AdminMethod>(method: M, params: AdminParamsInput<M>): Promise<AdminResults[M]> {
  if (!link) return Promise.reject(new AdminCallError(0, 'the console is not connected'));
  return link.request(method, params);
}

/**
 * An action: the result, with a toast saying it worked (`done`) or what the server answered. When
 * supervisors did not answer a cluster-wide action, the toast is a warning that names them and says
 * what that means (`missed`, said of "there": "connections there may not have been kicked"). A
 * caller without `done` shows the result, and so the warning, itself.
 */
export async function call<M extends AdminMethod>(
  method: M, params: AdminParamsInput<M>, done?: (result: AdminResults[M]) => string, missed = 'what they hold is left out',
): Promise<AdminResults[M] | null> {
  try {
    const result = await request(method, params);
    const warning = unansweredText(unansweredOf(result), missed);
    if (done) useSession.getState().toast(warning ? 'warn' : 'ok', warning ? `${done(result)}. ${warning}.` : done(result));
    return result;
  } catch (e) {
    useSession.getState().toast('error', e instanceof Error ? e.message : String(e));
    return null;
  }
}

/** The user pasted a token. */
export function applyToken(token: string): void {
  rememberToken(token);
  link?.useToken(token);
}
