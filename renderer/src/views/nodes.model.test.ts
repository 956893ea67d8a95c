import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeSnapshot } from '../../../shared/admin/admin-model.js';
import {
  actionName, actionPlan, doneText, drainPercent, drainText, faultSecondsLeft, fmtBytesTight, fmtDelay, NODE_ACTIONS, parseRate, parseSeconds,
  unavailableReason,
} from './nodes.model.js';

const node = (over: Partial<NodeSnapshot> = {}): NodeSnapshot => ({
  id: 'node-2', pid: 42, state: 'healthy', uptimeMs: 5000, restarts: 0, connections: 1234, users: 0, subscriptions: 0,
  messagesInPerSec: 0, messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 0, rss: 0, heapUsed: 0,
  loopDelayP50Ms: 0, loopDelayP99Ms: 0, ...over,
});

describe('node action names', () => {
  it('gives every button an accessible name with the node in it', () => {
    assert.deepEqual(NODE_ACTIONS.map((a) => actionName(a, 'node-2')),
      ['Kill node-2', 'Hang node-2', 'Partition node-2', 'Drop sockets of node-2', 'Restart node-2', 'Drain and remove node-2']);
  });
});

describe('node action confirmation', () => {
  it('names the node and how many clients it affects in every dialog', () => {
    for (const a of NODE_ACTIONS) {
      const plan = actionPlan(a, node(), true);
      assert.match(plan.title, /node-2/);
      assert.match(plan.consequence, /1,234 clients/);
    }
  });

  it('says whether a killed node comes back, from the auto-restart setting', () => {
    assert.match(actionPlan('kill', node(), true).consequence, /Auto-restart brings the node back/);
    assert.match(actionPlan('kill', node(), false).consequence, /stays down until you restart it/);
  });

  it('states the chosen duration of a hang or partition', () => {
    assert.match(actionPlan('hang', node(), true, 12).consequence, /for 12 s/);
    assert.match(actionPlan('partition', node({ connections: 1 }), true, 3).consequence, /for 3 s.*1 client /);
    assert.match(actionPlan('hang', node(), true, null).consequence, /for the time you choose/);
  });
});

describe('fault durations', () => {
  it('accepts whole seconds from 1 to 3600 only', () => {
    assert.equal(parseSeconds('5'), 5);
    assert.equal(parseSeconds(' 30 '), 30);
    assert.equal(parseSeconds('3600'), 3600);
    for (const bad of ['', '0', '3601', '2.5', '-1', 'five', '1e3']) assert.equal(parseSeconds(bad), null, bad);
  });

  it('counts the seconds left of a fault from the snapshot time, never below zero', () => {
    assert.equal(faultSecondsLeft({ kind: 'hang', until: 10_000 }, 5_500), 5);
    assert.equal(faultSecondsLeft({ kind: 'hang', until: 10_000 }, 9_999), 1);
    assert.equal(faultSecondsLeft({ kind: 'partition', until: 10_000 }, 12_000), 0);
  });
});

describe('event-loop delays', () => {
  it('reads in milliseconds, and in seconds once a node stalls', () => {
    assert.equal(fmtDelay(0.25), '0.3 ms');
    assert.equal(fmtDelay(55), '55 ms');
    assert.equal(fmtDelay(4994), '5.0 s');
  });
});

describe('which node actions apply', () => {
  it('allows everything on a healthy node of several', () => {
    assert.deepEqual(NODE_ACTIONS.map((a) => unavailableReason(a, node(), 3)), [null, null, null, null, null, null]);
  });

  it('offers only restart and remove for a node that is down', () => {
    const down = node({ state: 'down', uptimeMs: 0 });
    assert.deepEqual(NODE_ACTIONS.filter((a) => unavailableReason(a, down, 3) === null), ['restart', 'remove']);
    assert.equal(unavailableReason('kill', down, 3), 'node-2 is down');
  });

  it('refuses a second fault while one is in progress', () => {
    const hung = node({ state: 'hung', fault: { kind: 'hang', until: 1 } });
    assert.equal(unavailableReason('partition', hung, 3), 'node-2 already has a hang in progress');
    assert.equal(unavailableReason('kill', hung, 3), null);
    assert.equal(unavailableReason('drop', hung, 3), 'node-2 is hung');
  });

  it('keeps the last node', () => {
    assert.equal(unavailableReason('remove', node(), 1), 'the last node cannot be removed');
  });
});

describe('node action outcome', () => {
  it('reports what the server did', () => {
    assert.equal(doneText('drop', 'node-2', 5, { dropped: 1500 }), '1,500 sockets of node-2 dropped');
    assert.equal(doneText('hang', 'node-2', 7), 'node-2 hangs for 7 s');
    assert.equal(doneText('remove', 'node-3', 5, { drained: 4 }), 'node-3 removed (4 connections drained)');
    assert.equal(doneText('remove', 'node-3', 5, { drained: 0, moving: 1200 }), 'node-3 draining: 1,200 connections to move');
  });
});

describe('drain progress and rate', () => {
  const drain = { purpose: 'remove' as const, total: 40, moved: 12, rate: 10, startedAt: 0 };

  it('accepts a whole number of clients per second from 1 to 100,000 and nothing else', () => {
    assert.deepEqual(['200', ' 5 ', '100000'].map(parseRate), [200, 5, 100_000]);
    assert.deepEqual(['0', '100001', '1.5', '-3', '', 'fast'].map(parseRate), [null, null, null, null, null, null]);
  });

  it('shows moved of total with the rate and the seconds left, and the share for the bar', () => {
    assert.equal(drainText(drain), 'draining: 12 of 40 moved · 10/s · about 3 s left');
    assert.equal(drainText({ ...drain, purpose: 'rebalance', moved: 40 }), 'rebalancing: 40 of 40 moved · 10/s');
    assert.deepEqual([drainPercent(drain), drainPercent({ ...drain, total: 0, moved: 0 }), drainPercent({ ...drain, moved: 50 })], [30, 100, 100]);
  });

  it('disables Drain on a node whose clients are already moving', () => {
    assert.equal(unavailableReason('remove', node({ drain }), 3), 'node-2 is already draining');
    assert.equal(unavailableReason('remove', node({ drain: { ...drain, purpose: 'rebalance' } }), 3), 'node-2 is already rebalancing');
  });
});

describe('bytes in the narrow Nodes columns', () => {
  it('keeps one decimal only below 10 of a unit', () => {
    assert.equal(fmtBytesTight(7.9 * 1024 * 1024), '7.9 MB');
    assert.equal(fmtBytesTight(74.7 * 1024 * 1024), '75 MB');
    assert.equal(fmtBytesTight(1.25 * 1024 ** 3), '1.3 GB');
  });

  it('writes whole bytes, and whole units without a trailing .0', () => {
    assert.equal(fmtBytesTight(0), '0 B');
    assert.equal(fmtBytesTight(512), '512 B');
    assert.equal(fmtBytesTight(2048), '2 KB');
  });

  it('puts thousands separators in figures of four digits', () => {
    assert.equal(fmtBytesTight(1000 * 1024), '1,000 KB');
  });
});
