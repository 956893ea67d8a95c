import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ControlMessage } from '../../shared/engine/control-messages.js';
import { MemoryControlBus } from '../engine/memory-control-bus.js';
import { Surveys } from './surveys.js';

/** Three supervisors on one in-process bus: the bus carries surveys exactly as Redis pub/sub would. */
function trio(timeoutMs = 300): { bus: MemoryControlBus; a: Surveys; b: Surveys; c: Surveys } {
  const bus = new MemoryControlBus();
  return { bus, a: new Surveys('sb-a', bus, timeoutMs), b: new Surveys('sb-b', bus, timeoutMs), c: new Surveys('sb-c', bus, timeoutMs) };
}

describe('surveys over the control bus', () => {
  it('collects one answer from each supervisor asked', async () => {
    const { a, b, c } = trio();
    b.handle('channels.rows', async () => ({ rows: [{ channel: 'x', namespace: '', subscribers: 2, nodes: 1, publicationsPerSec: 0 }] }));
    c.handle('channels.rows', async () => ({ rows: [] }));
    const o = await a.ask('channels.rows', {}, ['sb-b', 'sb-c']);
    assert.deepEqual(o.answers.map((x) => [x.from, x.result.rows.length]).sort(), [['sb-b', 1], ['sb-c', 0]]);
    assert.deepEqual([o.failed, o.unanswered], [[], []]);
  });

  it('names a supervisor that does not answer within the timeout, and still answers with the others', async () => {
    const { a, b } = trio(200);
    b.handle('channels.rows', async () => ({ rows: [] }));
    const started = Date.now();
    const o = await a.ask('channels.rows', {}, ['sb-b', 'sb-gone']);
    assert.deepEqual(o.answers.map((x) => x.from), ['sb-b']);
    assert.deepEqual(o.unanswered, ['sb-gone']);
    assert.ok(Date.now() - started >= 150, 'it waited for the silent one');
  });

  it('reports an unknown op and a handler that throws as failures naming why', async () => {
    const { a, b, c } = trio();
    c.handle('channels.rows', async () => {
      throw new Error('bad channels.rows params: expected object');
    });
    const o = await a.ask('channels.rows', {}, ['sb-b', 'sb-c']);
    assert.deepEqual(o.failed.sort((x, y) => x.from.localeCompare(y.from)), [
      { from: 'sb-b', error: 'unknown survey op "channels.rows"' },
      { from: 'sb-c', error: 'bad channels.rows params: expected object' },
    ]);
    void b;
  });

  it('never asks itself, and answers at once when nobody else is asked', async () => {
    const { bus, a } = trio();
    const seen: ControlMessage[] = [];
    bus.subscribe((m) => void seen.push(m));
    a.handle('channels.rows', async () => ({ rows: [] }));
    const o = await a.ask('channels.rows', {}, ['sb-a']);
    assert.deepEqual(o, { answers: [], failed: [], unanswered: [] });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, []);
  });

  it('ignores answers meant for another asker and answers to a finished survey', async () => {
    const { bus, a, b } = trio();
    b.handle('channels.rows', async () => ({ rows: [] }));
    const stray: ControlMessage = { type: 'survey.answer', id: 'sb-a:1', from: 'sb-b', to: 'sb-c', result: { rows: [] } };
    await bus.publish(stray);
    const o = await a.ask('channels.rows', {}, ['sb-b']);
    assert.equal(o.answers.length, 1);
    await bus.publish({ type: 'survey.answer', id: 'sb-a:1', from: 'sb-b', to: 'sb-a', result: { rows: [] } });
    assert.equal(o.answers.length, 1);
  });

  it('treats a bus that refuses the ask as nobody answering, without throwing', async () => {
    const bus = new MemoryControlBus();
    const a = new Surveys('sb-a', { publish: async () => { throw new Error('redis down'); }, subscribe: (l) => bus.subscribe(l) }, 200);
    const o = await a.ask('channels.rows', {}, ['sb-b']);
    assert.deepEqual(o.unanswered, ['sb-b']);
  });
});
