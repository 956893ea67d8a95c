import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeSnapshot } from '../../../shared/admin/admin-model.js';
import { connectionBars, describeEvent } from './overview.model.js';

const node = (id: string, connections: number, state: NodeSnapshot['state'] = 'healthy'): NodeSnapshot => ({
  id, pid: 1, state, uptimeMs: 1000, restarts: 0, connections, users: 0, subscriptions: 0, messagesInPerSec: 0,
  messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 0, rss: 0, heapUsed: 0, loopDelayP50Ms: 0, loopDelayP99Ms: 0,
});

describe('connections per node', () => {
  it('sizes each bar against the busiest node and gives its share of all connections', () => {
    const bars = connectionBars([node('node-2', 5), node('node-1', 15), node('node-3', 0, 'down')]);
    assert.deepEqual(bars.map((b) => [b.id, b.connections, b.width, b.share, b.state]), [
      ['node-1', 15, 1, 0.75, 'healthy'],
      ['node-2', 5, 1 / 3, 0.25, 'healthy'],
      ['node-3', 0, 0, 0, 'down'],
    ]);
  });

  it('draws empty bars, not NaN, when nobody is connected', () => {
    assert.deepEqual(connectionBars([node('node-1', 0)]).map((b) => [b.width, b.share]), [[0, 0]]);
    assert.deepEqual(connectionBars([]), []);
  });
});

describe('event lines', () => {
  it('names the node and the user, and marks a node going down as bad', () => {
    assert.deepEqual(describeEvent({ seq: 1, at: 0, type: 'client.connected', node: 'node-2', client: 'c1', user: 'alice', remote: '127.0.0.1' }),
      { node: 'node-2', text: 'alice connected from 127.0.0.1', tone: 'ok' });
    assert.deepEqual(describeEvent({ seq: 2, at: 0, type: 'node.down', node: 'node-1', code: null, signal: 'SIGKILL' }),
      { node: 'node-1', text: 'went down (SIGKILL)', tone: 'bad' });
  });

  it('says why a recovery failed', () => {
    const line = describeEvent({
      seq: 3, at: 0, type: 'subscription.recovered', node: 'node-1', client: 'c', user: '', channel: 'chat:a',
      recovered: false, replayed: 0, miss: 'epoch changed',
    });
    assert.equal(line.text, 'anonymous could not recover chat:a: epoch changed');
    assert.equal(line.tone, 'warn');
  });

  it('gives a broadcast its reach with thousands separators', () => {
    const line = describeEvent({ seq: 4, at: 0, type: 'broadcast.sent', by: 'admin-1', audience: { kind: 'all' }, connections: 12345, nodes: 3 });
    assert.equal(line.text, 'Broadcast to everyone: 12,345 connections on 3 nodes');
    assert.equal(line.node, undefined);
  });
});
