import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rebalancePlan } from './node-moves.js';

const loads = (...counts: number[]) => counts.map((clients, i) => ({ node: `node-${i + 1}`, clients }));

describe('rebalance plan', () => {
  it('takes the excess over the mean (rounded up) from each busier node', () => {
    assert.deepEqual(rebalancePlan(loads(300, 300, 0)), [{ node: 'node-1', clients: 100 }, { node: 'node-2', clients: 100 }]);
    assert.deepEqual(rebalancePlan(loads(250, 100, 10)), [{ node: 'node-1', clients: 130 }]);
  });

  it('moves nothing when the spread is within 10% of the mean, or with a single node', () => {
    assert.deepEqual(rebalancePlan(loads(105, 100, 96)), []);
    assert.deepEqual(rebalancePlan(loads(4, 3, 3)), []);
    assert.deepEqual(rebalancePlan(loads(500)), []);
    assert.deepEqual(rebalancePlan([]), []);
  });

  it('moves from a node just past 10% of the mean', () => {
    assert.deepEqual(rebalancePlan(loads(112, 100, 88)), [{ node: 'node-1', clients: 12 }]);
  });
});
