/**
 * What a bot makes of what it is sent: a subscribe reply positions (or recovers) a subscription's
 * stream, and a publication is counted, checked against the stream and timed (PROTOCOL.md §6).
 */
import type { Publication, SubscribeResult } from '../../shared/protocol/client-protocol.js';
import { sentAtOf } from './bot-frames.js';
import type { LatencyHistogram } from './latency-histogram.js';
import type { BotTallies } from './sim-ipc.js';
import { StreamTracker } from './stream-tracker.js';

/** One subscription of a bot; the tracker is null on channels without offsets (typing). */
export interface BotSub {
  readonly channel: string;
  readonly tracker: StreamTracker | null;
  readonly joinLeave: boolean;
  state: 'idle' | 'subscribing' | 'subscribed' | 'ended';
}

/** A subscription; with `tallies` its stream is tracked (offsets), without it only counted (typing). */
export function botSub(channel: string, tallies: BotTallies | null, joinLeave = false): BotSub {
  return { channel, tracker: tallies ? new StreamTracker(tallies) : null, joinLeave, state: 'idle' };
}

/**
 * A successful subscribe reply: a fresh subscription starts from the stream top; a resubscribe
 * with a position either recovered (the replayed publications count like live ones) or did not
 * (the gap up to the top is lost).
 */
export function applySubscribeReply(tallies: BotTallies, sub: BotSub, recovering: boolean, res: SubscribeResult): void {
  const t = sub.tracker;
  if (t === null) return;
  const offset = res.offset ?? 0;
  const epoch = res.epoch ?? '';
  if (!recovering) return t.start(offset, epoch);
  if (res.recovered !== true) {
    tallies.notRecovered++;
    return t.notRecovered(offset, epoch);
  }
  tallies.recovered++;
  t.recovered(epoch);
  for (const pub of res.publications ?? []) {
    if (pub.offset === undefined) tallies.received++;
    else t.observe(pub.offset);
  }
}

/** A live publication on a subscribed channel; `nowMicros` is the receive time for the latency. */
export function applyPublication(tallies: BotTallies, latency: LatencyHistogram, sub: BotSub, pub: Publication, nowMicros: number): void {
  if (sub.tracker === null) {
    tallies.typingReceived++;
    return;
  }
  if (pub.offset === undefined) tallies.received++;
  else if (sub.tracker.observe(pub.offset) === 'duplicate') return;
  const sentAt = sentAtOf(pub.data);
  if (sentAt !== undefined) latency.record(nowMicros - sentAt);
}
