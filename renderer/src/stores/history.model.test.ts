import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvFileName, historyCsv, rangeBounds, zoomBounds } from './history.model.js';

const NOW = Date.UTC(2026, 5, 1, 12);

describe('the charts time range', () => {
  it('asks for nothing in live mode, for the preset span ending now, and for the zoom once one is dragged', () => {
    assert.equal(rangeBounds('live', null, null, NOW), null);
    assert.deepEqual(rangeBounds('1h', null, null, NOW), { from: NOW - 3600_000, to: NOW });
    assert.deepEqual(rangeBounds('7d', null, { from: 1, to: 9000 }, NOW), { from: 1, to: 9000 });
    assert.deepEqual(rangeBounds('custom', { from: 5, to: 50 }, null, NOW), { from: 5, to: 50 });
  });

  it('takes a drag in either direction as a zoom, and a click (under 5 s) as none', () => {
    assert.deepEqual(zoomBounds(20_000, 10_000), { from: 10_000, to: 20_000 });
    assert.equal(zoomBounds(10_000, 12_000), null);
  });
});

describe('the CSV export', () => {
  it('has a row per step and series with ISO 8601 times, the total first, nodes in natural order', () => {
    const p = (at: number, c: number) => ({ at, connections: c, messagesInPerSec: 1, messagesOutPerSec: 2, bytesInPerSec: 3, bytesOutPerSec: 4, cpuPercent: 5 });
    const { text, rows } = historyCsv({ intervalMs: 1000, total: [p(NOW, 3)], nodes: { 'node-10': [p(NOW, 1)], 'node-2': [p(NOW, 2)] } });
    const lines = text.trim().split('\n');
    assert.equal(rows, 3);
    assert.equal(lines[0], 'time,series,connections,messagesInPerSec,messagesOutPerSec,bytesInPerSec,bytesOutPerSec,cpuPercent,loopDelayP99Ms,rssBytes,connectionsMax,cpuPercentMax,loopDelayP99MsMax,rssBytesMax,samples');
    assert.equal(lines[1], '2026-06-01T12:00:00.000Z,total,3,1,2,3,4,5,,,,,,,');
    assert.deepEqual(lines.slice(2).map((l) => l.split(',')[1]), ['node-2', 'node-10']);
  });

  it('names the file after the range in UTC', () => {
    assert.equal(csvFileName({ from: NOW - 3600_000, to: NOW }), 'switchboard-metrics-20260601T1100Z-20260601T1200Z.csv');
  });
});
