/** Live activity of watched channels (presence joins/leaves, typing, publications), bounded per channel. */
import { create } from 'zustand';
import type { ChannelActivity } from '../../../shared/admin/admin-model.js';

const KEPT = 200;

interface ActivityStore {
  byChannel: Record<string, ChannelActivity[]>;
  receive(channel: string, items: ChannelActivity[]): void;
  clear(channel: string): void;
}

export const useActivity = create<ActivityStore>()((set) => ({
  byChannel: {},
  receive: (channel, items) => set((s) => {
    const list = [...(s.byChannel[channel] ?? []), ...items];
    return { byChannel: { ...s.byChannel, [channel]: list.length > KEPT ? list.slice(list.length - KEPT) : list } };
  }),
  clear: (channel) => set((s) => {
    const { [channel]: _gone, ...rest } = s.byChannel;
    return { byChannel: rest };
  }),
}));
