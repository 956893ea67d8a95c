/**
 * The node's channel table: which local sessions are subscribed to what, and delivery of the
 * supervisor's pre-encoded frames to them. A subscription being set up buffers what arrives until
 * its subscribe reply is out (ARCHITECTURE.md: register, buffer, read history, merge by offset).
 * Per channel the node remembers the last offset it saw: a jump means it missed publications, and
 * its positioned subscribers are told to recover (PROTOCOL.md §6.5). The stream records a
 * publication before it reaches the node (with Redis, on another connection), so a subscribe reply
 * or a broker position ahead of the node's view is not yet a loss: the publications between may be
 * on their way.
 * Subscribers with a tags filter get only the publications it passes; the others cost nothing more,
 * since a channel without filtered subscribers takes the unfiltered path. A publication filtered out
 * still counts for the channel's offsets: it is not missed (Centrifugo, too, moves the subscriber's
 * position without sending it; the client recovers from the last offset it was sent).
 */
import type { Delivery } from '../../shared/ipc/node-ipc.js';
import type { TagsFilter } from '../../shared/protocol/tags-filter.js';
import { matches } from '../../shared/protocol/tags-filter.js';
import type { Session } from './session.js';
import { Sub } from './session.js';
import { DeltaForms } from './delta-frames.js';

interface Buffered {
  frame: string;
  offset?: number;
  join?: boolean;
  /** A publication this subscriber's tags filter does not pass: it only moves the offsets. */
  filteredOut?: boolean;
}

interface LocalChannel {
  active: Set<Session>;
  /** Subscriptions between request and reply, with what arrived meanwhile. */
  pending: Map<Session, Buffered[]>;
  offset?: number;
  epoch?: string;
  /** The broker's position at the last periodic check, when this node had not reached it yet. */
  behind?: { offset: number; epoch: string };
  /**
   * Subscribers whose reply stood for a position ahead of the node's view (same epoch), with that
   * offset: the publications up to it, still on their way to this node, are not theirs again.
   */
  ahead?: Map<Session, number>;
  /** Subscribers (set up or active) with a tags filter; undefined while there is none. */
  filters?: Map<Session, TagsFilter>;
  /** Subscribers that negotiated fossil deltas, and the last publication they are based on; undefined while there is none. */
  delta?: DeltaChannel;
}

/**
 * A channel's delta subscribers: each with the offset of the last publication it was sent (its
 * delta base; -1 = none yet, its next one goes in full), and the text of the channel's last
 * publication. A delta is sent only to a subscriber based on exactly the publication before.
 */
interface DeltaChannel {
  subs: Map<Session, number>;
  last?: { offset: number; epoch: string; text: string };
}

export interface HubSink {
  /** Writes a frame to a session (batched per turn). */
  write(session: Session, frame: string): void;
  /** The node missed publications of a channel: these positioned subscribers must recover. */
  lost(channel: string, sessions: Session[]): void;
}

export class LocalHub {
  private readonly channels = new Map<string, LocalChannel>();
  subscriptions = 0;

  constructor(private readonly sink: HubSink) {}

  /**
   * Starts a subscription: live frames are buffered until `activate`. The tags filter the session
   * keeps for the channel (Session.subExtras), if any, applies from here on.
   */
  begin(channel: string, session: Session): void {
    let ch = this.channels.get(channel);
    if (!ch) {
      ch = { active: new Set(), pending: new Map() };
      this.channels.set(channel, ch);
    }
    ch.pending.set(session, []);
    const filter = session.subExtras?.get(channel)?.tagsFilter;
    if (filter !== undefined) (ch.filters ??= new Map()).set(session, filter);
    if ((session.subs.get(channel) ?? 0) & Sub.delta) (ch.delta ??= { subs: new Map() }).subs.set(session, -1);
  }

  /** A delta subscriber's reply carried publications up to `offset`: its client holds that one's data. */
  setDeltaBase(channel: string, session: Session, offset: number, epoch: string): void {
    const d = this.channels.get(channel)?.delta;
    if (d?.subs.has(session)) d.subs.set(session, d.last?.epoch === epoch || d.last === undefined ? offset : -1);
  }

  /**
   * Ends the set-up: the reply has been queued; buffered frames newer than `deliveredUpTo`
   * (the stream top the reply stands for) follow it, older ones are dropped as duplicates.
   */
  activate(channel: string, session: Session, position?: { offset: number; epoch: string }): void {
    const ch = this.channels.get(channel);
    const buffered = ch?.pending.get(session);
    if (!ch || !buffered) return;
    // Observed while still pending: a position of another epoch loses the other active subscribers,
    // and a sink that unsubscribes them must not see the channel empty and drop it from under this one.
    if (position) this.observeJoin(channel, ch, session, position);
    ch.pending.delete(session);
    ch.active.add(session);
    this.subscriptions++;
    const flags = session.subs.get(channel) ?? 0;
    let last = position?.offset;
    for (const b of buffered) {
      if (b.join && !(flags & Sub.pushJoinLeave)) continue;
      if (b.offset !== undefined && last !== undefined) {
        if (b.offset <= last) continue; // already in the reply, or a duplicate
        if (b.offset > last + 1 && flags & Sub.positioned) {
          // The node missed publications while this subscription was being set up.
          this.sink.lost(channel, [session]);
          return;
        }
        last = b.offset;
      }
      if (b.filteredOut) continue;
      const base = ch.delta?.subs.get(session);
      if (base === undefined) {
        this.sink.write(session, b.frame);
        continue;
      }
      // A delta subscriber reads publication data as JSON text: buffered ones go in full.
      this.sink.write(session, new DeltaForms(b.frame).full);
      ch.delta!.subs.set(session, b.offset ?? -1);
    }
  }

  /** Removes a subscription, set up or active. */
  remove(channel: string, session: Session): void {
    const ch = this.channels.get(channel);
    if (!ch) return;
    ch.pending.delete(session);
    if (ch.active.delete(session)) this.subscriptions--;
    ch.ahead?.delete(session);
    if (ch.filters?.delete(session) && ch.filters.size === 0) ch.filters = undefined;
    if (ch.delta?.subs.delete(session) && ch.delta.subs.size === 0) ch.delta = undefined;
    if (ch.active.size === 0 && ch.pending.size === 0) this.channels.delete(channel);
  }

  /** Delivers one batch item from the supervisor. */
  deliver(item: Delivery): void {
    const ch = this.channels.get(item.channel);
    if (!ch) return;
    if (item.kind !== 'pub') {
      for (const buf of ch.pending.values()) buf.push({ frame: item.frame, join: true });
      for (const s of ch.active) {
        if ((s.subs.get(item.channel) ?? 0) & Sub.pushJoinLeave) this.sink.write(s, item.frame);
      }
      return;
    }
    if (ch.filters !== undefined || ch.delta !== undefined) return this.deliverSpecial(ch, item);
    for (const buf of ch.pending.values()) buf.push({ frame: item.frame, offset: item.offset });
    if (item.offset !== undefined && !this.advance(item.channel, ch, item.offset, item.epoch ?? '')) return;
    const ahead = ch.ahead;
    if (ahead === undefined || item.offset === undefined) {
      for (const s of ch.active) this.sink.write(s, item.frame);
      return;
    }
    for (const s of ch.active) {
      const upTo = ahead.get(s);
      if (upTo === undefined || item.offset > upTo) this.sink.write(s, item.frame);
    }
    this.reachedAhead(ch, item.offset);
  }

  /**
   * `deliver` of a publication to a channel with filtered or delta subscribers: the same steps,
   * except that a subscriber whose filter refuses it is sent nothing (the offsets move as for
   * everyone), and a delta subscriber gets the data as JSON text — as a fossil delta when the
   * publication asks for one and the subscriber holds the one just before it.
   */
  private deliverSpecial(ch: LocalChannel, item: Delivery & { kind: 'pub' }): void {
    const { offset, tags } = item;
    const epoch = item.epoch ?? '';
    const filters = ch.filters;
    for (const [s, buf] of ch.pending) {
      buf.push(filters === undefined || passes(filters, s, tags) ? { frame: item.frame, offset } : { frame: item.frame, offset, filteredOut: true });
    }
    if (offset !== undefined && !this.advance(item.channel, ch, offset, epoch)) return;
    const delta = ch.delta;
    const forms = delta === undefined ? undefined : new DeltaForms(item.frame);
    const last = delta?.last;
    const deltaBase = item.delta === true && offset !== undefined && last !== undefined && last.epoch === epoch && last.offset === offset - 1 ? last : undefined;
    let deltaFrame: string | undefined;
    const ahead = offset === undefined ? undefined : ch.ahead;
    for (const s of ch.active) {
      const upTo = ahead?.get(s);
      if (upTo !== undefined && offset !== undefined && offset <= upTo) continue;
      if (filters !== undefined && !passes(filters, s, tags)) continue;
      const base = delta?.subs.get(s);
      if (base === undefined) {
        this.sink.write(s, item.frame);
        continue;
      }
      if (deltaBase !== undefined && base === deltaBase.offset) this.sink.write(s, (deltaFrame ??= forms!.deltaFrom(deltaBase.text)));
      else this.sink.write(s, forms!.full);
      delta!.subs.set(s, offset ?? -1);
    }
    // Only publications with an offset can be a base (deltas need positioning).
    if (delta !== undefined) delta.last = offset === undefined ? undefined : { offset, epoch, text: forms!.text };
    if (offset !== undefined) this.reachedAhead(ch, offset);
  }

  /** Channels with a known position, for the periodic check against the broker. */
  positions(): Map<string, { offset: number; epoch: string }> {
    const out = new Map<string, { offset: number; epoch: string }>();
    for (const [name, ch] of this.channels) {
      if (ch.offset !== undefined && ch.epoch !== undefined) out.set(name, { offset: ch.offset, epoch: ch.epoch });
    }
    return out;
  }

  /**
   * The broker's position after a known break in delivery (a healed partition, a pub/sub connection
   * that dropped): if it is ahead of what this node saw, its positioned subscribers recover.
   */
  reconcile(channel: string, broker: { offset: number; epoch: string }): void {
    const ch = this.channels.get(channel);
    if (!ch || ch.offset === undefined) return;
    ch.behind = undefined;
    if (reached(ch, broker)) return;
    this.observePosition(channel, ch, broker);
  }

  /**
   * The periodic check against the broker, which catches a lost tail (no later publication shows
   * the gap). The stream records a publication before it travels to the nodes (with Redis, on
   * another connection), so a broker ahead may only mean some are on their way: the positioned
   * subscribers recover when the node has still not reached, at the next check, the position the
   * broker had at this one.
   */
  check(channel: string, broker: { offset: number; epoch: string }): void {
    const ch = this.channels.get(channel);
    if (!ch || ch.offset === undefined) return;
    const prior = ch.behind;
    ch.behind = undefined;
    if (prior && !reached(ch, prior)) return this.observePosition(channel, ch, broker);
    if (!reached(ch, broker)) ch.behind = { offset: broker.offset, epoch: broker.epoch };
  }

  /** Answers whether the publication is new (not a duplicate); a gap or a new epoch loses the positioned subscribers. */
  private advance(channel: string, ch: LocalChannel, offset: number, epoch: string): boolean {
    if (ch.offset === undefined || ch.epoch !== epoch) {
      const reset = ch.epoch !== undefined && ch.epoch !== epoch;
      ch.offset = offset;
      ch.epoch = epoch;
      ch.ahead = undefined;
      if (reset) this.loseAll(channel, ch);
      // A new stream is still news for unpositioned subscribers; the positioned ones were just lost.
      return true;
    }
    if (offset <= ch.offset) return false;
    const gap = offset > ch.offset + 1;
    ch.offset = offset;
    // A subscriber whose reply already covered the missing ones has lost nothing.
    if (gap) this.loseAll(channel, ch, offset - 1);
    return true;
  }

  /**
   * A subscriber's reply stood for `position`. Another epoch: the stream was reset, the others
   * missed it. Ahead in the same epoch: the publications between are on their way to the node (a gap
   * among them, or a tail that never comes, is found as any other: by the offsets, by the check).
   */
  private observeJoin(channel: string, ch: LocalChannel, session: Session, position: { offset: number; epoch: string }): void {
    if (ch.offset !== undefined && ch.epoch === position.epoch) {
      if (position.offset > ch.offset) (ch.ahead ??= new Map()).set(session, position.offset);
      return;
    }
    this.observePosition(channel, ch, position);
  }

  /** The broker is at `position`: if that is ahead of this node's view, the others missed something. */
  private observePosition(channel: string, ch: LocalChannel, position: { offset: number; epoch: string }): void {
    if (ch.offset === undefined || ch.epoch === undefined) {
      ch.offset = position.offset;
      ch.epoch = position.epoch;
      return;
    }
    if (ch.epoch === position.epoch && position.offset <= ch.offset) return;
    const sameEpoch = ch.epoch === position.epoch;
    ch.offset = position.offset;
    ch.epoch = position.epoch;
    this.loseAll(channel, ch, sameEpoch ? position.offset : Infinity);
    if (!sameEpoch) ch.ahead = undefined;
    else this.reachedAhead(ch, position.offset);
  }

  /** Forgets the marks of subscribers the node's view has now reached. */
  private reachedAhead(ch: LocalChannel, offset: number): void {
    const ahead = ch.ahead;
    if (ahead === undefined) return;
    for (const [s, upTo] of ahead) if (upTo <= offset) ahead.delete(s);
    if (ahead.size === 0) ch.ahead = undefined;
  }

  /** Every positioned subscriber is lost, except those whose reply stood for `coveredUpTo` or later. */
  private loseAll(channel: string, ch: LocalChannel, coveredUpTo = Infinity): void {
    const lost: Session[] = [];
    for (const s of ch.active) {
      if (((s.subs.get(channel) ?? 0) & Sub.positioned) && !((ch.ahead?.get(s) ?? -1) >= coveredUpTo)) lost.push(s);
    }
    if (lost.length > 0) this.sink.lost(channel, lost);
  }
}

/** True when the session has no tags filter for the channel, or its filter passes `tags`. */
function passes(filters: Map<Session, TagsFilter>, s: Session, tags: Record<string, string> | undefined): boolean {
  const filter = filters.get(s);
  return filter === undefined || matches(filter, tags);
}

/** The node's view of a channel is at or past `position` (same epoch). */
function reached(ch: LocalChannel, position: { offset: number; epoch: string }): boolean {
  return ch.epoch === position.epoch && ch.offset !== undefined && ch.offset >= position.offset;
}
