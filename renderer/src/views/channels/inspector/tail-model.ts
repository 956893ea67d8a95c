/**
 * The inspector's live tail outside React: pushes are queued as they arrive and folded in once per
 * animation frame (`flush`), into a ring of the last `capacity` publications. Pause freezes what is
 * shown and counts what arrives meanwhile; sampling reports are kept for a few seconds so the view
 * can say "showing 100 of 1,000/s". Pure: the caller passes the time.
 */
import type { ActivitySampling, ChannelActivity, PublicationSource } from '../../../../../shared/admin/admin-model.js';
import type { RowFilter } from './row-filter.js';
import type { ActivityPush } from '../../../stores/channel-tail.feed.js';

/** Publications kept for the tail. */
export const TAIL_CAPACITY = 1000;
/** Sampling reports older than this no longer count toward the rates shown. */
export const RATE_WINDOW_MS = 3000;

export interface TailRow {
  /** Arrival number: a stable React key. */
  key: number;
  at: number;
  offset?: number;
  epoch?: string;
  size?: number;
  cut: boolean;
  source: PublicationSource;
  user?: string;
  client?: string;
  data: unknown;
  /** What a text filter searches: the payload as JSON, `#offset`, the publisher. */
  text: string;
}

export interface SamplingView {
  /** Publications the channel had per second, and how many of them the watch carried. */
  perSec: number;
  shownPerSec: number;
  limitPerSec: number;
}

export class TailModel {
  private readonly ring: (TailRow | undefined)[];
  private next = 0;
  private size = 0;
  private nextKey = 1;
  private queue: ActivityPush[] = [];
  private reports: { at: number; s: ActivitySampling }[] = [];
  private frozen: TailRow[] | null = null;
  /** Publications the channel had while paused (sampled out ones included). */
  newWhilePaused = 0;
  /** Every publication counted since the tail started, and those that were carried. */
  counted = 0;
  received = 0;

  constructor(readonly capacity = TAIL_CAPACITY) {
    this.ring = new Array<TailRow | undefined>(capacity);
  }

  get paused(): boolean {
    return this.frozen !== null;
  }

  /** Queues a push; nothing is computed until the next `flush`. */
  receive(push: ActivityPush): void {
    this.queue.push(push);
  }

  /** Folds the queued pushes in; true when anything changed. */
  flush(now: number): boolean {
    const queue = this.queue;
    this.queue = [];
    for (const push of queue) this.take(push, now);
    const before = this.reports.length;
    this.reports = this.reports.filter((r) => now - r.at <= RATE_WINDOW_MS);
    return queue.length > 0 || before !== this.reports.length;
  }

  pause(): void {
    if (!this.frozen) this.frozen = this.newestFirst();
    this.newWhilePaused = 0;
  }

  resume(): void {
    this.frozen = null;
    this.newWhilePaused = 0;
  }

  /** Rows to show, newest first: the frozen ones while paused; at most `limit` that pass `filter`. */
  rows(filter: RowFilter, limit: number): { rows: TailRow[]; matched: number; kept: number } {
    const all = this.frozen ?? this.newestFirst();
    const rows: TailRow[] = [];
    let matched = 0;
    for (const row of all) {
      if (!filter(row)) continue;
      matched++;
      if (rows.length < limit) rows.push(row);
    }
    return { rows, matched, kept: all.length };
  }

  /** Rates over the last few seconds when sampling left publications out then; null otherwise. */
  sampling(): SamplingView | null {
    let ms = 0;
    let publications = 0;
    let sent = 0;
    for (const { s } of this.reports) {
      ms += s.ms;
      publications += s.publications;
      sent += s.sent;
    }
    if (publications === sent || ms <= 0) return null;
    const limitPerSec = this.reports[this.reports.length - 1]?.s.limitPerSec ?? 0;
    const secs = Math.max(ms, 1000) / 1000;
    return { perSec: publications / secs, shownPerSec: sent / secs, limitPerSec };
  }

  private take(push: ActivityPush, now: number): void {
    let pubs = 0;
    for (const item of push.items) {
      if (item.kind !== 'pub') continue;
      pubs++;
      this.add(toRow(item, this.nextKey++));
    }
    this.received += pubs;
    const counted = push.sampling?.publications ?? pubs;
    this.counted += counted;
    if (this.frozen) this.newWhilePaused += counted;
    if (push.sampling) this.reports.push({ at: now, s: push.sampling });
  }

  private add(row: TailRow): void {
    this.ring[this.next] = row;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.capacity, this.size + 1);
  }

  private newestFirst(): TailRow[] {
    const out: TailRow[] = [];
    for (let i = 1; i <= this.size; i++) out.push(this.ring[(this.next - i + this.capacity) % this.capacity]!);
    return out;
  }
}

function toRow(item: Extract<ChannelActivity, { kind: 'pub' }>, key: number): TailRow {
  const source = item.source ?? 'unknown';
  const who = item.info ? `${item.info.user} ${item.info.client}` : source;
  const row: TailRow = {
    key, at: item.at, cut: item.cut === true, source, data: item.data,
    text: `${JSON.stringify(item.data)} #${item.offset ?? ''} ${who}`,
  };
  if (item.offset !== undefined) row.offset = item.offset;
  if (item.epoch !== undefined) row.epoch = item.epoch;
  if (item.size !== undefined) row.size = item.size;
  if (item.info) {
    row.user = item.info.user;
    row.client = item.info.client;
  }
  return row;
}
