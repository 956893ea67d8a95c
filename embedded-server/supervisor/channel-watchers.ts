/**
 * Live activity of the channels admin consoles watch (presence, typing and inspector views). Each
 * watcher gets its own sampler (watch-sampler.ts: at most 100 publications a second, every one
 * counted) and its own batch: pushes go out at most every FLUSH_MS, the first one at once.
 */
import type { ActivitySampling, ChannelActivity, PublicationSource } from '../../shared/admin/admin-model.js';
import type { BrokerEvent } from '../broker/broker.js';
import { WatchSampler } from './watch-sampler.js';

/** Pushes per watcher are at least this far apart; a lone item goes out at once. */
export const FLUSH_MS = 100;
/** A publication's data larger than this (JSON bytes) is cut to its first CUT_CHARS characters. */
export const MAX_DATA_BYTES = 16 * 1024;
export const CUT_CHARS = 4 * 1024;

/** Receives each batch of a watched channel; `sampling` when the batch covers publications. */
export type WatchListener = (items: ChannelActivity[], sampling?: ActivitySampling) => void;

type PubEvent = Extract<BrokerEvent, { kind: 'pub' }>;

/** One watcher of one channel: sampling, batching, and its timer. */
class WatchFeed {
  private readonly sampler = new WatchSampler();
  private pending: ChannelActivity[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;

  constructor(private readonly listener: WatchListener) {}

  publication(event: PubEvent, at: number): void {
    if (this.sampler.offer(at)) this.pending.push(publicationItem(event, at));
    this.schedule(at);
  }

  presence(item: ChannelActivity): void {
    this.pending.push(item);
    this.schedule(item.at);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(now: number): void {
    if (this.timer) return;
    const wait = this.lastFlush + FLUSH_MS - now;
    if (wait <= 0) return this.flush(now);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush(Date.now());
    }, wait);
    this.timer.unref();
  }

  private flush(now: number): void {
    this.lastFlush = now;
    const items = this.pending;
    this.pending = [];
    const sampling = this.sampler.take(now);
    if (items.length === 0 && !sampling) return;
    if (sampling) this.listener(items, sampling);
    else this.listener(items);
  }
}

export class ChannelWatchers {
  private readonly byChannel = new Map<string, Set<WatchFeed>>();

  /** Registers a listener for one channel. Returns a dispose. */
  watch(channel: string, listener: WatchListener): () => void {
    let set = this.byChannel.get(channel);
    if (!set) this.byChannel.set(channel, (set = new Set()));
    const feed = new WatchFeed(listener);
    set.add(feed);
    return () => {
      feed.dispose();
      set.delete(feed);
      if (set.size === 0 && this.byChannel.get(channel) === set) this.byChannel.delete(channel);
    };
  }

  /** Called for every broker event; costs one map lookup when nobody watches the channel. */
  observe(event: BrokerEvent): void {
    const set = this.byChannel.get(event.channel);
    if (!set) return;
    const at = Date.now();
    if (event.kind === 'pub') {
      for (const feed of set) feed.publication(event, at);
      return;
    }
    const item: ChannelActivity = { kind: event.kind, info: event.info, at };
    for (const feed of set) feed.presence(item);
  }
}

/** The pushed form of a publication: position, size, publisher, and the data (cut when too big). */
export function publicationItem(event: PubEvent, at: number): ChannelActivity {
  const { pub } = event;
  const text = JSON.stringify(pub.data);
  const size = Buffer.byteLength(text, 'utf8');
  const source: PublicationSource = pub.info ? 'client' : (event.origin ?? 'unknown');
  const cut = size > MAX_DATA_BYTES;
  return {
    kind: 'pub', data: cut ? text.slice(0, CUT_CHARS) : pub.data, at, size, source,
    ...(cut ? { cut: true as const } : {}),
    ...(pub.info ? { info: pub.info } : {}),
    ...(pub.offset !== undefined ? { offset: pub.offset } : {}),
    ...(event.epoch ? { epoch: event.epoch } : {}),
  };
}
