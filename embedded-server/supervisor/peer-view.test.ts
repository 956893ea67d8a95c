import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SupervisorHeartbeat } from '../../shared/engine/control-messages.js';
import { PEER_SILENCE_MS, PeerView } from './peer-view.js';

const beat = (supervisor: string, at: number, nodes = 0): SupervisorHeartbeat => ({
  type: 'supervisor.heartbeat', supervisor, at,
  nodes: Array.from({ length: nodes }, (_, i) => ({
    id: `node-${i + 1}`, incarnation: `${supervisor}/node-${i + 1}#0`, pid: 1, state: 'healthy', uptimeMs: 0, restarts: 0, connections: 0,
    users: 0, subscriptions: 0, messagesInPerSec: 0, messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 0, rss: 0,
    heapUsed: 0, loopDelayP50Ms: 0, loopDelayP99Ms: 0,
  })),
  totals: { connections: 0, subscriptions: 0, publications: 0 },
});

function view(): { v: PeerView; joined: string[]; left: string[] } {
  const joined: string[] = [];
  const left: string[] = [];
  const v = new PeerView('sb-self', { joined: (b) => void joined.push(b.supervisor), left: (b) => void left.push(`${b.supervisor}:${b.nodes.length}`) });
  return { v, joined, left };
}

describe('the view of other supervisors', () => {
  it('adds a supervisor on its first heartbeat, once, and never itself', () => {
    const { v, joined } = view();
    v.heard(beat('sb-self', 1), 1);
    v.heard(beat('sb-b', 1), 1);
    v.heard(beat('sb-b', 2), 2);
    v.heard(beat('sb-a', 2), 2);
    assert.deepEqual(joined, ['sb-b', 'sb-a']);
    assert.deepEqual(v.ids(), ['sb-a', 'sb-b']);
  });

  it('drops a supervisor silent past 3 s with its last heartbeat, and keeps one that beats', () => {
    const { v, left } = view();
    v.heard(beat('sb-b', 0, 2), 0);
    v.heard(beat('sb-c', 0), 0);
    v.heard(beat('sb-c', 2_000), 2_000);
    assert.equal(v.sweep(PEER_SILENCE_MS), false, 'exactly 3 s is not yet past');
    assert.equal(v.sweep(PEER_SILENCE_MS + 1), true);
    assert.deepEqual(left, ['sb-b:2']);
    assert.deepEqual(v.ids(), ['sb-c']);
  });

  it('does not roll back to a heartbeat older than the one it holds', () => {
    const { v } = view();
    v.heard(beat('sb-b', 10, 2), 10);
    v.heard(beat('sb-b', 5, 0), 11);
    assert.equal(v.get('sb-b')?.beat.nodes.length, 2);
  });

  it('lets a supervisor that left join again when it beats again', () => {
    const { v, joined } = view();
    v.heard(beat('sb-b', 0), 0);
    v.sweep(10_000);
    v.heard(beat('sb-b', 10_000), 10_000);
    assert.deepEqual(joined, ['sb-b', 'sb-b']);
  });
});
