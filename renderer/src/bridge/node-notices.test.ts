import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdminEvent } from '../../../shared/admin/admin-model.js';
import { nodeDownNotices } from './node-notices.js';

const down = (seq: number, at: number, node: string, code: number | null, signal: string | null): AdminEvent =>
  ({ seq, at, type: 'node.down', node, code, signal });

describe('node-down notices', () => {
  it('name the node and how its process ended, for each node.down after the last one seen', () => {
    const events: AdminEvent[] = [
      down(1, 1000, 'node-1', 1, null),
      { seq: 2, at: 1000, type: 'node.started', node: 'node-1', pid: 42 },
      down(3, 1000, 'node-2', null, 'SIGKILL'),
    ];
    assert.deepEqual(nodeDownNotices(events, 0, 0), [
      { title: 'node-1 is down', body: 'Its process exited with code 1.' },
      { title: 'node-2 is down', body: 'Its process was ended by SIGKILL.' },
    ]);
    assert.deepEqual(nodeDownNotices(events, 1, 0).map((n) => n.title), ['node-2 is down']);
  });

  it('stay quiet about the history the server replays on connect (up to its hello\'s lastEventSeq)', () => {
    const events = [down(7, 5_000, 'node-3', 1, null), down(9, 6_000, 'node-1', 1, null)];
    assert.deepEqual(nodeDownNotices(events, 0, 8).map((n) => n.title), ['node-1 is down']);
    assert.deepEqual(nodeDownNotices(events, 0, Number.MAX_SAFE_INTEGER), []);
  });
});
