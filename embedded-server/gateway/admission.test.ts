import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAdmission } from './admission.js';

const T = 1_700_000_000_000;

describe('gateway connect-rate admission', () => {
  it('admits a second\'s worth at once, then refuses with Retry-After and a reason naming the setting', () => {
    const a = createAdmission({ connectionRateLimit: 5, connectionRateLimitPerIp: 0 });
    const verdicts = Array.from({ length: 6 }, (_, i) => a.admit(`10.0.0.${i}`, T));
    assert.deepEqual(verdicts.slice(0, 5), [null, null, null, null, null]);
    assert.equal(verdicts[5]?.retryAfterS, 1);
    assert.match(verdicts[5]!.reason, /client\.connection_rate_limit: 5\/s/);
  });

  it('refills at the rate: one more admission after a fifth of a second at 5/s', () => {
    const a = createAdmission({ connectionRateLimit: 5, connectionRateLimitPerIp: 0 });
    for (let i = 0; i < 5; i++) a.admit('10.0.0.1', T);
    assert.notEqual(a.admit('10.0.0.1', T + 100), null);
    assert.equal(a.admit('10.0.0.1', T + 200), null);
    assert.notEqual(a.admit('10.0.0.1', T + 200), null);
  });

  it('limits each address on its own: one address at its rate leaves others admitted', () => {
    const a = createAdmission({ connectionRateLimit: 0, connectionRateLimitPerIp: 2 });
    assert.equal(a.admit('127.0.0.2', T), null);
    assert.equal(a.admit('127.0.0.2', T), null);
    const refused = a.admit('127.0.0.2', T);
    assert.match(refused?.reason ?? '', /from 127\.0\.0\.2 \(client\.connection_rate_limit_per_ip: 2\/s\)/);
    assert.equal(a.admit('127.0.0.1', T), null);
  });

  it('spends no global token on a connect the per-address limit refused', () => {
    const a = createAdmission({ connectionRateLimit: 3, connectionRateLimitPerIp: 1 });
    assert.equal(a.admit('127.0.0.2', T), null);
    for (let i = 0; i < 10; i++) assert.notEqual(a.admit('127.0.0.2', T), null);
    assert.equal(a.admit('127.0.0.3', T), null);
    assert.equal(a.admit('127.0.0.4', T), null);
    assert.notEqual(a.admit('127.0.0.5', T), null);
  });

  it('forgets addresses whose bucket refilled, so 10,000 one-off addresses leave nothing behind', () => {
    const a = createAdmission({ connectionRateLimit: 0, connectionRateLimitPerIp: 10 });
    for (let i = 0; i < 10_000; i++) a.admit(`10.${(i >> 8) & 255}.${i & 255}.1`, T);
    assert.equal(a.trackedAddresses, 10_000);
    a.admit('10.255.255.1', T + 1500);
    assert.equal(a.trackedAddresses, 1);
  });

  it('admits everything with both rates at 0', () => {
    const a = createAdmission({ connectionRateLimit: 0, connectionRateLimitPerIp: 0 });
    for (let i = 0; i < 100_000; i++) assert.equal(a.admit('127.0.0.1', T), null);
    assert.equal(a.trackedAddresses, 0);
  });
});
