/**
 * Per-subscription overrides of namespace options (Centrifugo's `override`): from a connection
 * token's `subs` claim, a subscription token, or a connect / subscribe proxy result. Each field is
 * `{"value": bool}`; an absent field keeps the namespace's option.
 */
import type { Result } from '../result.js';
import { err, ok } from '../result.js';
import type { ChannelOptions } from './channel-options.js';

/** The namespace options an override may change, by their Centrifugo names. */
const OVERRIDABLE = {
  presence: 'presence',
  join_leave: 'joinLeave',
  force_push_join_leave: 'forcePushJoinLeave',
  force_positioning: 'forcePositioning',
  force_recovery: 'forceRecovery',
} as const satisfies Record<string, keyof ChannelOptions>;

export type SubscriptionOverride = Partial<Pick<ChannelOptions, (typeof OVERRIDABLE)[keyof typeof OVERRIDABLE]>>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads an `override` object; undefined or null is no override; anything malformed is a reason. */
export function parseOverride(raw: unknown): Result<SubscriptionOverride | undefined, string> {
  if (raw === undefined || raw === null) return ok(undefined);
  if (!isObject(raw)) return err('override must be an object');
  const out: SubscriptionOverride = {};
  for (const [key, wrapped] of Object.entries(raw)) {
    const option = (OVERRIDABLE as Record<string, keyof SubscriptionOverride>)[key];
    if (option === undefined) return err(`override.${key} is not an option an override can change (${Object.keys(OVERRIDABLE).join(', ')})`);
    if (wrapped === null || wrapped === undefined) continue;
    if (!isObject(wrapped) || typeof wrapped.value !== 'boolean') return err(`override.${key} must be {"value": true|false}`);
    out[option] = wrapped.value;
  }
  return ok(Object.keys(out).length === 0 ? undefined : out);
}

/** The namespace's options with the override applied (the same object when there is none). */
export function withOverride(options: ChannelOptions, override: SubscriptionOverride | undefined): ChannelOptions {
  return override === undefined ? options : { ...options, ...override };
}
