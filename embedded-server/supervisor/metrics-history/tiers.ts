/**
 * Which tier answers a range, at which step (pure): the finest tier that still keeps the range's
 * start, its step multiplied up until at most `maxPoints` steps fit in the range.
 */
import type { HistoryTier } from '../../../shared/admin/metrics-history-model.js';
import { HISTORY_TIERS } from '../../../shared/admin/metrics-history-model.js';

export interface TierChoice {
  tier: HistoryTier;
  /** The answer's step: the tier's step, or a whole multiple of it. */
  stepMs: number;
}

/**
 * A range may start this much before a tier's retention and still be that tier's: "the last hour"
 * asked by a console reaches the server a moment later, and the 1 s tier keeps whole 10-minute
 * segments, so its oldest minute is still there.
 */
const SLACK_MS = 60_000;

export function chooseTier(from: number, to: number, now: number, maxPoints: number, tiers: readonly HistoryTier[] = HISTORY_TIERS): TierChoice {
  const tier = tiers.find((t) => from >= now - t.retentionMs - SLACK_MS) ?? tiers[tiers.length - 1]!;
  const steps = Math.ceil(Math.max(0, to - from) / tier.stepMs);
  const factor = Math.max(1, Math.ceil(steps / maxPoints));
  return { tier, stepMs: tier.stepMs * factor };
}

/** The start of the block (segment file) holding `at`. */
export const blockOf = (at: number, blockMs: number): number => Math.floor(at / blockMs) * blockMs;

/** The start of the step holding `at`. */
export const stepOf = (at: number, stepMs: number): number => Math.floor(at / stepMs) * stepMs;
