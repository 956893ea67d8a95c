import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from './duration.js';

const ms = (input: string | number): number => {
  const parsed = parseDuration(input);
  assert.ok(parsed.ok, `expected ${String(input)} to parse`);
  return parsed.value;
};

describe('parseDuration', () => {
  it('reads the Centrifugo units s, m, h and ms', () => {
    assert.equal(ms('300s'), 300_000);
    assert.equal(ms('5m'), 300_000);
    assert.equal(ms('1h'), 3_600_000);
    assert.equal(ms('25s'), 25_000);
    assert.equal(ms('500ms'), 500);
    assert.equal(ms('720h'), 720 * 3_600_000);
  });

  it('adds up compound durations like 1h30m and 1m30.5s', () => {
    assert.equal(ms('1h30m'), 5_400_000);
    assert.equal(ms('1m30.5s'), 90_500);
  });

  it('accepts fractions and sub-millisecond units, rounding to whole milliseconds', () => {
    assert.equal(ms('1.5h'), 5_400_000);
    assert.equal(ms('1500us'), 2);
    assert.equal(ms('100ns'), 0);
  });

  it('treats a plain number, or a digits-only string, as seconds', () => {
    assert.equal(ms(30), 30_000);
    assert.equal(ms(0.25), 250);
    assert.equal(ms('30'), 30_000);
    assert.equal(ms('0'), 0);
  });

  it('rejects a missing unit, an unknown unit and garbage with a hint at the syntax', () => {
    for (const bad of ['5 m', '1d', 'soon', '1h30', 's', '']) {
      const parsed = parseDuration(bad);
      assert.equal(parsed.ok, false, `"${bad}" should be rejected`);
      if (!parsed.ok) assert.match(parsed.error, /duration/);
    }
  });

  it('rejects negative durations', () => {
    assert.equal(parseDuration('-5s').ok, false);
    assert.equal(parseDuration(-1).ok, false);
  });
});

describe('formatDuration', () => {
  it('writes milliseconds back in the same syntax', () => {
    assert.equal(formatDuration(300_000), '5m');
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(1500), '1.5s');
    assert.equal(formatDuration(250), '250ms');
    assert.equal(formatDuration(0), '0s');
  });
});
