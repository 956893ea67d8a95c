/** Live activity of the channels an admin console watches (presence and typing views). */
import type { ChannelActivity } from '../../shared/admin/admin-model.js';
import type { BrokerEvent } from '../broker/broker.js';

export class ChannelWatchers {
  private readonly byChannel = new Map<string, Set<(items: ChannelActivity[]) => void>>();

  /** Registers a listener for one channel. Returns a dispose. */
  watch(channel: string, listener: (items: ChannelActivity[]) => void): () => void {
    let set = this.byChannel.get(channel);
    if (!set) this.byChannel.set(channel, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byChannel.delete(channel);
    };
  }

  /** Called for every broker event; costs one map lookup when nobody watches the channel. */
  observe(event: BrokerEvent): void {
    const set = this.byChannel.get(event.channel);
    if (!set) return;
    const at = Date.now();
    const item: ChannelActivity = event.kind === 'pub'
      ? { kind: 'pub', data: event.pub.data, at, ...(event.pub.info ? { info: event.pub.info } : {}), ...(event.pub.offset !== undefined ? { offset: event.pub.offset } : {}) }
      : { kind: event.kind, info: event.info, at };
    for (const l of set) l([item]);
  }
}
