import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminEvent } from '../../../shared/admin/admin-model.js';
import { addEvents, EVENTS_KEPT, initialEvents, NOTABLE_KEPT, setPaused } from '../stores/events.reducers.js';
import { latestRows } from './latest-events.model.js';
import type { LatestRow } from './latest-events.model.js';

let seq = 0;
const nodeStarted = (node: string): AdminEvent => ({ seq: ++seq, at: seq, type: 'node.started', node, pid: 100 + seq });
const subscribed = (): AdminEvent => ({ seq: ++seq, at: seq, type: 'client.subscribed', node: 'node-1', client: `c${seq}`, user: 'u', channel: 'chat' });
const connected = (): AdminEvent => ({ seq: ++seq, at: seq, type: 'client.connected', node: 'node-1', client: `c${seq}`, user: 'u', remote: '127.0.0.1' });
const kicked = (): AdminEvent => ({ seq: ++seq, at: seq, type: 'client.kicked', by: 'admin-1', target: { client: 'c1' }, count: 1, code: 3503, reason: 'x' });

const shape = (rows: LatestRow[]): string[] => rows.map((r) => (r.kind === 'event' ? r.event.type : `${r.count} clients`));

describe('latest events', () => {
  it('keep a node event visible after 1,000 client.subscribed events, folding them into one counted line', () => {
    const events = [nodeStarted('node-1'), ...Array.from({ length: 1000 }, subscribed)];
    const state = addEvents(initialEvents(), events);
    const rows = latestRows(state.events, state.notable, 10, false);
    assert.deepEqual(shape(rows), ['1000 clients', 'node.started']);
    assert.deepEqual(rows[0]!.kind === 'clients' ? rows[0].byType : [], [{ type: 'client.subscribed', count: 1000 }]);
  });

  it('keep node events after client churn pushed them out of the 5,000-event ring', () => {
    let state = addEvents(initialEvents(), [nodeStarted('node-1'), nodeStarted('node-2')]);
    for (let i = 0; i < 6; i++) state = addEvents(state, Array.from({ length: 1000 }, subscribed));
    assert.equal(state.events.length, EVENTS_KEPT);
    assert.ok(!state.events.some((e) => e.type === 'node.started'), 'the big ring lost them');
    const rows = latestRows(state.events, state.notable, 10, false);
    assert.deepEqual(shape(rows), [`${EVENTS_KEPT} clients`, 'node.started', 'node.started']);
  });

  it('count client events per gap between notable events, by type, most frequent first', () => {
    const events = [nodeStarted('node-1'), connected(), subscribed(), subscribed(), kicked(), connected()];
    const state = addEvents(initialEvents(), events);
    const rows = latestRows(state.events, state.notable, 10, false);
    assert.deepEqual(shape(rows), ['1 clients', 'client.kicked', '3 clients', 'node.started']);
    assert.deepEqual(rows[2]!.kind === 'clients' ? rows[2].byType.map((t) => [t.type, t.count]) : [], [['client.subscribed', 2], ['client.connected', 1]]);
  });

  it('show every event, client ones too, when asked', () => {
    const state = addEvents(initialEvents(), [nodeStarted('node-1'), subscribed(), subscribed()]);
    assert.deepEqual(shape(latestRows(state.events, state.notable, 2, true)), ['client.subscribed', 'client.subscribed']);
  });

  it('keep notable events while the Events view is paused, in a bounded ring', () => {
    let state = setPaused(initialEvents(), true);
    state = addEvents(state, [nodeStarted('node-3'), subscribed()]);
    assert.equal(state.events.length, 0);
    assert.deepEqual(state.notable.map((e) => e.type), ['node.started']);
    state = addEvents(state, Array.from({ length: NOTABLE_KEPT + 5 }, () => nodeStarted('node-9')));
    assert.equal(state.notable.length, NOTABLE_KEPT);
  });
});
