import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminEvent } from '../../../../shared/admin/admin-model.js';
import { exportNdjson, ndjsonFileName } from './export-ndjson.js';

const events: AdminEvent[] = [
  { seq: 7, at: 1_700_000_000_500, type: 'client.disconnected', node: 'node-1', client: 'c1', user: 'ann', code: 3000, reason: 'bye\n"now"' },
  { seq: 3, at: 1_700_000_000_000, type: 'node.started', node: 'node-1', pid: 42 },
];

describe('NDJSON export', () => {
  it('writes one JSON object per line, oldest first, each line ending in a newline', () => {
    const text = exportNdjson(events);
    assert.ok(text.endsWith('\n'));
    const lines = text.split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 2);
    assert.deepEqual(lines.map((l) => JSON.parse(l) as AdminEvent), [events[1], events[0]]);
  });

  it('keeps newlines inside values escaped, so every line is one event', () => {
    assert.equal(exportNdjson([events[0]!]).split('\n').length, 2);
  });

  it('exports nothing for no events, and does not reorder the caller\'s array', () => {
    assert.equal(exportNdjson([]), '');
    const copy = [...events];
    exportNdjson(copy);
    assert.deepEqual(copy, events);
  });

  it('names the file with a sortable local timestamp', () => {
    assert.equal(ndjsonFileName(new Date(2025, 0, 31, 9, 4, 5)), 'switchboard-events-2025-01-31T09-04-05.ndjson');
  });
});
