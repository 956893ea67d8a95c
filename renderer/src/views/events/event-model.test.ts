import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminEvent, AdminEventType } from '../../../../shared/admin/admin-model.js';
import { ADMIN_EVENT_TYPES } from '../../../../shared/admin/admin-model.js';
import { EVENT_GROUPS, emptyFilter, eventDetails, isFiltered, visibleEvents } from './event-model.js';

let seq = 0;
const ev = (e: Record<string, unknown> & { type: AdminEventType }): AdminEvent => ({ seq: ++seq, at: 1000 + seq, ...e }) as AdminEvent;

const log: AdminEvent[] = [
  ev({ type: 'node.started', node: 'node-1', pid: 1 }),
  ev({ type: 'client.connected', node: 'node-1', client: 'c1', user: 'ann', remote: '127.0.0.1:5000' }),
  ev({ type: 'client.subscribed', node: 'node-1', client: 'c1', user: 'ann', channel: 'chat:lobby' }),
  ev({ type: 'client.connected', node: 'node-2', client: 'c2', user: 'Bob', remote: '127.0.0.1:5001' }),
  ev({ type: 'client.kicked', by: 'admin-1', target: { channel: 'chat:lobby' }, count: 2, code: 3000, reason: 'maintenance' }),
  ev({ type: 'broadcast.sent', by: 'admin-1', audience: { kind: 'users', users: ['bob'] }, connections: 1, nodes: 1 }),
];
const seqs = (es: AdminEvent[]): number[] => es.map((e) => e.seq);

describe('event groups', () => {
  it('cover every event type exactly once', () => {
    const grouped = EVENT_GROUPS.flatMap((g) => g.types).sort();
    assert.deepEqual(grouped, Object.keys(ADMIN_EVENT_TYPES).sort());
  });
});

describe('event filters', () => {
  it('shows everything newest first without filters', () => {
    assert.deepEqual(seqs(visibleEvents(log, emptyFilter())), [6, 5, 4, 3, 2, 1]);
    assert.equal(isFiltered(emptyFilter()), false);
  });

  it('filters by type or group, and node', () => {
    assert.deepEqual(seqs(visibleEvents(log, { ...emptyFilter(), type: 'client.connected' })), [4, 2]);
    assert.deepEqual(seqs(visibleEvents(log, { ...emptyFilter(), type: 'group:admin' })), [6, 5]);
    assert.deepEqual(seqs(visibleEvents(log, { ...emptyFilter(), node: 'node-1' })), [3, 2, 1]);
  });

  it('matches users and channels as case-insensitive parts, including kick targets and audiences', () => {
    assert.deepEqual(seqs(visibleEvents(log, { ...emptyFilter(), user: 'bob' })), [6, 4]);
    assert.deepEqual(seqs(visibleEvents(log, { ...emptyFilter(), channel: 'LOBBY' })), [5, 3]);
    assert.deepEqual(seqs(visibleEvents(log, { ...emptyFilter(), user: 'ann', channel: 'chat:' })), [3]);
  });
});

describe('event details', () => {
  it('say what the columns do not', () => {
    assert.equal(eventDetails(log[4]!), 'kicked 2 connections (channel chat:lobby) · code 3000 · maintenance · by admin-1');
    assert.equal(eventDetails(log[5]!), 'to user bob · reached 1 connection on 1 node · by admin-1');
    assert.equal(eventDetails(ev({ type: 'subscription.recovered', node: 'n', client: 'c', user: 'u', channel: 'x', recovered: true, replayed: 12 })),
      'recovered 12 publications');
    assert.equal(eventDetails(ev({ type: 'subscription.recovered', node: 'n', client: 'c', user: 'u', channel: 'x', recovered: false, replayed: 0, miss: 'epoch changed' })),
      'not recovered (epoch changed) · replayed 0 publications');
    assert.equal(eventDetails(ev({ type: 'node.down', node: 'n', code: null, signal: 'SIGKILL' })), 'signal SIGKILL');
    assert.equal(eventDetails(ev({ type: 'client.disconnected', node: 'n', client: 'c', user: 'u', code: 3001, reason: 'shutdown' })), 'code 3001 · shutdown');
  });
});
