import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserSessions } from './user-sessions.js';

class S {
  constructor(readonly id: string) {}
}

describe('user sessions index', () => {
  it('counts and lists one session per user without a set, and forgets the user with it', () => {
    const idx = new UserSessions<S>();
    const a = new S('a');
    idx.add('ann', a);
    assert.equal(idx.count('ann'), 1);
    assert.deepEqual(idx.of('ann'), [a]);
    assert.equal(idx.size, 1);
    idx.delete('ann', a);
    assert.equal(idx.count('ann'), 0);
    assert.deepEqual(idx.of('ann'), []);
    assert.equal(idx.size, 0);
  });

  it('holds several sessions of one user and goes back to one as they close', () => {
    const idx = new UserSessions<S>();
    const [a, b, c] = [new S('a'), new S('b'), new S('c')];
    idx.add('ann', a);
    idx.add('ann', b);
    idx.add('ann', c);
    assert.equal(idx.count('ann'), 3);
    assert.deepEqual(idx.of('ann').map((s) => s.id).sort(), ['a', 'b', 'c']);
    idx.delete('ann', b);
    idx.delete('ann', a);
    assert.deepEqual(idx.of('ann'), [c]);
    idx.add('ann', a);
    assert.deepEqual(idx.of('ann').map((s) => s.id).sort(), ['a', 'c']);
    assert.equal(idx.size, 1);
  });

  it('ignores adding the same session twice and deleting one it does not hold', () => {
    const idx = new UserSessions<S>();
    const [a, b] = [new S('a'), new S('b')];
    idx.add('ann', a);
    idx.add('ann', a);
    assert.equal(idx.count('ann'), 1);
    idx.delete('ann', b);
    idx.delete('bob', a);
    assert.deepEqual(idx.of('ann'), [a]);
  });

  it('keeps users apart', () => {
    const idx = new UserSessions<S>();
    const [a, b] = [new S('a'), new S('b')];
    idx.add('ann', a);
    idx.add('bob', b);
    assert.deepEqual(idx.of('bob'), [b]);
    assert.equal(idx.size, 2);
  });
});
