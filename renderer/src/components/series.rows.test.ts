import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SeriesPoint, TimeSeries } from '../../../shared/admin/admin-model.js';
import { nodeKey, rowsInWindow, sortedNodeIds, seriesRows } from './series.rows.js';

const point = (at: number, out: number, inn = 0): SeriesPoint => ({
  at, connections: 0, messagesInPerSec: inn, messagesOutPerSec: out, bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 0,
});

describe('chart rows from the series', () => {
  it('gives one row per second of the total, with each node beside it for stacking', () => {
    const series: TimeSeries = {
      intervalMs: 1000,
      total: [point(1000, 30, 3), point(2000, 50, 5)],
      nodes: { 'node-1': [point(1000, 10, 1), point(2000, 20, 2)], 'node-2': [point(1000, 20, 2), point(2000, 30, 3)] },
    };
    assert.deepEqual(seriesRows(series, ['node-1', 'node-2'], 'messagesOutPerSec'), [
      { at: 1000, total: 30, 'n:node-1': 10, 'n:node-2': 20 },
      { at: 2000, total: 50, 'n:node-1': 20, 'n:node-2': 30 },
    ]);
    assert.deepEqual(seriesRows(series, ['node-1', 'node-2'], 'messagesInPerSec')[1], { at: 2000, total: 5, 'n:node-1': 2, 'n:node-2': 3 });
  });

  it('counts 0 for a node in the seconds before it was added', () => {
    const series: TimeSeries = {
      intervalMs: 1000,
      total: [point(1000, 10), point(2000, 15), point(3000, 19)],
      nodes: { 'node-1': [point(1000, 10), point(2000, 10), point(3000, 12)], 'node-4': [point(2000, 5), point(3000, 7)] },
    };
    assert.deepEqual(seriesRows(series, ['node-1', 'node-4'], 'messagesOutPerSec').map((r) => r[nodeKey('node-4')]), [0, 5, 7]);
  });

  it('gives no rows for an empty series and ignores nodes it was not asked for', () => {
    assert.deepEqual(seriesRows({ intervalMs: 1000, total: [], nodes: {} }, ['node-1'], 'messagesOutPerSec'), []);
    const one: TimeSeries = { intervalMs: 1000, total: [point(1000, 4)], nodes: { 'node-1': [point(1000, 4)] } };
    assert.deepEqual(seriesRows(one, [], 'messagesOutPerSec'), [{ at: 1000, total: 4 }]);
  });

  it('picks any figure of the series', () => {
    const series: TimeSeries = { intervalMs: 1000, total: [{ ...point(1000, 0), connections: 9 }], nodes: { 'node-1': [{ ...point(1000, 0), connections: 9 }] } };
    assert.deepEqual(seriesRows(series, ['node-1'], 'connections'), [{ at: 1000, total: 9, 'n:node-1': 9 }]);
  });

  it('keys node values apart from the row fields, whatever the node is called', () => {
    assert.notEqual(nodeKey('total'), 'total');
    assert.notEqual(nodeKey('at'), 'at');
  });
});

describe('gaps in the series', () => {
  it('breaks the lines with a row of nulls where seconds are missing, rather than bridge them', () => {
    const series: TimeSeries = {
      intervalMs: 1000,
      total: [point(1000, 4), point(2000, 4), point(9000, 6)],
      nodes: { 'node-1': [point(1000, 4), point(2000, 4), point(9000, 6)] },
    };
    assert.deepEqual(seriesRows(series, ['node-1'], 'messagesOutPerSec'), [
      { at: 1000, total: 4, 'n:node-1': 4 },
      { at: 2000, total: 4, 'n:node-1': 4 },
      { at: 3000, total: null, 'n:node-1': null },
      { at: 9000, total: 6, 'n:node-1': 6 },
    ]);
  });

  it('takes a late second for jitter, not for a gap', () => {
    const series: TimeSeries = { intervalMs: 1000, total: [point(1000, 1), point(3200, 2)], nodes: {} };
    assert.deepEqual(seriesRows(series, [], 'messagesOutPerSec').map((r) => r.at), [1000, 3200]);
  });
});

describe('rows in the window', () => {
  const rows = [1000, 2000, 3000, 4000].map((at) => ({ at, total: at / 1000 }));

  it('keeps the rows inside the window and the one just before it, so the line enters from the edge', () => {
    assert.deepEqual(rowsInWindow(rows, 2500).map((r) => r.at), [2000, 3000, 4000]);
  });

  it('keeps every row when the window reaches back past the first one', () => {
    assert.equal(rowsInWindow(rows, 500), rows);
    assert.deepEqual(rowsInWindow(rows, 1000).map((r) => r.at), [1000, 2000, 3000, 4000]);
  });

  it('keeps nothing once every row is older than the window', () => {
    assert.deepEqual(rowsInWindow(rows, 5000), []);
  });
});

describe('node order', () => {
  it('sorts node ids the way people count (node-2 before node-10)', () => {
    assert.deepEqual(sortedNodeIds(['node-10', 'node-2', 'node-1']), ['node-1', 'node-2', 'node-10']);
  });
});
