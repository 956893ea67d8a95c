/**
 * One bot's view of one channel's stream (PROTOCOL.md §6): which offsets it got, so lost,
 * duplicated and out-of-order deliveries are told apart. An offset above the next expected one
 * opens a gap; a later delivery inside the gap fills it (out of order); anything else at or below
 * the highest offset is a duplicate. A failed recovery turns the gap up to the stream top into loss.
 */

/** The tallies one tracker adds to (shared by every tracker of a bot process). */
export interface StreamTallies {
  received: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
}

/** Gaps wider than this are counted as lost at once rather than remembered offset by offset. */
const MAX_REMEMBERED_GAP = 10_000;

export class StreamTracker {
  /** Highest offset delivered (or the stream top we started from). */
  last = 0;
  epoch = '';
  /** True once a subscribe reply gave the stream position. */
  positioned = false;
  /** Offsets below `last` not delivered yet. */
  private missing: Set<number> | null = null;

  constructor(private readonly tallies: StreamTallies) {}

  /** Offsets currently missing (not yet lost for good: recovery or a late delivery may fill them). */
  get pending(): number {
    return this.missing?.size ?? 0;
  }

  /** A fresh subscription (no recovery asked): delivery is expected from `offset + 1` on. */
  start(offset: number, epoch: string): void {
    this.forgetGaps();
    this.last = offset;
    this.epoch = epoch;
    this.positioned = true;
  }

  /** One delivered publication (live, or recovered inside a subscribe reply). */
  observe(offset: number): 'new' | 'duplicate' | 'late' {
    if (!this.positioned) {
      this.positioned = true;
    } else if (offset <= this.last) {
      return this.below(offset);
    } else if (offset > this.last + 1) {
      this.openGap(this.last + 1, offset - 1);
    }
    this.last = offset;
    this.tallies.received++;
    return 'new';
  }

  /**
   * A resubscribe answered `recovered: false`: every missing offset, and everything from the last
   * delivered one up to the new top, is lost. With a new epoch the old stream is gone and its gap
   * cannot be measured: only what was already missing counts.
   */
  notRecovered(top: number, epoch: string): void {
    let lost = this.pending;
    if (epoch === this.epoch && top > this.last) lost += top - this.last;
    this.tallies.lost += lost;
    this.forgetGaps();
    this.last = top;
    this.epoch = epoch;
    this.positioned = true;
  }

  /** A recovered resubscribe confirms the position (its publications arrive through `observe`). */
  recovered(epoch: string): void {
    this.epoch = epoch;
  }

  /** At the end of a run: gaps still open are lost. */
  close(): void {
    this.tallies.lost += this.pending;
    this.forgetGaps();
  }

  private below(offset: number): 'duplicate' | 'late' {
    if (this.missing?.delete(offset)) {
      this.tallies.outOfOrder++;
      this.tallies.received++;
      return 'late';
    }
    this.tallies.duplicated++;
    return 'duplicate';
  }

  private openGap(from: number, to: number): void {
    if (to - from + 1 > MAX_REMEMBERED_GAP) {
      this.tallies.lost += to - from + 1;
      return;
    }
    this.missing ??= new Set();
    for (let o = from; o <= to; o++) this.missing.add(o);
  }

  private forgetGaps(): void {
    this.missing = null;
  }
}
