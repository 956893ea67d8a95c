import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeMessage } from '../../shared/ipc/node-ipc.js';
import { RequestFailed, SupervisorLink } from './supervisor-link.js';

/** A value nested `levels` deep, which JSON.stringify cannot encode at a few thousand levels. */
function nested(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

/** A link whose sends are encoded like `process.send` does, and what went out and was logged. */
function link() {
  const sent: NodeMessage[] = [];
  const logged: string[] = [];
  const l = new SupervisorLink((batch) => {
    JSON.parse(JSON.stringify(batch)) as unknown;
    sent.push(...batch);
  }, 10_000, (line) => void logged.push(line));
  return { l, sent, logged };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('SupervisorLink guard', () => {
  it('sends the rest of a batch and fails only the request whose message cannot be encoded, at once', async () => {
    const { l, sent, logged } = link();
    l.send({ t: 'conn.taken' });
    const bad = l.request('broker.publish', { channel: 'chat:x', data: nested(10_000) as never });
    const good = l.request('broker.positions', { channels: ['chat:x'] });
    l.send({ t: 'session.closed', client: 'c1', code: 3000, reason: 'bye' });
    const failed = assert.rejects(bad, RequestFailed);
    await turn();
    await failed;
    assert.deepEqual(sent.map((m) => (m.t === 'req' ? `req ${m.op}` : m.t)), ['conn.taken', 'req broker.positions', 'session.closed']);
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /request broker\.publish .* could not be sent .*RangeError/);
    // The good request is still pending and gets its answer.
    const id = (sent[1] as Extract<NodeMessage, { t: 'req' }>).id;
    await l.receive({ t: 'res', id, res: { 'chat:x': { offset: 1, epoch: 'e' } } });
    assert.deepEqual(await good, { 'chat:x': { offset: 1, epoch: 'e' } });
  });

  it("answers a supervisor request with res.failed when its answer cannot be encoded, so the supervisor's request does not hang", async () => {
    const { l, sent } = link();
    l.serve({ 'session.detail': () => ({ deep: nested(10_000) }) as never } as never);
    await l.receive({ t: 'req', id: 7, op: 'session.detail', req: { client: 'c1' } });
    await turn();
    await turn();
    assert.deepEqual(sent.map((m) => m.t), ['res.failed']);
    assert.equal((sent[0] as Extract<NodeMessage, { t: 'res.failed' }>).id, 7);
  });

  it('answers res.failed when a handler throws, instead of an unhandled rejection', async () => {
    const { l, sent, logged } = link();
    l.serve({ 'session.detail': () => { throw new Error('boom'); } } as never);
    await l.receive({ t: 'req', id: 8, op: 'session.detail', req: { client: 'c1' } });
    await turn();
    assert.deepEqual(sent, [{ t: 'res.failed', id: 8, reason: 'Error: boom' }]);
    assert.match(logged[0]!, /session\.detail from the supervisor failed: Error: boom/);
  });

  it('fails a pending request when the supervisor says it could not send the answer', async () => {
    const { l, sent } = link();
    const pending = l.request('broker.history', { channel: 'chat:x', limit: 10, reverse: false });
    await turn();
    const id = (sent[0] as Extract<NodeMessage, { t: 'req' }>).id;
    await l.receive({ t: 'res.failed', id, reason: 'RangeError: Maximum call stack size exceeded' });
    await assert.rejects(pending, /could not send its answer \(RangeError/);
  });
});
