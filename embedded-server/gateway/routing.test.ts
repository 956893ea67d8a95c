import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PENDING_SPREAD, rendezvous, Router } from './routing.js';
import type { Candidate } from './routing.js';
import { ROUTING_STRATEGIES } from '../config/cluster-config.js';

const NODES: readonly Candidate[] = [
  { id: 'node-1', load: 5 },
  { id: 'node-2', load: 2 },
  { id: 'node-3', load: 9 },
];

const KEYS = Array.from({ length: 1000 }, (_, i) => `user-${i}`);

/** key → node id for every key, with the sticky strategy. */
function assignment(candidates: readonly Candidate[]): Map<string, string> {
  const router = new Router('sticky');
  return new Map(KEYS.map((key) => [key, router.pick(candidates, key)!.id]));
}

describe('routing: least-connections', () => {
  it('picks the least loaded node', () => {
    assert.equal(new Router('least-connections').pick(NODES, 'user-1')?.id, 'node-2');
  });

  it('picks the first of equally loaded nodes', () => {
    const tied = [{ id: 'a', load: 3 }, { id: 'b', load: 1 }, { id: 'c', load: 1 }];
    assert.equal(new Router('least-connections').pick(tied, null)?.id, 'b');
  });

  it('spreads a burst: a node with too many hand-offs waiting yields to the least loaded of the others', () => {
    const router = new Router('least-connections');
    const nodes: Candidate[] = [
      { id: 'survivor-1', load: 3333, pending: 0 },
      { id: 'survivor-2', load: 3334, pending: 0 },
      { id: 'restarted', load: 40, pending: PENDING_SPREAD },
    ];
    assert.equal(router.pick(nodes, null)?.id, 'survivor-1');
    nodes[2]!.pending = PENDING_SPREAD - 1;
    assert.equal(router.pick(nodes, null)?.id, 'restarted', 'below the bound, the least loaded again');
  });

  it('picks the node with the fewest hand-offs waiting when every node has too many', () => {
    const nodes: Candidate[] = [
      { id: 'a', load: 10, pending: PENDING_SPREAD + 9 },
      { id: 'b', load: 900, pending: PENDING_SPREAD + 2 },
      { id: 'c', load: 50, pending: PENDING_SPREAD + 5 },
    ];
    assert.equal(new Router('least-connections').pick(nodes, null)?.id, 'b');
  });

  it('follows the load as it changes', () => {
    const router = new Router('least-connections');
    const nodes = NODES.map((n) => ({ ...n }));
    nodes[1]!.load = 20;
    assert.equal(router.pick(nodes, null)?.id, 'node-1');
  });
});

describe('routing: round-robin', () => {
  it('cycles through the candidates in order, whatever their load', () => {
    const router = new Router('round-robin');
    const picks = Array.from({ length: 7 }, () => router.pick(NODES, null)?.id);
    assert.deepEqual(picks, ['node-1', 'node-2', 'node-3', 'node-1', 'node-2', 'node-3', 'node-1']);
  });

  it('keeps a turn per router', () => {
    const first = new Router('round-robin');
    const second = new Router('round-robin');
    first.pick(NODES, null);
    assert.equal(second.pick(NODES, null)?.id, 'node-1');
    assert.equal(first.pick(NODES, null)?.id, 'node-2');
  });
});

describe('routing: sticky', () => {
  it('sends the same key to the same node on every call, whatever the candidate order', () => {
    const router = new Router('sticky');
    const first = router.pick(NODES, 'alice')?.id;
    assert.ok(first);
    for (let i = 0; i < 5; i++) assert.equal(router.pick(NODES, 'alice')?.id, first);
    assert.equal(router.pick([...NODES].reverse(), 'alice')?.id, first);
    assert.equal(new Router('sticky').pick(NODES, 'alice')?.id, first);
  });

  it('ignores the load for a keyed pick', () => {
    const loaded = NODES.map((n) => ({ ...n, load: n.load * 1000 }));
    assert.deepEqual(assignment(loaded), assignment(NODES));
  });

  it('spreads 1,000 keys over 3 nodes, each getting 25–42%', () => {
    const counts = new Map<string, number>();
    for (const id of assignment(NODES).values()) counts.set(id, (counts.get(id) ?? 0) + 1);
    assert.deepEqual([...counts.keys()].sort(), ['node-1', 'node-2', 'node-3']);
    for (const [id, n] of counts) assert.ok(n >= 250 && n <= 420, `${id} got ${n} of 1000 keys`);
  });

  it('moves only the keys of a removed node, and spreads them over the rest', () => {
    const before = assignment(NODES);
    const after = assignment(NODES.filter((n) => n.id !== 'node-2'));
    let moved = 0;
    const movedTo = new Set<string>();
    for (const key of KEYS) {
      if (before.get(key) === 'node-2') {
        moved++;
        movedTo.add(after.get(key)!);
      } else {
        assert.equal(after.get(key), before.get(key), `${key} stayed on its node`);
      }
    }
    assert.ok(moved > 0);
    assert.deepEqual([...movedTo].sort(), ['node-1', 'node-3']);
  });

  it('moves keys only onto a node that is added', () => {
    const before = assignment(NODES);
    const after = assignment([...NODES, { id: 'node-4', load: 0 }]);
    let gained = 0;
    for (const key of KEYS) {
      if (after.get(key) === before.get(key)) continue;
      assert.equal(after.get(key), 'node-4', `${key} moved only to the new node`);
      gained++;
    }
    assert.ok(gained >= 150 && gained <= 350, `node-4 took ${gained} of 1000 keys`);
  });

  it('falls back to the least loaded node without a key', () => {
    const router = new Router('sticky');
    assert.equal(router.pick(NODES, null)?.id, 'node-2');
    assert.equal(router.pick(NODES, '')?.id, 'node-2');
  });

  it('answers the one node there is', () => {
    assert.deepEqual(rendezvous([{ id: 'solo', load: 0 }], 'bob'), { id: 'solo', load: 0 });
  });
});

describe('routing: no candidates', () => {
  it('answers null for every strategy', () => {
    for (const strategy of ROUTING_STRATEGIES) {
      assert.equal(new Router(strategy).pick([], 'alice'), null, strategy);
      assert.equal(new Router(strategy).pick([], null), null, strategy);
    }
  });
});
