import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterSnapshot, EngineStatus, NodeSnapshot, SupervisorView } from '../../../shared/admin/admin-model.js';
import {
  ageMs, engineFigures, fmtAge, groupHeading, heartbeatLate, multiSupervisor, nodeIdsBySupervisor, selfSupervisorId, splitNodeId,
  supervisorGroups, supervisorOfNode,
} from './supervisors.model.js';

const AT = 1_700_000_010_000;

const node = (id: string, over: Partial<NodeSnapshot> = {}): NodeSnapshot => ({
  id, pid: 1, state: 'healthy', uptimeMs: 1000, restarts: 0, connections: 0, users: 0, subscriptions: 0,
  messagesInPerSec: 0, messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 0, rss: 0, heapUsed: 0,
  loopDelayP50Ms: 0, loopDelayP99Ms: 0, ...over,
});

const engine = (supervisor: string, over: Partial<EngineStatus> = {}): EngineStatus => ({
  kind: 'redis', supervisor, controlHeardAt: AT - 300, address: 'redis://127.0.0.1:6379', link: 'connected', rttMs: 0.4, reconnects: 0, ...over,
});

const view = (id: string, self: boolean, over: Partial<SupervisorView> = {}): SupervisorView => ({
  id, self, heardAt: AT - 400, engine: engine(id), nodes: 1, connections: 0, publicationsPerSec: 0, ...over,
});

type Shape = Pick<ClusterSnapshot, 'nodes' | 'engine' | 'supervisors'>;

describe('grouping the Nodes table by supervisor', () => {
  it('keeps the table flat with one supervisor, or a server that names none', () => {
    const one: Shape = { nodes: [node('node-1'), node('node-2')], engine: engine('sb-b', { kind: 'memory' }), supervisors: [view('sb-b', true)] };
    assert.equal(supervisorGroups(one), null);
    assert.equal(supervisorGroups({ nodes: [node('node-1')] }), null);
    assert.equal(multiSupervisor(one), false);
  });

  it('puts this supervisor first, the others by id, each with its own nodes in id order', () => {
    const s: Shape = {
      nodes: [
        node('sb-c/node-1', { supervisor: 'sb-c' }), node('node-10', { supervisor: 'sb-b' }), node('sb-a/node-2', { supervisor: 'sb-a' }),
        node('node-2', { supervisor: 'sb-b' }), node('sb-a/node-1', { supervisor: 'sb-a' }),
      ],
      engine: engine('sb-b'),
      supervisors: [view('sb-b', true), view('sb-c', false), view('sb-a', false)],
    };
    const groups = supervisorGroups(s)!;
    assert.deepEqual(groups.map((g) => [g.id, g.self, g.nodes.map((n) => n.id)]), [
      ['sb-b', true, ['node-2', 'node-10']],
      ['sb-a', false, ['sb-a/node-1', 'sb-a/node-2']],
      ['sb-c', false, ['sb-c/node-1']],
    ]);
    assert.equal(groups[1]!.view?.id, 'sb-a');
  });

  it('places a node without a supervisor field by its id: a prefixed one under that supervisor, a plain one here', () => {
    const s: Shape = { nodes: [node('node-1'), node('sb-a/node-1')], supervisors: [view('sb-b', true), view('sb-a', false)] };
    assert.deepEqual(supervisorGroups(s)!.map((g) => [g.id, g.nodes.map((n) => n.id)]), [['sb-b', ['node-1']], ['sb-a', ['sb-a/node-1']]]);
  });

  it('gives a supervisor with no node a group of its own, and nodes of one no longer listed a group without a view', () => {
    const s: Shape = {
      nodes: [node('node-1'), node('sb-z/node-1', { supervisor: 'sb-z' })],
      supervisors: [view('sb-b', true), view('sb-a', false, { nodes: 0 })],
    };
    const groups = supervisorGroups(s)!;
    assert.deepEqual(groups.map((g) => [g.id, g.nodes.length, g.view !== undefined]), [['sb-b', 1, true], ['sb-a', 0, true], ['sb-z', 1, false]]);
    assert.equal(groupHeading(groups[2]!, AT).heartbeat, 'no heartbeat');
    assert.equal(groupHeading(groups[2]!, AT).heartbeatLate, true);
  });
});

describe('node and supervisor ids', () => {
  it('splits a node of another supervisor into its supervisor and its own id', () => {
    assert.deepEqual(splitNodeId('sb-a/node-3'), { supervisor: 'sb-a', node: 'node-3' });
    assert.deepEqual(splitNodeId('node-3'), { supervisor: null, node: 'node-3' });
  });

  it('takes the supervisor of a node from its field first, then its id, then this supervisor', () => {
    assert.equal(supervisorOfNode({ id: 'node-1', supervisor: 'sb-x' }, 'sb-b'), 'sb-x');
    assert.equal(supervisorOfNode({ id: 'sb-a/node-1' }, 'sb-b'), 'sb-a');
    assert.equal(supervisorOfNode({ id: 'node-1' }, 'sb-b'), 'sb-b');
  });

  it('knows this supervisor from the list, else from the engine', () => {
    assert.equal(selfSupervisorId({ supervisors: [view('sb-a', false), view('sb-b', true)] }), 'sb-b');
    assert.equal(selfSupervisorId({ engine: engine('sb-e') }), 'sb-e');
    assert.equal(selfSupervisorId({}), '');
  });

  it('lists node ids for the node filter under their supervisors, this one first', () => {
    assert.deepEqual(nodeIdsBySupervisor(['sb-c/node-1', 'node-2', 'sb-a/node-1', 'node-1'], 'sb-b'), [
      { supervisor: 'sb-b', self: true, ids: ['node-1', 'node-2'] },
      { supervisor: 'sb-a', self: false, ids: ['sb-a/node-1'] },
      { supervisor: 'sb-c', self: false, ids: ['sb-c/node-1'] },
    ]);
  });
});

describe('heartbeat ages', () => {
  it('measures against the snapshot\'s clock, never below zero, and says when nothing was heard', () => {
    assert.equal(ageMs(AT - 1500, AT), 1500);
    assert.equal(ageMs(AT + 20, AT), 0);
    assert.equal(ageMs(0, AT), null);
  });

  it('reads in tenths of a second while fresh, then seconds and minutes', () => {
    assert.equal(fmtAge(400), '0.4 s ago');
    assert.equal(fmtAge(2600), '2.6 s ago');
    assert.equal(fmtAge(42_000), '42 s ago');
    assert.equal(fmtAge(185_000), '3m 5s ago');
    assert.equal(fmtAge(null), 'not heard yet');
  });

  it('flags a heartbeat older than 2 s, or none at all', () => {
    assert.equal(heartbeatLate(2000), false);
    assert.equal(heartbeatLate(2001), true);
    assert.equal(heartbeatLate(null), true);
  });

  it('heads a group with its heartbeat, its engine link and its counts as its heartbeat reports them', () => {
    const g = { id: 'sb-a', self: false, nodes: [node('sb-a/node-1')],
      view: view('sb-a', false, { heardAt: AT - 2500, nodes: 2, connections: 1234, publicationsPerSec: 3.25, engine: engine('sb-a', { link: 'reconnecting' }) }) };
    assert.deepEqual(groupHeading(g, AT), {
      id: 'sb-a', self: false, heartbeat: 'heartbeat 2.5 s ago', heartbeatLate: true, link: 'reconnecting',
      counts: '2 nodes · 1,234 connections · 3.3 publications/s',
    });
    const one = groupHeading({ ...g, view: view('sb-a', false, { connections: 1 }) }, AT);
    assert.deepEqual([one.heartbeatLate, one.counts], [false, '1 node · 1 connection · 0.0 publications/s']);
  });

  it('counts a waiting standby process apart from the nodes, and says nothing when there is none', () => {
    const g = { id: 'sb-a', self: true, nodes: [node('sb-a/node-1')], view: view('sb-a', true, { nodes: 3, connections: 10, standbyNodes: 1 }) };
    assert.equal(groupHeading(g, AT).counts, '3 nodes · 10 connections · 0.0 publications/s · 1 standby');
    assert.equal(groupHeading({ ...g, view: view('sb-a', true, { nodes: 3, connections: 10, standbyNodes: 0 }) }, AT).counts,
      '3 nodes · 10 connections · 0.0 publications/s');
  });
});

describe('the engine tile', () => {
  const byKey = (e: EngineStatus, at = AT): Record<string, { value: string; warn: boolean }> =>
    Object.fromEntries(engineFigures(e, at).map((f) => [f.key, { value: f.value, warn: f.warn }]));

  it('shows what a Redis engine reports', () => {
    const f = byKey(engine('sb-b', { rttMs: 0.42, reconnects: 3, controlHeardAt: AT - 700 }));
    assert.deepEqual(Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.value])), {
      kind: 'Redis', address: 'redis://127.0.0.1:6379', link: 'connected', rtt: '0.4 ms', reconnects: '3', heard: '0.7 s ago',
    });
    assert.ok(Object.values(f).every((x) => !x.warn));
  });

  it('shows a dash for every figure a Redis engine does not report, never a made-up one', () => {
    const f = byKey({ kind: 'redis', supervisor: 'sb-b', controlHeardAt: AT - 100 });
    assert.deepEqual([f.kind!.value, f.address!.value, f.link!.value, f.rtt!.value, f.reconnects!.value], ['Redis', '—', '—', '—', '—']);
    assert.equal(byKey(engine('sb-b', { rttMs: null, link: 'down' })).rtt!.value, '—');
  });

  it('leaves out of the in-process engine its link (connected by definition) and the figures it has no server for', () => {
    assert.deepEqual(Object.keys(byKey({ kind: 'memory', supervisor: 'sb-b', controlHeardAt: AT - 100 })), ['kind', 'heard']);
    const f = byKey({ kind: 'memory', supervisor: 'sb-b', controlHeardAt: AT - 100, link: 'connected' });
    assert.deepEqual(Object.keys(f), ['kind', 'heard']);
    assert.equal(f.kind!.value, 'In-process memory');
    assert.deepEqual(Object.keys(byKey({ kind: 'memory', supervisor: 'sb-b', controlHeardAt: AT - 100, reconnects: 0 })), ['kind', 'reconnects', 'heard']);
  });

  it('flags a link that is not connected and an own heartbeat older than 2 s', () => {
    const f = byKey(engine('sb-b', { link: 'down', controlHeardAt: AT - 4000 }));
    assert.deepEqual([f.link!.warn, f.heard!.warn, f.heard!.value], [true, true, '4.0 s ago']);
    assert.equal(byKey(engine('sb-b', { controlHeardAt: 0 })).heard!.value, 'not heard yet');
  });
});
