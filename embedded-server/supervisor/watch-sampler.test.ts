import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WatchSampler } from './watch-sampler.js';

/** Offers `count` publications evenly over `ms` from `start`; answers how many were let through. */
function offerEvenly(s: WatchSampler, start: number, ms: number, count: number): number {
  let sent = 0;
  for (let i = 0; i < count; i++) if (s.offer(start + (i * ms) / count)) sent++;
  return sent;
}

describe('watch sampler', () => {
  it('lets every publication through while the channel stays under the rate', () => {
    const s = new WatchSampler(100, 20, 0);
    assert.equal(offerEvenly(s, 0, 1000, 50), 50);
    assert.deepEqual(s.take(1000), { ms: 1000, publications: 50, sent: 50, limitPerSec: 100 });
  });

  it('sends about the rate per second at 1,000 a second, spread over the second, and counts all', () => {
    const s = new WatchSampler(100, 20, 0);
    const sentAt: number[] = [];
    for (let i = 0; i < 1000; i++) if (s.offer(i)) sentAt.push(i);
    const counts = s.take(1000);
    assert.equal(counts?.publications, 1000);
    assert.equal(counts?.sent, sentAt.length);
    assert.ok(sentAt.length >= 100 && sentAt.length <= 120, `sent ${sentAt.length}`);
    // After the burst, the sent ones are about 10 ms apart, not the first 100 of the second.
    assert.ok(sentAt.some((t) => t > 900), 'some sent in the last tenth of the second');
  });

  it('counts each interval on its own and answers null for an interval without publications', () => {
    const s = new WatchSampler(100, 20, 0);
    // 30 in 100 ms: the burst of 20 plus about 10 refilled, so one or more is left out.
    offerEvenly(s, 0, 100, 30);
    const first = s.take(100);
    assert.deepEqual([first?.publications, first?.ms], [30, 100]);
    assert.ok(first !== null && first.sent >= 20 && first.sent < 30, `sent ${first?.sent}`);
    assert.equal(s.take(250), null);
    s.offer(300);
    assert.deepEqual(s.take(400), { ms: 150, publications: 1, sent: 1, limitPerSec: 100 });
  });

  it('refills its burst after a quiet spell but never beyond it', () => {
    const s = new WatchSampler(100, 5, 0);
    assert.equal(offerEvenly(s, 0, 1, 10), 5);
    assert.equal(offerEvenly(s, 60_000, 1, 10), 5);
  });
});
