import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminEvent } from './admin-model.js';
import { eventsFileName, eventsNdjson } from './events-export.js';

const events: AdminEvent[] = [
  { seq: 7, at: 1_700_000_000_500, type: 'client.disconnected', node: 'node-1', client: 'c1', user: 'ann', code: 3000, reason: 'bye\n"now"' },
  { seq: 3, at: 1_700_000_000_000, type: 'node.started', node: 'node-1', pid: 42 },
];

describe('the events export', () => {
  it('writes one JSON object per line, oldest first, each line ending in a newline', () => {
    const text = eventsNdjson(events);
    assert.ok(text.endsWith('\n'));
    const lines = text.split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 2);
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as AdminEvent).seq), [3, 7]);
  });

  it('leads each line with the event time as an ISO 8601 timestamp and keeps every field of the event', () => {
    const [first, second] = eventsNdjson(events).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(Object.keys(first!)[0], 'time');
    assert.equal(first!.time, '2023-11-14T22:13:20.000Z');
    assert.equal(second!.time, '2023-11-14T22:13:20.500Z');
    const { time: _time, ...rest } = second!;
    assert.deepEqual(rest, events[0]);
  });

  it('keeps newlines inside values escaped, so every line is one event', () => {
    assert.equal(eventsNdjson([events[0]!]).split('\n').length, 2);
  });

  it('exports nothing for no events, and does not reorder the caller\'s array', () => {
    assert.equal(eventsNdjson([]), '');
    const copy = [...events];
    eventsNdjson(copy);
    assert.deepEqual(copy, events);
  });

  it('names the file with a sortable local timestamp', () => {
    assert.equal(eventsFileName(new Date(2025, 0, 31, 9, 4, 5)), 'switchboard-events-2025-01-31T09-04-05.ndjson');
  });
});
