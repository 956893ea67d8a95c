import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExternalFleet } from '../../../shared/admin/external-fleet-model.js';
import { emptySimulatorCounts } from '../../../shared/admin/simulator-model.js';
import type { SimulatorState } from '../../../shared/admin/simulator-model.js';
import { fleetAgeMs, fleetContactView, fleetOrigin } from './external-fleets.model.js';

const fleet = (reportAgeMs: number, state: SimulatorState = 'running'): ExternalFleet => ({
  key: 'box/42/cli', host: 'box', pid: 42, firstSeenAt: 0, lastSeenAt: 0, reportAgeMs,
  status: {
    id: 'cli', state, startedAt: 0, elapsedMs: 0, pids: [42],
    params: { profile: 'chat', clients: 20, channels: 2, rate: 1, rampSeconds: 1, durationSeconds: 30 },
    counts: emptySimulatorCounts(),
  },
});

describe('a fleet started elsewhere, as the console shows it', () => {
  it('ages its last report by the console\'s own time since the list arrived, whatever the cluster\'s clock says', () => {
    assert.equal(fleetAgeMs(fleet(300), 10_000, 12_000), 2_300);
    assert.equal(fleetAgeMs(fleet(300), 10_000, 9_000), 300, 'a clock that stepped back does not make it younger');
  });

  it('is in contact up to 5 s after its last report, then says how long contact has been lost', () => {
    assert.deepEqual(fleetContactView(fleet(0), 1_000, 6_000), { lost: false, label: '5 s ago' });
    assert.deepEqual(fleetContactView(fleet(0), 1_000, 13_400), { lost: true, label: 'lost contact 12 s ago' });
  });

  it('shows a final status as final, never as lost contact (it will not report again)', () => {
    assert.deepEqual(fleetContactView(fleet(0, 'finished'), 1_000, 21_000), { lost: false, label: 'final · 20 s ago' });
  });

  it('names where the fleet runs', () => {
    assert.equal(fleetOrigin(fleet(0)), 'box · pid 42');
  });
});
