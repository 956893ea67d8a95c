import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markerOf } from '../metrics-history/markers.js';

describe('alerts on the charts', () => {
  it('marks an alert firing and resolving on the time axis, with its node and text', () => {
    assert.deepEqual(
      markerOf({ seq: 1, at: 5000, type: 'alert.firing', rule: 'node-unhealthy', severity: 'critical', node: 'node-2', value: 1, threshold: 0, text: 'node-2 unhealthy (hung) for 1 s' }),
      { at: 5000, type: 'alert.firing', node: 'node-2', text: 'alert: node-2 unhealthy (hung) for 1 s' },
    );
    assert.deepEqual(
      markerOf({ seq: 2, at: 9000, type: 'alert.resolved', rule: 'publish-errors', severity: 'warning', value: 3, text: 'cluster: publish errors 3/min over 0/min', firedAt: 5000 }),
      { at: 9000, type: 'alert.resolved', text: 'resolved: cluster: publish errors 3/min over 0/min' },
    );
  });
});
