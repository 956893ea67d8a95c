/**
 * Bookkeeping of idle streams: channels with a stream but no subscriber in this supervisor, least
 * recently used first, so the oldest can be dropped when there are too many (issue 15, item 7).
 */

/** Default for `cluster.idle_channel_limit`: idle channel streams kept at most. */
export const DEFAULT_IDLE_CHANNEL_LIMIT = 100_000;

/** Idle channels in least-recently-used order (a Map keeps insertion order; a touch re-inserts). */
export class IdleStreams {
  private readonly order = new Map<string, true>();

  /** Marks the channel idle and most recently used. */
  touch(channel: string): void {
    this.order.delete(channel);
    this.order.set(channel, true);
  }

  /** The channel is subscribed again, or its stream is gone. */
  forget(channel: string): void {
    this.order.delete(channel);
  }

  has(channel: string): boolean {
    return this.order.has(channel);
  }

  /** Channels beyond `limit`, oldest first (they are forgotten here; the caller drops their streams). */
  takeOverflow(limit: number): string[] {
    const out: string[] = [];
    for (const channel of this.order.keys()) {
      if (this.order.size - out.length <= limit) break;
      out.push(channel);
    }
    for (const channel of out) this.order.delete(channel);
    return out;
  }

  get size(): number {
    return this.order.size;
  }

  /** Idle channels, oldest first. */
  channels(): IterableIterator<string> {
    return this.order.keys();
  }
}
