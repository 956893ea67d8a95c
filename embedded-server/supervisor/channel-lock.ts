/**
 * One-at-a-time sections per channel: the supervisor changes a channel's broker interest (registry
 * entry + broker subscribe/unsubscribe) only inside `run`, so a subscribe never reads a position
 * before the broker's subscription is live and an unsubscribe never drops interest a newer
 * subscriber still needs. A channel with nothing pending holds no entry, so the map does not grow
 * with channel churn.
 */

export class ChannelLock {
  /** channel → the settled-when-done tail of its queue (never rejects). */
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `section` once every section queued before it for `channel` has settled (at once, in this
   * turn, when none is pending); answers what it answers. A failed section does not block the next.
   */
  run<T>(channel: string, section: () => Promise<T>): Promise<T> {
    const before = this.tails.get(channel);
    const result = before ? before.then(section) : start(section);
    const forget = (): void => {
      if (this.tails.get(channel) === tail) this.tails.delete(channel);
    };
    const tail: Promise<void> = result.then(forget, forget);
    this.tails.set(channel, tail);
    return result;
  }

  /** Channels with a section running or queued. */
  get pending(): number {
    return this.tails.size;
  }
}

function start<T>(section: () => Promise<T>): Promise<T> {
  try {
    return section();
  } catch (e) {
    return Promise.reject(e);
  }
}
