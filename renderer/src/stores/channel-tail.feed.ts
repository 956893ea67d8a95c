/**
 * `channel.activity` pushes handed, untouched, to the inspectors tailing a channel. No store and no
 * React state: an inspector queues them in its TailModel and draws once per animation frame.
 */
import type { AdminPushes } from '../../../shared/admin/admin-api.js';
import type { ActivitySampling, ChannelActivity } from '../../../shared/admin/admin-model.js';

/** One push as an inspector takes it. */
export interface ActivityPush {
  items: ChannelActivity[];
  sampling?: ActivitySampling;
}

type Listener = (push: ActivityPush) => void;

const byChannel = new Map<string, Set<Listener>>();

/** Hands each push of `channel` to `listener` from now on. Returns a dispose. */
export function tailPushes(channel: string, listener: Listener): () => void {
  let set = byChannel.get(channel);
  if (!set) byChannel.set(channel, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && byChannel.get(channel) === set) byChannel.delete(channel);
  };
}

/** Called by the push router for every `channel.activity` push. */
export function routeTailPush(data: AdminPushes['channel.activity']): void {
  const set = byChannel.get(data.channel);
  if (!set) return;
  const push: ActivityPush = data.sampling ? { items: data.items, sampling: data.sampling } : { items: data.items };
  for (const l of set) l(push);
}
