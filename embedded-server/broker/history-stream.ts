/**
 * One channel's stream (PROTOCOL.md §6.1): the top offset, the epoch and a bounded ring of the
 * newest publications. Items older than the TTL are dropped lazily, on read and on append.
 */
import { randomInt } from 'node:crypto';
import { Errors } from '../../shared/protocol/codes.js';
import { err, ok } from '../../shared/result.js';
import type { AppError, Result } from '../../shared/result.js';
import type { HistoryResult, Publication, StreamPosition } from '../../shared/protocol/client-protocol.js';
import type { HistoryQuery } from './broker.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A fresh epoch: 8 random letters, like the Go memory engine. */
export function newEpoch(): string {
  let epoch = '';
  for (let i = 0; i < 8; i++) epoch += LETTERS[randomInt(LETTERS.length)];
  return epoch;
}

/** Window and lifetime limits of a stream. */
export interface StreamLimits {
  /** Most publications kept; the oldest go first. */
  size: number;
  /** A publication is dropped once it is this old. */
  ttlMs: number;
  /** An empty stream unused this long may be removed (0: never). */
  metaTtlMs: number;
}

export interface HistoryStreamOptions extends StreamLimits {
  /** Clock in ms; injectable so tests need not sleep. */
  now?: () => number;
}

interface Item {
  pub: Publication;
  at: number;
}

/** A channel's offset, epoch and history window. */
export class HistoryStream {
  /** Changes only when the stream is recreated; never while this object lives. */
  readonly epoch = newEpoch();
  /** Clock reading of the last append, read or position query. */
  lastUsed: number;

  private limits: StreamLimits;
  private readonly now: () => number;
  private topOffset = 0;
  // Ring: `count` items from `head`, oldest first. Grows up to `size`, then wraps.
  private buf: (Item | undefined)[] = [];
  private head = 0;
  private count = 0;

  constructor(opts: HistoryStreamOptions) {
    this.now = opts.now ?? Date.now;
    this.limits = { size: opts.size, ttlMs: opts.ttlMs, metaTtlMs: opts.metaTtlMs };
    this.lastUsed = this.now();
  }

  /** The offset of the newest publication ever appended (0 before the first). */
  get top(): number {
    return this.topOffset;
  }

  /** Publications currently in the window (expired ones may still count until the next read). */
  get length(): number {
    return this.count;
  }

  /** Applies new namespace limits; a smaller size trims the oldest items at once. */
  configure(limits: StreamLimits): void {
    const { size, ttlMs, metaTtlMs } = limits;
    const old = this.limits;
    if (size === old.size && ttlMs === old.ttlMs && metaTtlMs === old.metaTtlMs) return;
    this.limits = { size, ttlMs, metaTtlMs };
    if (size === old.size) return;
    const keep = this.items().slice(-Math.max(0, limits.size));
    this.buf = keep;
    this.head = 0;
    this.count = keep.length;
  }

  /** Assigns the next offset, stores the publication and returns the stored object. */
  append(pub: Omit<Publication, 'offset'>): Publication {
    const now = this.now();
    this.lastUsed = now;
    this.expire(now);
    this.topOffset += 1;
    const stored: Publication = { ...pub, offset: this.topOffset };
    if (this.limits.size <= 0) return stored;
    this.push({ pub: stored, at: now });
    return stored;
  }

  /**
   * Reads history as PROTOCOL.md §6.4 says. Stored publications are returned as they are:
   * callers must not mutate them.
   */
  read(query: HistoryQuery): Result<HistoryResult, AppError> {
    const now = this.now();
    this.lastUsed = now;
    const { since, reverse, limit } = query;
    if (since && reverse && since.offset === 0) return err(Errors.badRequest);
    if (since && since.epoch !== '' && since.epoch !== this.epoch) return err(Errors.unrecoverablePosition);
    this.expire(now);
    const result: HistoryResult = { publications: [], epoch: this.epoch, offset: this.topOffset };
    if (limit === 0 || this.count === 0) return ok(result);
    const max = limit < 0 ? this.count : limit;
    const first = this.topOffset - this.count + 1;
    if (reverse) {
      const end = since ? since.offset - 1 : this.topOffset;
      for (let i = Math.min(this.count - 1, end - first); i >= 0 && result.publications.length < max; i--) {
        result.publications.push(this.at(i).pub);
      }
    } else {
      const start = since ? since.offset + 1 : first;
      for (let i = Math.max(0, start - first); i < this.count && result.publications.length < max; i++) {
        result.publications.push(this.at(i).pub);
      }
    }
    return ok(result);
  }

  /** The top offset and epoch; counts as a use of the stream. */
  position(): StreamPosition {
    this.lastUsed = this.now();
    return { offset: this.topOffset, epoch: this.epoch };
  }

  /** Drops every publication; top offset and epoch stay. */
  clear(): void {
    this.buf = [];
    this.head = 0;
    this.count = 0;
  }

  /** True when the stream holds nothing and was unused for the meta TTL, so it may be removed. */
  isIdle(): boolean {
    const now = this.now();
    this.expire(now);
    if (this.count > 0 || this.limits.metaTtlMs <= 0) return false;
    return now - this.lastUsed >= this.limits.metaTtlMs;
  }

  /**
   * True when the stream holds nothing and was unused for the history TTL: no publication it could
   * still return exists, so a channel nobody subscribes to needs it no longer.
   */
  isDrained(): boolean {
    const now = this.now();
    this.expire(now);
    return this.count === 0 && now - this.lastUsed >= this.limits.ttlMs;
  }

  private push(item: Item): void {
    const cap = this.buf.length;
    if (this.count < cap) {
      this.buf[(this.head + this.count) % cap] = item;
      this.count += 1;
    } else if (cap < this.limits.size) {
      if (this.head !== 0) this.buf = this.items();
      this.head = 0;
      this.buf.push(item);
      this.count += 1;
    } else {
      this.buf[this.head] = item;
      this.head = (this.head + 1) % cap;
    }
  }

  private expire(now: number): void {
    const { ttlMs } = this.limits;
    if (ttlMs <= 0) return;
    while (this.count > 0 && now - this.at(0).at >= ttlMs) {
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) % this.buf.length;
      this.count -= 1;
    }
    if (this.count === 0) this.clear();
  }

  private at(i: number): Item {
    const item = this.buf[(this.head + i) % this.buf.length];
    if (!item) throw new Error(`history ring: no item at ${i} of ${this.count}`);
    return item;
  }

  private items(): Item[] {
    const out: Item[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.at(i));
    return out;
  }
}
