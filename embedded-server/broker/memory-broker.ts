/**
 * The in-process broker: streams in memory, events handed to listeners
 * synchronously. Losing the process loses the streams, so they come back with new epochs.
 *
 * A channel nobody subscribes to keeps its stream only while it may still matter: until its history
 * TTL passed with nothing left in it, and at most `idleChannelLimit` such streams (the least recently
 * used go first). Dropping a stream is never a silent hole: a recreated stream has a new epoch, so a
 * client that comes back with the old one is told recovered:false.
 */
import { HistoryStream } from './history-stream.js';
import { DEFAULT_IDLE_CHANNEL_LIMIT, IdleStreams } from './idle-streams.js';
import type { AppError, Result } from '../../shared/result.js';
import type {
  ClientInfo, HistoryResult, Json, Publication, StreamPosition,
} from '../../shared/protocol/client-protocol.js';
import type { Broker, BrokerEvent, HistoryQuery, PublishOrigin, StreamOptions } from './broker.js';

export interface MemoryBrokerOptions {
  /** Clock in ms; injectable so tests need not sleep. */
  now?: () => number;
  /** How often idle streams are swept (default 60 s). */
  sweepIntervalMs?: number;
  /** Streams of channels without a subscriber kept at most (default 100,000); the least recently used go first. */
  idleChannelLimit?: number;
}

/** Idle channel streams kept, and those removed since start, by why. */
export interface IdleChannelStats {
  kept: number;
  /** Removed once their history TTL passed with nothing left, or over the limit (oldest first). */
  dropped: { expired: number; limit: number };
}

/** A {@link Broker} that lives in this process. */
export class MemoryBroker implements Broker {
  private readonly streams = new Map<string, HistoryStream>();
  private readonly listeners = new Set<(event: BrokerEvent) => void>();
  private readonly interest = new Set<string>();
  private readonly idle = new IdleStreams();
  private readonly dropped = { expired: 0, limit: 0 };
  private readonly idleLimit: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  constructor(opts: MemoryBrokerOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.idleLimit = Math.max(1, opts.idleChannelLimit ?? DEFAULT_IDLE_CHANNEL_LIMIT);
    this.timer = setInterval(() => this.sweep(), opts.sweepIntervalMs ?? 60_000);
    this.timer.unref();
  }

  async publish(
    channel: string,
    data: Json,
    opts: { stream: StreamOptions | null; info?: ClientInfo; tags?: Record<string, string>; delta?: boolean; origin?: PublishOrigin },
  ): Promise<{ offset?: number; epoch?: string }> {
    const pub: Publication = { data };
    if (opts.info) pub.info = opts.info;
    if (opts.tags) pub.tags = opts.tags;
    // What the event carries beside the publication: one small object per publish, on the hot path.
    const marks: { delta?: true; origin?: PublishOrigin } = {};
    if (opts.delta) marks.delta = true;
    if (opts.origin) marks.origin = opts.origin;
    const limits = opts.stream;
    if (!limits || limits.size <= 0 || limits.ttlMs <= 0) {
      this.emit({ kind: 'pub', channel, pub, ...marks });
      return {};
    }
    const stream = this.stream(channel, limits);
    stream.configure(limits);
    const stored = stream.append(pub);
    this.emit({ kind: 'pub', channel, pub: stored, epoch: stream.epoch, ...marks });
    return { offset: stored.offset, epoch: stream.epoch };
  }

  async publishJoin(channel: string, info: ClientInfo): Promise<void> {
    this.emit({ kind: 'join', channel, info });
  }

  async publishLeave(channel: string, info: ClientInfo): Promise<void> {
    this.emit({ kind: 'leave', channel, info });
  }

  async history(channel: string, query: HistoryQuery, stream: StreamOptions): Promise<Result<HistoryResult, AppError>> {
    return this.stream(channel, stream).read(query);
  }

  async position(channel: string, stream: StreamOptions): Promise<StreamPosition> {
    return this.stream(channel, stream).position();
  }

  async removeHistory(channel: string): Promise<void> {
    this.streams.get(channel)?.clear();
  }

  // In one process every listener already gets every channel; interest is only recorded.
  async subscribe(channel: string): Promise<void> {
    this.interest.add(channel);
    this.idle.forget(channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.interest.delete(channel);
    if (!this.streams.has(channel)) return;
    this.idle.touch(channel);
    this.enforceIdleLimit();
  }

  /** Idle channel streams kept and dropped, for /metrics. */
  idleChannelStats(): IdleChannelStats {
    return { kept: this.idle.size, dropped: { ...this.dropped } };
  }

  /** Channels currently subscribed to (informational for the in-process broker). */
  get subscribedChannels(): ReadonlySet<string> {
    return this.interest;
  }

  /** Number of live streams (with or without publications). */
  get streamCount(): number {
    return this.streams.size;
  }

  onEvent(listener: (event: BrokerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Removes the streams of channels without subscribers once their history TTL passed with nothing
   * left in them, and any stream empty and unused for its meta TTL; answers how many went.
   */
  sweep(): number {
    let removed = 0;
    for (const [channel, stream] of this.streams) {
      const idle = this.idle.has(channel);
      if (!(idle && stream.isDrained()) && !stream.isIdle()) continue;
      this.streams.delete(channel);
      this.idle.forget(channel);
      if (idle) this.dropped.expired += 1;
      removed += 1;
    }
    return removed;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private stream(channel: string, limits: StreamOptions): HistoryStream {
    let stream = this.streams.get(channel);
    if (!stream) {
      stream = new HistoryStream({ ...limits, now: this.now });
      this.streams.set(channel, stream);
    }
    if (!this.interest.has(channel)) {
      this.idle.touch(channel);
      this.enforceIdleLimit();
    }
    return stream;
  }

  // Over the limit the least recently used idle streams go, live history or not: the epoch of a
  // recreated stream differs, so nobody can mistake the loss for an empty gap.
  private enforceIdleLimit(): void {
    if (this.idle.size <= this.idleLimit) return;
    for (const channel of this.idle.takeOverflow(this.idleLimit)) {
      this.streams.delete(channel);
      this.dropped.limit += 1;
    }
  }

  private emit(event: BrokerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** Creates the in-process broker; `stop()` it to clear its sweep timer. */
export function createMemoryBroker(opts: MemoryBrokerOptions = {}): MemoryBroker {
  return new MemoryBroker(opts);
}
