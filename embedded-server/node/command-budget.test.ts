import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import { chargeCommands, chargeError, chargeMethod } from './command-budget.js';
import { Session } from './session.js';

const session = (): Session => new Session({} as WebSocket, '127.0.0.1', 0);
const T = 1_700_000_000_000;

describe('command budget', () => {
  it('allows up to the limit of commands within one second and refuses past it', () => {
    const s = session();
    assert.equal(chargeCommands(s, 1500, T, 2000), true);
    assert.equal(chargeCommands(s, 500, T + 999 - (T % 1000), 2000), true);
    assert.equal(chargeCommands(s, 1, T + 999 - (T % 1000), 2000), false);
  });

  it('starts counting afresh in the next second', () => {
    const s = session();
    assert.equal(chargeCommands(s, 2000, T, 2000), true);
    assert.equal(chargeCommands(s, 2000, T + 1000, 2000), true);
  });

  it('never refuses when the limit is 0', () => {
    const s = session();
    assert.equal(chargeCommands(s, 1e9, T, 0), true);
    assert.equal(chargeError(s, T, 0), true);
  });

  it('counts error replies apart from commands and refuses the one past the limit', () => {
    const s = session();
    chargeCommands(s, 10, T, 2000);
    for (let i = 0; i < 3; i++) assert.equal(chargeError(s, T, 3), true);
    assert.equal(chargeError(s, T, 3), false);
    assert.equal(chargeError(s, T + 1000, 3), true);
  });
});

describe('per-kind command rates', () => {
  it('passes a kind up to its limit, answers "limited" up to twice it, then "cut"', () => {
    const s = session();
    const verdicts = Array.from({ length: 7 }, () => chargeMethod(s, 'publish', T, 3));
    assert.deepEqual(verdicts, ['ok', 'ok', 'ok', 'limited', 'limited', 'limited', 'cut']);
  });

  it('counts each kind on its own and starts afresh in the next second', () => {
    const s = session();
    for (let i = 0; i < 3; i++) chargeMethod(s, 'history', T, 3);
    assert.equal(chargeMethod(s, 'history', T, 3), 'limited');
    assert.equal(chargeMethod(s, 'presence', T, 3), 'ok');
    assert.equal(chargeMethod(s, 'history', T + 1000, 3), 'ok');
  });

  it('treats a limit of 0 as unlimited and allocates nothing for it', () => {
    const s = session();
    for (let i = 0; i < 10_000; i++) assert.equal(chargeMethod(s, 'subscribe', T, 0), 'ok');
    assert.equal(s.methodCounts, null);
  });
});
