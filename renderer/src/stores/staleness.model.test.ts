import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeSnapshot, NodeState } from '../../../shared/admin/admin-model.js';
import { actionTitle, isSilent, silentTitle, STALE_AFTER_MS, stalenessOf, trackSilent } from './staleness.model.js';

const node = (id: string, state: NodeState): NodeSnapshot => ({
  id, pid: 42, state, uptimeMs: 5000, restarts: 0, connections: 0, users: 0, subscriptions: 0,
  messagesInPerSec: 0, messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 0, rss: 0, heapUsed: 0,
  loopDelayP50Ms: 0, loopDelayP99Ms: 0,
});

describe('staleness', () => {
  it('is fresh while connected with a recent snapshot', () => {
    const s = stalenessOf('connected', 10_000, 10_000 + STALE_AFTER_MS);
    assert.deepEqual(s, { stale: false, reason: null, ageS: 2, blocked: null, label: null });
  });

  it('is fresh while connected before the first snapshot', () => {
    assert.equal(stalenessOf('connected', 0, 5000).stale, false);
  });

  it('goes stale when the snapshot is older than 2 s, even while connected', () => {
    const s = stalenessOf('connected', 10_000, 10_000 + STALE_AFTER_MS + 1);
    assert.equal(s.stale, true);
    assert.equal(s.reason, 'old');
    assert.equal(s.label, 'No update · last seen 2 s ago');
    assert.match(s.blocked ?? '', /No snapshot from the cluster for over 2 s/);
  });

  it('is stale with actions blocked whenever the link is not connected', () => {
    for (const link of ['idle', 'connecting', 'reconnecting', 'token-refused', 'no-token'] as const) {
      const s = stalenessOf(link, 10_000, 10_400);
      assert.equal(s.stale, true, link);
      assert.equal(s.reason, 'disconnected', link);
      assert.equal(s.blocked, 'The console is disconnected from the cluster', link);
    }
  });

  it('says how long ago the last snapshot arrived, in whole seconds', () => {
    assert.equal(stalenessOf('reconnecting', 10_000, 17_900).label, 'Disconnected · last seen 7 s ago');
    assert.equal(stalenessOf('connecting', 0, 17_900).label, null); // nothing to date before the first snapshot
    assert.equal(stalenessOf('connecting', 0, 17_900).blocked, 'The console is disconnected from the cluster');
    assert.equal(stalenessOf('reconnecting', 10_000, 9_000).ageS, 0); // a clock step back is not a negative age
  });

  it('puts the block reason before the button\'s own title', () => {
    assert.equal(actionTitle('down', 'Kill node-1'), 'down');
    assert.equal(actionTitle(null, 'Kill node-1'), 'Kill node-1');
    assert.equal(actionTitle(null), undefined);
  });
});

describe('silent nodes', () => {
  it('counts hung and unhealthy as silent', () => {
    assert.deepEqual(['starting', 'healthy', 'unhealthy', 'hung', 'partitioned', 'down', 'restarting'].filter((s) => isSilent(s as NodeState)),
      ['unhealthy', 'hung']);
  });

  it('remembers when a node went silent and forgets it once it reports again', () => {
    const a = trackSilent({}, [node('node-1', 'healthy'), node('node-2', 'hung')], 1000);
    assert.deepEqual(a, { 'node-2': 1000 });
    const b = trackSilent(a, [node('node-1', 'unhealthy'), node('node-2', 'hung')], 2000);
    assert.deepEqual(b, { 'node-1': 2000, 'node-2': 1000 });
    const c = trackSilent(b, [node('node-1', 'unhealthy'), node('node-2', 'healthy')], 3000);
    assert.deepEqual(c, { 'node-1': 2000 });
    assert.deepEqual(trackSilent(c, [node('node-2', 'healthy')], 4000), {}); // node-1 removed
  });

  it('returns the same object when nothing changed', () => {
    const a = trackSilent({}, [node('node-2', 'hung')], 1000);
    assert.equal(trackSilent(a, [node('node-2', 'hung')], 2000), a);
    const none = {};
    assert.equal(trackSilent(none, [node('node-1', 'healthy')], 2000), none);
  });

  it('titles the unknown rates with the silence so far', () => {
    assert.equal(silentTitle(1000, 8500), 'no report for 7 s');
    assert.equal(silentTitle(undefined, 8500), 'no report for 0 s');
  });
});
