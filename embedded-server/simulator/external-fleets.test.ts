import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FleetReport } from '../../shared/admin/external-fleet-model.js';
import { decodeFleetReport, encodeFleetReport, fleetContact } from '../../shared/admin/external-fleet-model.js';
import { emptySimulatorCounts } from '../../shared/admin/simulator-model.js';
import type { SimulatorState } from '../../shared/admin/simulator-model.js';
import { ExternalFleets } from './external-fleets.js';

const report = (pid: number, state: SimulatorState = 'running', sent = 0, host = 'box'): FleetReport => ({
  pid, host,
  status: {
    id: 'cli', state, startedAt: 1_000, elapsedMs: 2_000, pids: [pid, pid + 1],
    params: { profile: 'chat', clients: 10, channels: 2, rate: 1, rampSeconds: 1, durationSeconds: 10 },
    counts: { ...emptySimulatorCounts(), sent },
  },
});

/** A registry on a clock the test moves. */
function registry(max?: number): { fleets: ExternalFleets; advance(ms: number): void } {
  let now = 1_000_000;
  const fleets = new ExternalFleets({ now: () => now, ...(max === undefined ? {} : { max }) });
  return { fleets, advance: (ms) => void (now += ms) };
}

describe('the external fleets registry', () => {
  it('keeps the latest report of a fleet, with when it was first and last heard of', () => {
    const { fleets, advance } = registry();
    try {
      fleets.report(report(100, 'ramping', 0));
      advance(1_000);
      fleets.report(report(100, 'running', 42));
      advance(300);
      const [f, ...rest] = fleets.list();
      assert.equal(rest.length, 0);
      assert.equal(f!.key, 'box/100/cli');
      assert.equal(f!.status.state, 'running');
      assert.equal(f!.status.counts.sent, 42);
      assert.equal(f!.lastSeenAt - f!.firstSeenAt, 1_000);
      assert.equal(f!.reportAgeMs, 300);
    } finally {
      fleets.stop();
    }
  });

  it('tells apart two fleets with the same id from different processes or machines', () => {
    const { fleets } = registry();
    try {
      fleets.report(report(100));
      fleets.report(report(200));
      fleets.report(report(100, 'running', 0, 'other-box'));
      assert.deepEqual(fleets.list().map((f) => f.key), ['box/100/cli', 'box/200/cli', 'other-box/100/cli']);
    } finally {
      fleets.stop();
    }
  });

  it('derives lost contact from the age of the last report, past 5 s of silence', () => {
    const { fleets, advance } = registry();
    try {
      fleets.report(report(100));
      advance(5_000);
      assert.equal(fleetContact(fleets.list()[0]!.reportAgeMs).lost, false);
      advance(1_500);
      const contact = fleetContact(fleets.list()[0]!.reportAgeMs);
      assert.deepEqual(contact, { lost: true, ageS: 6 });
      fleets.report(report(100));
      assert.equal(fleetContact(fleets.list()[0]!.reportAgeMs).lost, false, 'a new report restores contact');
    } finally {
      fleets.stop();
    }
  });

  it('drops a fleet 60 s after its final status, and a silent one after 5 minutes', () => {
    const { fleets, advance } = registry();
    try {
      fleets.report(report(100, 'finished'));
      fleets.report(report(200, 'running'));
      advance(60_000);
      assert.equal(fleets.list().length, 2, 'kept for exactly 60 s');
      advance(1);
      assert.deepEqual(fleets.list().map((f) => f.pid), [200]);
      advance(5 * 60_000 - 60_001);
      assert.equal(fleets.list().length, 1, 'silent for exactly 5 minutes');
      advance(1);
      assert.deepEqual(fleets.list(), []);
    } finally {
      fleets.stop();
    }
  });

  it('keeps at most its bound, a new fleet replacing the one silent for longest', () => {
    const { fleets, advance } = registry(3);
    try {
      for (const pid of [1, 2, 3]) {
        fleets.report(report(pid));
        advance(1_000);
      }
      fleets.report(report(1)); // heard again: now 2 is the stalest
      fleets.report(report(4));
      assert.deepEqual(fleets.list().map((f) => f.pid).sort(), [1, 3, 4]);
      fleets.report(report(3));
      assert.equal(fleets.list().length, 3, 'a known fleet does not evict another');
    } finally {
      fleets.stop();
    }
  });

  it('pushes the list while a fleet is listed, then once more empty when it has gone', async () => {
    let now = 1_000_000;
    const fleets = new ExternalFleets({ now: () => now });
    const heard: number[] = [];
    fleets.onList((list) => heard.push(list.length));
    try {
      fleets.report(report(100, 'finished'));
      while (heard.length === 0) await new Promise((r) => setTimeout(r, 100));
      assert.equal(heard[0], 1);
      now += 61_000;
      while (heard.at(-1) !== 0) await new Promise((r) => setTimeout(r, 100));
      const pushes = heard.length;
      await new Promise((r) => setTimeout(r, 1_500));
      assert.equal(heard.length, pushes, 'no pushes once nothing is listed');
    } finally {
      fleets.stop();
    }
  });
});

describe('the fleet report codec', () => {
  it('reads back what a fleet sends', () => {
    const sent = report(100, 'running', 7);
    const read = decodeFleetReport(encodeFleetReport(sent));
    assert.ok(read.ok);
    assert.deepEqual(read.value, sent);
  });

  it('says what is wrong, and where, in a bad report', () => {
    const cases: [string, RegExp][] = [
      ['not json', /^the body is not JSON/],
      ['[]', /expected object/],
      [JSON.stringify({ ...report(1), extra: 1 }), /Unrecognized key.*extra/],
      [JSON.stringify({ ...report(1), pid: -3 }), /^pid: /],
      [JSON.stringify({ ...report(1), host: 'x'.repeat(300) }), /^host: /],
      [JSON.stringify({ ...report(1), status: { ...report(1).status, state: 'dancing' } }), /^status\.state: /],
      [JSON.stringify({ ...report(1), status: { ...report(1).status, counts: { ...report(1).status.counts, sent: 1.5 } } }), /^status\.counts\.sent: /],
      [JSON.stringify({ ...report(1), status: { ...report(1).status, pids: Array.from({ length: 65 }, () => 1) } }), /^status\.pids: /],
    ];
    for (const [body, why] of cases) {
      const read = decodeFleetReport(body);
      assert.equal(read.ok, false, body.slice(0, 60));
      if (!read.ok) assert.match(read.error, why);
    }
  });
});
