/**
 * The short chaos soak (issue 11 §1) in `npm test`: 60 s of seeded faults — kill, hang, partition,
 * drop, restart, add, remove — through the admin API against `switchboard serve` with 3 nodes and
 * a mixed fleet of 120 simulator bots (chat publishing over the protocol, feed through the HTTP
 * API). `npm run chaos` runs the long one (test/chaos/run.ts). The seed is fixed so a failure here
 * reruns as `CHAOS_SEED=20261214 CHAOS_MINUTES=1 CHAOS_BOTS=120 npm run chaos`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { processAlive } from './support/serve-process.js';
import { runSoak } from './chaos/soak.js';
import { describe as describeReport, totals, verdict } from './chaos/soak-report.js';

/** Its 60 s schedule has every kind of fault, two kills at once, a kill during a hang, a drop with a remove. */
const SEED = 20261214;

describe('the chaos soak', () => {
  it('loses, duplicates and reorders nothing through 60 s of overlapping faults, and the console counts what the fleet counts', { timeout: 240_000 }, async (t) => {
    const report = await runSoak({ seed: SEED, durationMs: 60_000, bots: 120 });
    const text = describeReport(report);
    t.diagnostic(text);
    assert.deepEqual(verdict(report), [], text);

    const sums = totals(report);
    assert.ok(sums.publications > 0 && sums.received === sums.owed, text);
    const injected = Object.entries(report.faults).filter(([, k]) => k.injected > 0).map(([kind]) => kind);
    assert.ok(injected.length >= 5, `faults of at least five kinds were injected (${injected.join(', ')})`);
    assert.ok(report.nodeEnds > 0, 'node processes were ended by the faults');
    assert.ok(report.console.samples >= 60, 'the console was checked once a second');
    // Every process the soak started ended, by pid: the supervisor, its nodes, the bot processes.
    const pids = [report.supervisor.pid, ...report.startedNodePids, ...report.fleets.flatMap((f) => f.final.pids.slice(1))];
    for (const pid of pids) assert.equal(processAlive(pid), false, `process ${pid} ended`);
  });
});
