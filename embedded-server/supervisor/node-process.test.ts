/** A node's reports as the supervisor keeps them: the latest counts at once, rates over a whole stats interval. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeId } from '../../shared/ids.js';
import type { NodeStats } from '../../shared/ipc/node-ipc.js';
import { NodeProcess } from './node-process.js';

const stats = (connections: number, messagesIn: number): NodeStats => ({
  connections, users: connections, subscriptions: connections, messagesIn, messagesOut: 0, bytesIn: 0, bytesOut: 0,
  cpuMicros: 0, rss: 0, heapUsed: 0, loopDelayP50: 0, loopDelayP99: 0, handoffsSettled: connections,
});

describe('a node process\'s reports', () => {
  it('takes an early report\'s counts at once but keeps measuring rates over a stats interval', () => {
    const p = new NodeProcess('node-1' as NodeId, 'sb/node-1#0', 1000);
    p.onStats(10_000, stats(0, 0));
    p.onStats(11_000, stats(5, 100));
    assert.equal(p.rates.messagesIn, 100);
    // Counts changed 200 ms later: the report comes early, with 40 more messages.
    p.onStats(11_200, stats(8, 140));
    assert.equal(p.stats?.connections, 8);
    assert.equal(p.rates.messagesIn, 100, 'not 40 messages in 0.2 s = 200/s');
    p.onStats(12_000, stats(8, 300));
    assert.equal(p.rates.messagesIn, 200, '200 messages over the second since the last full report');
  });
});
