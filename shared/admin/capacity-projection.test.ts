import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LineFit, MachineFacts, MeasuredCosts } from './capacity-model.js';
import { MEMORY_HEADROOM, SUPERVISOR_CPU_FLOOR } from './capacity-model.js';
import {
  bindingLimit, capacityAssumptions, capacityTable, nodeSteps, predictCpu, predictRss, projectRow, relativeError,
} from './capacity-projection.js';

const MB = 1048576;
const line = (intercept: number, slope: number): LineFit => ({ intercept, slope, samples: 60, spread: 0, slopeError: 0, r2: 1, xMin: 0, xMax: 500, method: 'fit' });

function costs(over: Partial<MeasuredCosts> = {}): MeasuredCosts {
  return {
    samples: 120, windowSeconds: 60,
    memory: line(60 * MB, 8192), cpu: line(2, 0.002), idleCpu: null,
    supervisorCpuPercent: 4, supervisorRss: 100 * MB,
    at: { nodes: 2, connections: 600, deliveriesPerSec: 2000, connectionsPerNode: 300, deliveriesPerNodePerSec: 1000 },
    missing: [], ...over,
  };
}

function machine(over: Partial<MachineFacts> = {}): MachineFacts {
  return { totalMemory: 4096 * MB, freeMemory: 2048 * MB, cores: 2, loadAverage: [0.5, 0.5, 0.5], nodes: 2, maxConnectionsPerNode: 1_000_000, ...over };
}

describe('the capacity projection', () => {
  it('takes the memory limit as what the machine leaves after headroom, supervisor and idle nodes, over the bytes per connection', () => {
    const row = projectRow(costs(), machine(), 2, 1);
    const budget = 4096 * MB * (1 - MEMORY_HEADROOM) - 100 * MB - 2 * 60 * MB;
    assert.equal(row.limits.memory, Math.floor(budget / 8192));
    assert.equal(row.binding, 'memory');
    assert.equal(row.maxConnections, row.limits.memory);
  });

  it('names the open-file limit when it binds before memory, as nodes × the per-node limit', () => {
    const row = projectRow(costs(), machine({ maxConnectionsPerNode: 4000 }), 3, 1);
    assert.equal(row.limits['open files'], 12_000);
    assert.equal(row.binding, 'open files');
    assert.equal(row.maxConnections, 12_000);
  });

  it('leaves the open-file limit out where it is unknown or unlimited', () => {
    const row = projectRow(costs(), machine({ maxConnectionsPerNode: null }), 2, 1);
    assert.equal(row.limits['open files'], null);
    assert.equal(row.binding, 'memory');
  });

  it('gives deliveries/s from the cores the supervisor leaves, one core per node at most, less each node\'s fixed CPU', () => {
    const one = projectRow(costs(), machine({ cores: 8 }), 1, 1);
    assert.equal(one.maxDeliveriesPerSec, Math.floor((100 - 2) / 0.002), 'one node uses one core at most');
    const four = projectRow(costs(), machine({ cores: 2 }), 4, 1);
    assert.equal(four.maxDeliveriesPerSec, Math.floor((200 - SUPERVISOR_CPU_FLOOR - 4 * 2) / 0.002), 'two cores less the supervisor floor');
  });

  it('keeps the supervisor\'s measured CPU when it is above the floor', () => {
    const row = projectRow(costs({ supervisorCpuPercent: 30 }), machine(), 2, 1);
    assert.equal(row.maxDeliveriesPerSec, Math.floor((200 - 30 - 2 * 2) / 0.002));
  });

  it('lets idle-connection CPU limit connections once it is measured', () => {
    const row = projectRow(costs({ idleCpu: line(1, 0.01) }), machine(), 2, 1);
    assert.equal(row.limits.cpu, Math.floor((190 - 2) / 0.01));
    assert.equal(row.binding, 'cpu');
  });

  it('multiplies every limit by the number of machines', () => {
    const one = projectRow(costs(), machine({ maxConnectionsPerNode: 5000 }), 2, 1);
    const five = projectRow(costs(), machine({ maxConnectionsPerNode: 5000 }), 2, 5);
    assert.equal(five.maxConnections, one.maxConnections! * 5);
    assert.equal(five.maxDeliveriesPerSec, one.maxDeliveriesPerSec! * 5);
    assert.equal(five.limits['open files'], 50_000);
  });

  it('says nothing it cannot know: no costs measured gives no connections, deliveries or binding limit', () => {
    const row = projectRow(costs({ memory: null, cpu: null }), machine({ maxConnectionsPerNode: null }), 2, 1);
    assert.deepEqual([row.maxConnections, row.maxDeliveriesPerSec, row.binding], [null, null, null]);
  });

  it('never projects below zero when idle nodes alone would fill the memory', () => {
    const row = projectRow(costs({ memory: line(1024 * MB, 8192) }), machine(), 4, 1);
    assert.equal(row.limits.memory, 0);
  });

  it('picks the smallest known limit, memory first on a tie', () => {
    assert.equal(bindingLimit({ memory: 10, 'open files': 10, cpu: null }), 'memory');
    assert.equal(bindingLimit({ memory: null, 'open files': null, cpu: 5 }), 'cpu');
    assert.equal(bindingLimit({ memory: null, 'open files': null, cpu: null }), null);
  });

  it('steps node counts in powers of two up to the asked count, with the current count among them', () => {
    assert.deepEqual(nodeSteps(12, 3), [1, 2, 3, 4, 8, 12]);
    assert.deepEqual(nodeSteps(1, 2), [1]);
    assert.deepEqual(capacityTable(costs(), machine(), 4, 3).map((r) => [r.nodesPerMachine, r.machines]), [[1, 3], [2, 3], [4, 3]]);
  });

  it('predicts one node\'s RSS and CPU from the fitted lines, and the relative error against what was seen', () => {
    assert.equal(predictRss(costs(), 1000), 60 * MB + 8192 * 1000);
    assert.equal(predictCpu(costs(), 500), 3);
    assert.equal(predictRss(costs({ memory: null }), 10), null);
    assert.equal(relativeError(110, 100), 0.1);
    assert.equal(relativeError(null, 100), null);
    assert.equal(relativeError(5, 0), null);
  });

  it('states the headroom, the supervisor share, the open-file limit and, for several machines, the Redis assumption', () => {
    const one = capacityAssumptions(costs(), machine({ maxConnectionsPerNode: 4000 }), 1).join('\n');
    assert.match(one, /20% of the machine's 4\.0 GB/);
    assert.match(one, /8\.0 KB/);
    assert.match(one, /4,000 connections/);
    assert.doesNotMatch(one, /Redis/);
    assert.match(capacityAssumptions(costs(), machine(), 3).join('\n'), /3 machines: .*Redis/);
  });
});
