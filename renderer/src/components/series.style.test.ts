import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SeriesRow } from './series.rows.js';
import { keyEntries, nodeColor, nodeStroke, TOTAL_STROKE } from './series.style.js';

const look = (i: number): string => {
  const s = nodeStroke(i);
  return `${s.color}|${s.dash}`;
};

describe('node strokes', () => {
  it('gives each of the first six nodes its own colour and its own dash pattern', () => {
    const six = [0, 1, 2, 3, 4, 5].map(nodeStroke);
    assert.equal(new Set(six.map((s) => s.color)).size, 6);
    assert.equal(new Set(six.map((s) => s.dash)).size, 6);
  });

  it('draws the first node solid and widest, so lines drawn over it leave it showing', () => {
    const first = nodeStroke(0);
    assert.equal(first.dash, '');
    for (let i = 1; i < 6; i++) {
      assert.notEqual(nodeStroke(i).dash, '', `node ${i + 1} has gaps`);
      assert.ok(nodeStroke(i).width < first.width, `node ${i + 1} is thinner`);
    }
  });

  it('keeps colour and pattern together unique for 36 nodes, though colours repeat after six', () => {
    assert.equal(nodeStroke(6).color, nodeStroke(0).color);
    assert.equal(new Set(Array.from({ length: 36 }, (_, i) => look(i))).size, 36);
  });

  it('uses the colour the Overview bars and the Nodes sparklines use', () => {
    assert.equal(nodeStroke(2).color, nodeColor(2));
    assert.equal(nodeColor(2), 'var(--chart-3)');
  });
});

describe('legend and tooltip entries', () => {
  const row: SeriesRow = { at: 1000, total: 4, 'n:node-1': 2, 'n:node-2': 2 };

  it('lists every node in node order with its value, even when two nodes have the same value', () => {
    assert.deepEqual(keyEntries(row, ['node-1', 'node-2'], false).map((e) => [e.id, e.value]), [['node-1', 2], ['node-2', 2]]);
  });

  it('puts the total first when the chart stacks the nodes', () => {
    const entries = keyEntries(row, ['node-1', 'node-2'], true);
    assert.deepEqual(entries.map((e) => [e.label, e.value]), [['Total', 4], ['node-1', 2], ['node-2', 2]]);
    assert.equal(entries[0]!.style, TOTAL_STROKE);
  });

  it('gives each node the stroke it is drawn with', () => {
    assert.deepEqual(keyEntries(row, ['node-1', 'node-2'], false).map((e) => e.style), [nodeStroke(0), nodeStroke(1)]);
  });

  it('has no value (rather than 0) for a gap, a node the row lacks, or no row at all', () => {
    const gap: SeriesRow = { at: 2000, total: null, 'n:node-1': null };
    assert.deepEqual(keyEntries(gap, ['node-1', 'node-3'], true).map((e) => e.value), [null, null, null]);
    assert.deepEqual(keyEntries(undefined, ['node-1'], false).map((e) => e.value), [null]);
  });
});
