import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeSendError, sendGuarded } from './guarded-send.js';

type Msg = { t: string; items?: unknown[] };

/** A value JSON.stringify cannot encode (a BigInt throws TypeError, like a too-deep value throws RangeError). */
const BAD = 10n;

/** A sender that encodes like `process.send` and records what went out, batch by batch. */
function recorder() {
  const sent: Msg[][] = [];
  const dropped: { msg: Msg; error: string }[] = [];
  return {
    sent,
    dropped,
    sender: {
      send: (batch: Msg[]) => {
        JSON.stringify(batch);
        sent.push(batch);
      },
      split: (m: Msg) => (m.t === 'deliver' && m.items ? m.items.map((item) => ({ t: 'deliver', items: [item] })) : null),
      dropped: (msg: Msg, e: unknown) => void dropped.push({ msg, error: describeSendError(e) }),
    },
  };
}

describe('sendGuarded', () => {
  it('sends a batch that encodes as one message', () => {
    const r = recorder();
    sendGuarded([{ t: 'a' }, { t: 'b' }], r.sender);
    assert.deepEqual(r.sent, [[{ t: 'a' }, { t: 'b' }]]);
    assert.deepEqual(r.dropped, []);
  });

  it('sends the rest of a batch one by one and drops only the message that cannot be encoded', () => {
    const r = recorder();
    const bad = { t: 'res', res: BAD } as unknown as Msg;
    sendGuarded([{ t: 'a' }, bad, { t: 'b' }], r.sender);
    assert.deepEqual(r.sent, [[{ t: 'a' }], [{ t: 'b' }]]);
    assert.equal(r.dropped.length, 1);
    assert.equal(r.dropped[0]!.msg, bad);
    assert.match(r.dropped[0]!.error, /^TypeError: /);
  });

  it('splits a delivery message that fails into its items and drops only the bad item', () => {
    const r = recorder();
    sendGuarded([{ t: 'deliver', items: ['x', BAD, 'y'] }], r.sender);
    assert.deepEqual(r.sent, [[{ t: 'deliver', items: ['x'] }], [{ t: 'deliver', items: ['y'] }]]);
    assert.deepEqual(r.dropped.map((d) => d.msg), [{ t: 'deliver', items: [BAD] }]);
  });

  it('drops a value nested 10,000 deep (RangeError from JSON.stringify) without throwing', () => {
    const r = recorder();
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    sendGuarded([{ t: 'ok' }, { t: 'req', items: [deep] } as Msg], r.sender);
    assert.deepEqual(r.sent, [[{ t: 'ok' }]]);
    assert.match(r.dropped[0]!.error, /^RangeError: Maximum call stack size exceeded/);
  });

  it('never throws, even when the drop handler does', () => {
    const r = recorder();
    assert.doesNotThrow(() => sendGuarded([{ t: 'res', res: BAD } as unknown as Msg], { ...r.sender, dropped: () => { throw new Error('handler'); } }));
  });
});
