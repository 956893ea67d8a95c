import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ProxyHealth } from '../../../shared/admin/admin-model.js';
import { fmtLatencyBound, fmtShare, proxyRows } from './proxies.model.js';

const health = (over: Partial<ProxyHealth> = {}): ProxyHealth => ({
  name: 'rpc.proxy', endpoint: 'http://127.0.0.1:3000/rpc', callsPerSec: 0, failuresPerSec: 0, failureShare: null, p99: null, calls: 0, failures: 0, ...over,
});

describe('proxy rows', () => {
  it('shows a proxy without calls as 0/s, and "—" for its error share and p99', () => {
    assert.deepEqual(proxyRows([health()]), [{
      name: 'rpc.proxy', endpoint: 'http://127.0.0.1:3000/rpc', calls: '0/s', errors: '0/s', share: '—', p99: '—', totalCalls: '0 calls', totalFailed: '0 failed', failing: false,
    }]);
  });

  it('shows rates, the failure share, the p99 bucket bound and the totals of a busy proxy', () => {
    const [row] = proxyRows([health({ callsPerSec: 1250, failuresPerSec: 2.5, failureShare: 0.002, p99: { le: 50 }, calls: 12_345, failures: 21 })]);
    assert.equal(row!.calls, '1,250/s');
    assert.equal(row!.errors, '2.5/s');
    assert.equal(row!.share, '0.2%');
    assert.equal(row!.p99, '≤\u00a050\u00a0ms');
    assert.equal(row!.totalCalls, '12,345 calls');
    assert.equal(row!.totalFailed, '21 failed');
    assert.equal(row!.failing, true);
  });

  it('says a p99 in the last bucket is slower than its bound', () => {
    assert.equal(fmtLatencyBound({ gt: 5000 }), '>\u00a05,000\u00a0ms');
  });

  it('never rounds a share of some failures down to 0%', () => {
    assert.equal(fmtShare(0), '0%');
    assert.equal(fmtShare(0.0004), '<0.1%');
    assert.equal(fmtShare(0.0667), '6.7%');
    assert.equal(fmtShare(0.5), '50%');
    assert.equal(fmtShare(1), '100%');
  });
});
