/** Pure state changes of the events log. */
import type { AdminEvent } from '../../../shared/admin/admin-model.js';

export const EVENTS_KEPT = 5000;
/** Node, fault, admin and cluster events kept apart from client churn, so a flood of subscribes cannot push them out. */
export const NOTABLE_KEPT = 1000;
/** Most events one "Load earlier" asks the supervisor for. */
export const EARLIER_PAGE = 1000;

/** Client churn: connects, disconnects, subscribes and recoveries. Every other event is notable. */
const CLIENT_NOISE: ReadonlySet<string> = new Set(['client.connected', 'client.disconnected', 'client.subscribed', 'client.unsubscribed', 'subscription.recovered']);

/** True for the many per-client events (not a kick: that is an admin's action). */
export const isClientNoise = (e: AdminEvent): boolean => CLIENT_NOISE.has(e.type);

export interface EventsState {
  /** Oldest first, at most EVENTS_KEPT. */
  events: AdminEvent[];
  /** While paused, new events wait here and the list does not move. */
  paused: boolean;
  held: AdminEvent[];
  lastSeq: number;
  /** The notable events (not client churn), oldest first, at most NOTABLE_KEPT; kept while paused too. */
  notable: AdminEvent[];
  /** The supervisor keeps no event older than the oldest here (its ring has moved past them, or there are none). */
  startReached: boolean;
  /** A "Load earlier" request is under way. */
  loadingEarlier: boolean;
  /** When the event log these events come from started (the hello's `eventsStartedAt`); null before the first hello. */
  logStartedAt: number | null;
}

export const initialEvents = (): EventsState => ({
  events: [], paused: false, held: [], lastSeq: 0, notable: [], startReached: false, loadingEarlier: false, logStartedAt: null,
});

/**
 * After a hello: the same event log as before keeps what is held; a supervisor started anew (its log
 * started at another time, or it has logged fewer events than are held) counts from 1 again, so
 * what is held is dropped — kept, it would hide every new event as already seen.
 */
export function reconcileLog(state: EventsState, hello: { eventsStartedAt: number; lastEventSeq: number }): EventsState {
  const same = state.logStartedAt === hello.eventsStartedAt && hello.lastEventSeq >= state.lastSeq;
  if (same) return state;
  if (state.logStartedAt === null && state.lastSeq === 0) return { ...state, logStartedAt: hello.eventsStartedAt };
  return { ...initialEvents(), paused: state.paused, logStartedAt: hello.eventsStartedAt };
}

/** Adds events in sequence order, dropping any already seen (replays after a reconnect overlap). */
export function addEvents(state: EventsState, incoming: AdminEvent[]): EventsState {
  const fresh = incoming.filter((e) => e.seq > state.lastSeq).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return state;
  const lastSeq = fresh[fresh.length - 1]!.seq;
  const notableFresh = fresh.filter((e) => !isClientNoise(e));
  const notable = notableFresh.length === 0 ? state.notable : bound([...state.notable, ...notableFresh], NOTABLE_KEPT);
  if (state.paused) return { ...state, held: bound([...state.held, ...fresh]), lastSeq, notable };
  return { ...state, events: bound([...state.events, ...fresh]), lastSeq, notable };
}

export function setPaused(state: EventsState, paused: boolean): EventsState {
  if (paused === state.paused) return state;
  if (paused) return { ...state, paused: true };
  return { ...state, paused: false, events: bound([...state.events, ...state.held]), held: [] };
}

/** The oldest sequence number the console holds (shown, or held while paused); lastSeq + 1 with none. */
export const oldestSeq = (state: EventsState): number => state.events[0]?.seq ?? state.held[0]?.seq ?? state.lastSeq + 1;

/**
 * The `events.since` params for the page before the oldest event held: up to EARLIER_PAGE, and no
 * more than the log has room for. Null when there is nothing earlier to ask for, or no room.
 */
export function earlierRequest(state: EventsState): { seq: number; limit: number } | null {
  const oldest = oldestSeq(state);
  const room = EVENTS_KEPT - state.events.length;
  if (state.startReached || oldest <= 1 || room <= 0) return null;
  const limit = Math.min(EARLIER_PAGE, room, oldest - 1);
  return { seq: oldest - 1 - limit, limit };
}

/**
 * The answer to `earlierRequest`'s `events.since` (asked from `from`): the events older than the
 * oldest held go before it. The start is reached when the page began at sequence 1, when the
 * supervisor's ring no longer held the first one asked for, or when it gave nothing earlier.
 */
export function addEarlier(state: EventsState, answer: readonly AdminEvent[], from: number): EventsState {
  const oldest = oldestSeq(state);
  const fitting = answer.filter((e) => e.seq > from && e.seq < oldest).sort((a, b) => a.seq - b.seq);
  const room = Math.max(0, EVENTS_KEPT - state.events.length);
  const earlier = room === 0 ? [] : fitting.slice(-room);
  // Live events that came in meanwhile may have taken the room: what did not fit is still earlier.
  const startReached = earlier.length === fitting.length && (from === 0 || fitting.length === 0 || fitting[0]!.seq > from + 1);
  const known = new Set(state.notable.map((e) => e.seq));
  const earlierNotable = earlier.filter((e) => !isClientNoise(e) && !known.has(e.seq));
  const notable = earlierNotable.length === 0 ? state.notable
    : bound([...earlierNotable, ...state.notable].sort((a, b) => a.seq - b.seq), NOTABLE_KEPT);
  return { ...state, events: [...earlier, ...state.events], notable, startReached, loadingEarlier: false };
}

/** "Load earlier" is asked (true) or failed (false). */
export const setLoadingEarlier = (state: EventsState, loading: boolean): EventsState => ({ ...state, loadingEarlier: loading });

const bound = (events: AdminEvent[], kept = EVENTS_KEPT): AdminEvent[] => (events.length > kept ? events.slice(events.length - kept) : events);
