import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Delivery, SupervisorMessage } from '../../shared/ipc/node-ipc.js';
import { asNodeId } from '../../shared/ids.js';
import { NodeOutbox } from './node-outbox.js';
import { NodeProcess } from './node-process.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

function nested(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

const pub = (channel: string, n: number, bytes = 10): Delivery => ({ kind: 'pub', channel, frame: 'x'.repeat(bytes), offset: n, epoch: 'e' });

/** A node's IPC channel that encodes like `child.send` and completes writes only when told (a stopped node does not read). */
function channel() {
  const written: SupervisorMessage[][] = [];
  const pendingWrites: (() => void)[] = [];
  const overflows: [boolean, number][] = [];
  const dropped: SupervisorMessage[] = [];
  return {
    written, pendingWrites, overflows, dropped,
    target: {
      write: (batch: SupervisorMessage[], done: () => void) => {
        JSON.stringify(batch);
        written.push(batch);
        pendingWrites.push(done);
      },
      dropped: (msg: SupervisorMessage) => void dropped.push(msg),
      overflow: (dropping: boolean, count: number) => void overflows.push([dropping, count]),
    },
  };
}

describe('NodeOutbox', () => {
  it('batches a turn of messages and deliveries into one IPC message, in order', async () => {
    const c = channel();
    const o = new NodeOutbox(c.target, 1 << 20);
    o.send({ t: 'reconcile', positions: {} });
    o.deliver(pub('chat:a', 1));
    o.deliver(pub('chat:a', 2));
    await turn();
    assert.equal(c.written.length, 1);
    assert.deepEqual(c.written[0]!.map((m) => m.t), ['reconcile', 'deliver']);
  });

  it('stops queueing deliveries for a node that does not read once the unsent bytes pass the bound, then resumes when it catches up', async () => {
    const c = channel();
    const o = new NodeOutbox(c.target, 64 * 1024);
    let accepted = 0;
    for (let n = 1; n <= 200; n++) {
      if (o.deliver(pub('chat:a', n, 10_000))) accepted++;
      if (n % 10 === 0) await turn();
    }
    await turn();
    assert.ok(o.queuedBytes <= 64 * 1024, `${o.queuedBytes} bytes queued`);
    assert.ok(accepted < 10, `${accepted} accepted`);
    assert.equal(o.droppedDeliveries, 200 - accepted);
    assert.deepEqual(c.overflows, [[true, 0]]);
    for (const done of c.pendingWrites.splice(0)) done(); // the node reads again
    assert.deepEqual(c.overflows, [[true, 0], [false, 200 - accepted]]);
    assert.equal(o.queuedBytes, 0);
    assert.equal(o.deliver(pub('chat:a', 201, 10_000)), true);
  });

  it('never drops requests or answers for the bound', async () => {
    const c = channel();
    const o = new NodeOutbox(c.target, 65_536);
    o.deliver(pub('chat:a', 1, 70_000)); // over the bound on its own: dropped
    for (let id = 1; id <= 100; id++) o.send({ t: 'res', id, res: { ok: true, value: {} } });
    await turn();
    assert.equal(c.written.flat().filter((m) => m.t === 'res').length, 100);
  });

  it('delivers the rest of a batch when one message cannot be encoded, and hands that one over', async () => {
    const c = channel();
    const o = new NodeOutbox(c.target, 1 << 20);
    o.deliver(pub('chat:a', 1));
    o.send({ t: 'res', id: 3, res: nested(10_000) });
    o.deliver(pub('chat:a', 2));
    await turn();
    assert.deepEqual(c.written.flat().map((m) => m.t), ['deliver', 'deliver']);
    assert.deepEqual(c.dropped.map((m) => m.t), ['res']);
  });
});

describe('NodeProcess IPC guard', () => {
  /** A process whose child is a stand-in that encodes like `child.send`. */
  function withChild() {
    const p = new NodeProcess(asNodeId('node-1'), 'sb-test/node-1#0', 1000);
    const sent: SupervisorMessage[] = [];
    p.child = {
      connected: true,
      send: (batch: SupervisorMessage[], cb: () => void) => {
        JSON.stringify(batch);
        sent.push(...batch);
        setImmediate(cb);
        return true;
      },
    } as never;
    return { p, sent };
  }

  it('answers the node res.failed in place of an answer that cannot be encoded, and sends everything else', async () => {
    const { p, sent } = withChild();
    p.send({ t: 'res', id: 1, res: { ok: true, value: 1 } });
    p.send({ t: 'res', id: 2, res: { ok: true, value: nested(10_000) } });
    p.deliver(pub('chat:a', 1));
    await turn();
    await turn();
    assert.deepEqual(sent.map((m) => (m.t === 'res' || m.t === 'res.failed' ? `${m.t} ${m.id}` : m.t)), ['res 1', 'deliver', 'res.failed 2']);
  });

  it('answers its own request with the fallback when the request cannot be encoded', async () => {
    const { p, sent } = withChild();
    const answer = p.request('sessions.message', { data: nested(10_000) as never }, { count: 0 });
    p.send({ t: 'reconcile', positions: {} });
    assert.deepEqual(await answer, { count: 0 });
    assert.deepEqual(sent.map((m) => m.t), ['reconcile']);
  });
});
