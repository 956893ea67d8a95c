/** The chaos soak's parts on their own: the seeded schedule, the console check, the death ledger, the verdict. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdminEvent } from '../../shared/admin/admin-model.js';
import { ConsoleCheck } from './console-check.js';
import { DeathWatch } from './death-watch.js';
import { FAULT_SECONDS, FAULT_KINDS, STEP_GAP_MS, buildSchedule, chaosSeed } from './schedule.js';
import type { FleetOutcome, SoakReport } from './soak-report.js';
import { verdict } from './soak-report.js';
import { emptySimulatorCounts } from '../../shared/admin/simulator-model.js';
import type { SimulatorCounts } from '../../shared/admin/simulator-model.js';

describe('the chaos schedule', () => {
  it('is the same list of steps for the same seed, and a different one for another seed', () => {
    assert.deepEqual(buildSchedule(42, 300_000), buildSchedule(42, 300_000));
    assert.notDeepEqual(buildSchedule(42, 300_000), buildSchedule(43, 300_000));
  });

  it('spaces steps 2–10 s apart, ends before the duration, and times hangs and partitions 1–5 s', () => {
    const steps = buildSchedule(7, 300_000);
    let last = 0;
    for (const s of steps) {
      assert.ok(s.atMs - last >= STEP_GAP_MS.min && s.atMs - last <= STEP_GAP_MS.max, `gap ${s.atMs - last}`);
      assert.ok(s.atMs < 300_000);
      last = s.atMs;
      for (const f of s.faults.filter((x) => x.kind === 'hang' || x.kind === 'partition')) {
        assert.ok(f.seconds! >= FAULT_SECONDS.min && f.seconds! <= FAULT_SECONDS.max);
      }
    }
  });

  it('draws every kind of fault and some steps with two faults at once over five minutes', () => {
    const steps = buildSchedule(7, 300_000);
    const kinds = new Set(steps.flatMap((s) => s.faults.map((f) => f.kind)));
    assert.deepEqual([...kinds].sort(), ['add', 'drop', 'hang', 'kill', 'partition', 'remove', 'restart']);
    assert.ok(steps.some((s) => s.faults.length === 2 && s.faults[0]!.target !== s.faults[1]!.target));
  });

  it('takes CHAOS_SEED from the environment and refuses one that is not a whole number', () => {
    assert.equal(chaosSeed({ CHAOS_SEED: '1234' }), 1234);
    assert.throws(() => chaosSeed({ CHAOS_SEED: '12ab' }), /CHAOS_SEED must be a whole number/);
  });
});

describe('the console check', () => {
  const pair = (fleet: number, console: number) => ({ connections: { fleet, console }, subscriptions: { fleet: 0, console: 0 } });

  it('allows the console to trail a fleet figure that keeps changing', () => {
    const check = new ConsoleCheck(0);
    for (let t = 1; t <= 6; t++) check.sample(t * 1000, pair(10 * t, 10 * (t - 1)));
    check.sample(7000, pair(60, 60));
    assert.equal(check.violations.length, 0);
    assert.equal(check.longestMs, 6000);
  });

  it('allows a console that catches up within 2 s of the fleet\'s change', () => {
    const check = new ConsoleCheck(0);
    check.sample(1000, pair(10, 10));
    check.sample(2000, pair(12, 10));
    check.sample(3000, pair(12, 11));
    check.sample(4000, pair(12, 12));
    assert.equal(check.violations.length, 0);
  });

  it('flags a console that still differs more than 2 s after the fleet\'s figure last changed, once, with how long', () => {
    const check = new ConsoleCheck(0);
    check.sample(1000, pair(12, 10));
    check.sample(2000, pair(12, 10));
    check.sample(3000, pair(12, 10));
    check.sample(3500, pair(12, 10));
    check.sample(4500, pair(12, 10));
    check.sample(5500, pair(12, 12));
    assert.equal(check.violations.length, 1);
    const { trail, ...v } = check.violations[0]!;
    assert.deepEqual(v, { figure: 'connections', sinceMs: 1000, forMs: 4500, fleet: 12, console: 10 });
    assert.equal(trail.length, 5, 'the samples up to the flag, then each while it lasted');
  });
});

describe('the death ledger', () => {
  const down = (seq: number, node: string): AdminEvent => ({ seq, at: 1000 + seq, type: 'node.down', node, code: null, signal: 'SIGKILL' });

  it('accounts a node end to a kill, restart or remove of that node, and names any beyond them', () => {
    const watch = new DeathWatch(0);
    watch.consume([down(1, 'node-1'), down(2, 'node-2'), down(3, 'node-2')]);
    const deaths = watch.uninjected(new Map([['node-1', 1], ['node-2', 1]]));
    assert.equal(deaths.length, 1);
    assert.match(deaths[0]!.what, /node-2 went down \(SIGKILL\) with no kill, restart or remove/);
  });

  it('names a node the supervisor replaced as unresponsive, which no fault asked for', () => {
    const watch = new DeathWatch(0);
    watch.consume([{ seq: 1, at: 2000, type: 'node.unresponsive', node: 'node-3', pid: 99, silentMs: 10_400 }]);
    assert.match(watch.uninjected(new Map())[0]!.what, /node-3 \(pid 99\) replaced as unresponsive/);
  });
});

/** A passing report of one chat fleet of 10 bots in 1 room whose channel holds 50 publications; `counts` alters it. */
function report(counts: Partial<SimulatorCounts> = {}, tops = 50): SoakReport {
  const fleet: FleetOutcome = {
    profile: 'chat',
    params: { profile: 'chat', clients: 10, channels: 1, rate: 1, rampSeconds: 0, durationSeconds: 10 },
    final: { id: 'x', params: { profile: 'chat', clients: 10, channels: 1, rate: 1, rampSeconds: 0, durationSeconds: 10 }, state: 'finished', startedAt: 0, elapsedMs: 0, pids: [], counts: { ...emptySimulatorCounts(), sent: 50, received: 500, ...counts } },
    tops: { channels: 1, publications: tops, owed: tops * 10 },
    allSubscribedBeforePublishing: true,
  };
  return {
    seed: 1, minutes: 1, bots: 10, steps: 0, injections: [], fleets: [fleet],
    faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, { injected: 0, refused: 0, skipped: 0 }])) as SoakReport['faults'],
    console: { samples: 60, mismatchedSamples: 0, longestMismatchMs: 0, violations: [] },
    deaths: [], nodeEnds: 0, nodesAtOnce: { down: 0, notHealthy: 0 }, startedNodePids: [], healedAfterMs: 0, notRecoveredWhy: {},
    supervisor: { pid: 1, rssStart: 0, rssEnd: 0, rssMax: 0, ringStart: 0, ringEnd: 100 },
  };
}

describe('the soak verdict', () => {
  it('passes when every bot got every publication its channel holds once, in order', () => {
    assert.deepEqual(verdict(report()), []);
  });

  it('fails on a hole, a duplicate or a reordering the bots counted', () => {
    assert.match(verdict(report({ lost: 1 })).join(), /1 publications lost/);
    assert.match(verdict(report({ duplicated: 2 })).join(), /2 publications delivered twice/);
    assert.match(verdict(report({ outOfOrder: 3 })).join(), /3 publications delivered out of order/);
  });

  it('fails when the bots got fewer publications than the channel\'s top owes (a silent hole at the end)', () => {
    assert.match(verdict(report({}, 51)).join(), /the chat bots got 500 distinct publications; the channels' tops owe 510/);
  });

  it('fails when a publication the publisher saw accepted is not in its channel', () => {
    assert.match(verdict(report({ sent: 51 })).join(), /had 51 publications accepted but the channels hold 50/);
  });

  it('fails when a bot gave up, or the cluster did not heal', () => {
    assert.match(verdict(report({ refused: 1 })).join(), /1 bots were refused or given up/);
    assert.match(verdict({ ...report(), healedAfterMs: null }).join(), /did not heal/);
  });
});

