import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CapacityEstimate, CapacityRow, LineFit } from '../../../shared/admin/capacity-model.js';
import { chartPoints, figure, fitEvidence, kb, limitName, measuredAtText, micros, parseWhole } from './capacity.model.js';

const fit: LineFit = { slope: 8192, intercept: 1, samples: 42, spread: 1258291, slopeError: 10, r2: 0.9, xMin: 0, xMax: 500, method: 'fit' };
const row = (n: number, c: number | null): CapacityRow => ({
  nodesPerMachine: n, machines: 1, maxConnections: c, maxDeliveriesPerSec: c === null ? null : c * 2, binding: c === null ? null : 'memory',
  limits: { memory: c, 'open files': null, cpu: null },
});

describe('the capacity view\'s words', () => {
  it('names the binding limit plainly, and says when nothing is measured', () => {
    assert.deepEqual((['memory', 'open files', 'cpu', null] as const).map(limitName), ['memory', 'the open-file limit', 'CPU', 'nothing measured yet']);
  });

  it('says what the costs were measured at, with thousands separators', () => {
    const e = { costs: { samples: 10, at: { connections: 1200, deliveriesPerSec: 800, nodes: 2 } } } as unknown as CapacityEstimate;
    assert.equal(measuredAtText(e), 'measured at 1,200 connections, 800 deliveries/s on 2 nodes');
    const none = { costs: { samples: 0, at: { connections: 0, deliveriesPerSec: 0, nodes: 1 } } } as unknown as CapacityEstimate;
    assert.equal(measuredAtText(none), 'no samples yet');
  });

  it('gives a fit\'s evidence: samples, spread and range', () => {
    assert.equal(fitEvidence(fit, (n) => `${(n / 1048576).toFixed(1)} MB`, 'connections per node'), '42 samples, ±1.2 MB, over 0–500 connections per node');
  });

  it('reads costs in units a person knows: KB per connection, µs of CPU per delivery', () => {
    assert.equal(kb(8192), '8 KB');
    assert.equal(micros(0.002), '20 µs');
    assert.equal(figure(null), '—');
    assert.equal(figure(12345), '12,345');
  });

  it('turns the table into the chart\'s points, keeping unknown figures unknown', () => {
    assert.deepEqual(chartPoints([row(1, 100), row(2, null)]), [
      { nodes: 1, connections: 100, deliveries: 200 }, { nodes: 2, connections: null, deliveries: null },
    ]);
  });

  it('accepts a whole number within bounds and says what is wanted otherwise', () => {
    const b = { min: 1, max: 64 };
    assert.deepEqual(parseWhole(' 8 ', b), { value: 8 });
    assert.deepEqual(parseWhole('0', b), { error: 'from 1 to 64' });
    assert.deepEqual(parseWhole('65', b), { error: 'from 1 to 64' });
    assert.deepEqual(parseWhole('2.5', b), { error: 'a whole number from 1 to 64' });
    assert.deepEqual(parseWhole('', b), { error: 'a whole number from 1 to 64' });
  });
});
