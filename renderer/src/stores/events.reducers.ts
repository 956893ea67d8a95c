/** Pure state changes of the events log. */
import type { AdminEvent } from '../../../shared/admin/admin-model.js';

export const EVENTS_KEPT = 5000;

export interface EventsState {
  /** Oldest first, at most EVENTS_KEPT. */
  events: AdminEvent[];
  /** While paused, new events wait here and the list does not move. */
  paused: boolean;
  held: AdminEvent[];
  lastSeq: number;
}

export const initialEvents = (): EventsState => ({ events: [], paused: false, held: [], lastSeq: 0 });

/** Adds events in sequence order, dropping any already seen (replays after a reconnect overlap). */
export function addEvents(state: EventsState, incoming: AdminEvent[]): EventsState {
  const fresh = incoming.filter((e) => e.seq > state.lastSeq).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return state;
  const lastSeq = fresh[fresh.length - 1]!.seq;
  if (state.paused) return { ...state, held: bound([...state.held, ...fresh]), lastSeq };
  return { ...state, events: bound([...state.events, ...fresh]), lastSeq };
}

export function setPaused(state: EventsState, paused: boolean): EventsState {
  if (paused === state.paused) return state;
  if (paused) return { ...state, paused: true };
  return { ...state, paused: false, events: bound([...state.events, ...state.held]), held: [] };
}

const bound = (events: AdminEvent[]): AdminEvent[] => (events.length > EVENTS_KEPT ? events.slice(events.length - EVENTS_KEPT) : events);
