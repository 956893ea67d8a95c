/** The live lifecycle log. */
import { create } from 'zustand';
import type { AdminEvent } from '../../../shared/admin/admin-model.js';
import type { EventsState } from './events.reducers.js';
import { addEvents, initialEvents, setPaused } from './events.reducers.js';

interface EventsStore extends EventsState {
  receive(events: AdminEvent[]): void;
  pause(paused: boolean): void;
}

export const useEvents = create<EventsStore>()((set) => ({
  ...initialEvents(),
  receive: (events) => set((s) => addEvents(s, events)),
  pause: (paused) => set((s) => setPaused(s, paused)),
}));
