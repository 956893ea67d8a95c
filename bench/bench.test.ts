/**
 * Smoke test of the bench's `--quick` path, reduced for correctness only: one tiny fan-out step
 * (50 subscribers) against raw ws and Switchboard with 1 node, real server and generator processes.
 * It checks that the generator counted every publication for every subscriber, none lost or
 * duplicated, that every process ended, and that the tables render. No timing or throughput
 * assertion: figures on a shared machine prove nothing in a test.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FanoutRun } from './fanout.js';
import { runFanout } from './fanout.js';
import { quickOptions } from './options.js';
import type { BenchOptions } from './options.js';
import { PEERS } from './peers.js';
import { machineInfo, running } from './proc.js';
import type { ProcessRef } from './proc.js';
import { renderReport } from './report.js';

const SUBSCRIBERS = 50;
const RATE = 1000; // deliveries/s: 20 publications a second to 50 subscribers

function smokeOptions(): BenchOptions {
  const o = quickOptions();
  return {
    ...o,
    pin: false,
    capacity: null,
    failover: null,
    fanout: {
      ...o.fanout!, peers: ['ws', 'sb1'], subscribers: [SUBSCRIBERS], rates: [RATE],
      stepMs: 1000, drainMs: 5000, warmupMs: 300, cpuRates: [RATE], latencyRate: RATE, concurrency: 25,
    },
  };
}

describe('bench --quick, reduced: one fan-out step with 50 subscribers', () => {
  const o = smokeOptions();
  const runs: FanoutRun[] = [];
  const log: string[] = [];
  const children: ProcessRef[] = [];

  before(async () => {
    for (const id of o.fanout!.peers) {
      runs.push(await runFanout(PEERS[id], 0, o.fanout!, { server: null, generator: null }, (s) => log.push(s), (refs) => children.push(...refs)));
    }
  });

  for (const id of ['ws', 'sb1'] as const) {
    it(`${PEERS[id].label}: every publication reached every subscriber exactly once`, () => {
      const run = runs.find((r) => r.peer === id)!;
      assert.equal(run.error, undefined, `${run.error}\n${log.join('\n')}`);
      const steps = run.series[0]!.steps;
      assert.equal(steps.length, 1);
      const s = steps[0]!;
      assert.equal(s.subscribers, SUBSCRIBERS);
      assert.ok(s.publications > 0);
      assert.equal(s.expected, s.publications * SUBSCRIBERS);
      assert.equal(s.delivered, s.expected, `delivered ${s.delivered} of ${s.expected}`);
      assert.equal(s.lost, 0);
      assert.equal(s.duplicates, 0);
      assert.equal(s.publishErrors, 0);
      assert.equal(s.disconnects, 0);
    });
  }

  it('ends every process it started', () => {
    // raw ws: server + generator; Switchboard: supervisor + node + generator.
    assert.ok(children.length >= 5, `saw ${children.length} processes`);
    assert.deepEqual(children.filter(running).map((r) => r.pid), []);
  });

  it('renders the fan-out table with both peers and the ratio against raw ws', () => {
    const md = renderReport({
      options: o, machine: machineInfo(), loadAfter: [0, 0, 0], versions: { ws: 'x' }, startedAt: new Date().toISOString(), wallMs: 1,
      capacity: [], fanout: runs, failover: [], notes: [], pinned: false,
    });
    assert.match(md, /## 2\. Fan-out/);
    assert.match(md, /### 50 subscribers/);
    assert.match(md, /\| raw ws \(1 process\) \|/);
    assert.match(md, /\| Switchboard \(1 node\) \|/);
    assert.match(md, /Ratios against raw ws/);
    assert.match(md, /CPU µs\/delivery @1k/);
  });
});
