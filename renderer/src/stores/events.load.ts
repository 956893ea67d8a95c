/** "Load earlier" in the Events view: the page before the oldest event held, from the supervisor's ring. */
import { request } from '../bridge/bridge.js';
import { addEarlier, earlierRequest, setLoadingEarlier } from './events.reducers.js';
import { useEvents } from './events.store.js';
import { useSession } from './session.store.js';

export async function loadEarlierEvents(): Promise<void> {
  const state = useEvents.getState();
  const ask = earlierRequest(state);
  if (ask === null || state.loadingEarlier) return;
  useEvents.setState((s) => setLoadingEarlier(s, true));
  try {
    const { events } = await request('events.since', ask);
    useEvents.setState((s) => addEarlier(s, events, ask.seq));
  } catch (e) {
    useEvents.setState((s) => setLoadingEarlier(s, false));
    useSession.getState().toast('error', `Earlier events could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
  }
}
