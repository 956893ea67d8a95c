import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptySimulatorCounts } from '../../shared/admin/simulator-model.js';
import type { SimulatorStatus } from '../../shared/admin/simulator-model.js';
import { compact, finalSummary, tableHeader, tableRow } from './sim-table.js';

const status = (over: Partial<SimulatorStatus['counts']>, state: SimulatorStatus['state'] = 'running'): SimulatorStatus => ({
  id: 'cli', state, startedAt: 0, elapsedMs: 12_400, pids: [1, 2],
  params: { profile: 'chat', clients: 5000, channels: 50, rate: 1, rampSeconds: 10, durationSeconds: 60 },
  counts: { ...emptySimulatorCounts(), ...over },
});

describe('the simulate table', () => {
  it('lines every row up under the header, one column per count', () => {
    const row = tableRow(status({ connected: 5000, subscribed: 10_000, sent: 1408, received: 140_800, recovered: 3, notRecovered: 1 }));
    assert.equal(row.length, tableHeader().length);
    assert.match(row, /^12s\s+running\s+5000\s+10000\s+1408\s+140800\s+0\s+0\s+0\s+3\/1\s/);
  });

  it('shows big numbers compactly', () => {
    assert.equal(compact(9_999_999), '9999999');
    assert.equal(compact(12_345_678), '12.35M');
  });

  it('ends with a summary that states what a consistent run shows', () => {
    const text = finalSummary(status({ sent: 1408, received: 140_800 }, 'finished'));
    assert.match(text, /^finished after 12\.4s: 5000 chat clients/);
    assert.match(text, /sent 1408, received 140800 \(sent × 100 subscribers = 140800\)/);
  });
});
