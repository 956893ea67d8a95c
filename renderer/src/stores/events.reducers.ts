/** Pure state changes of the events log. */
import type { AdminEvent } from '../../../shared/admin/admin-model.js';

export const EVENTS_KEPT = 5000;
/** Node, fault, admin and cluster events kept apart from client churn, so a flood of subscribes cannot push them out. */
export const NOTABLE_KEPT = 1000;

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
}

export const initialEvents = (): EventsState => ({ events: [], paused: false, held: [], lastSeq: 0, notable: [] });

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

const bound = (events: AdminEvent[], kept = EVENTS_KEPT): AdminEvent[] => (events.length > kept ? events.slice(events.length - kept) : events);
