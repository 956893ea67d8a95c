import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CHANNEL_OPTIONS } from './channel-options.js';
import { parseOverride, withOverride } from './subscription-override.js';

describe('subscription overrides', () => {
  it('reads each overridable option from its {"value": bool} form', () => {
    assert.deepEqual(parseOverride({
      presence: { value: true }, join_leave: { value: false }, force_push_join_leave: { value: true },
      force_positioning: { value: true }, force_recovery: { value: false },
    }), { ok: true, value: { presence: true, joinLeave: false, forcePushJoinLeave: true, forcePositioning: true, forceRecovery: false } });
  });

  it('reads no override from nothing, null or an empty object', () => {
    for (const raw of [undefined, null, {}, { presence: null }]) assert.deepEqual(parseOverride(raw), { ok: true, value: undefined });
  });

  it('refuses options an override cannot change and values not in {"value": bool} form', () => {
    assert.deepEqual(parseOverride([]), { ok: false, error: 'override must be an object' });
    assert.match((parseOverride({ history_size: { value: 1 } }) as { error: string }).error, /^override\.history_size is not an option an override can change/);
    assert.deepEqual(parseOverride({ presence: true }), { ok: false, error: 'override.presence must be {"value": true|false}' });
    assert.deepEqual(parseOverride({ presence: { value: 'yes' } }), { ok: false, error: 'override.presence must be {"value": true|false}' });
  });

  it('applies an override over the namespace options and leaves them alone without one', () => {
    const base = { ...DEFAULT_CHANNEL_OPTIONS, presence: true };
    assert.equal(withOverride(base, undefined), base);
    const over = withOverride(base, { presence: false, joinLeave: true });
    assert.deepEqual([over.presence, over.joinLeave, base.presence], [false, true, true]);
  });
});
