import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareNatural } from './natural-order.js';

const sorted = (names: string[]): string[] => [...names].sort(compareNatural);

describe('natural order of names', () => {
  it('puts sim-2 before sim-10, and numbers in the middle of a name by value too', () => {
    assert.deepEqual(sorted(['chat:sim-10', 'chat:sim-2', 'chat:sim-1', 'chat:sim-11', 'chat:sim-0']),
      ['chat:sim-0', 'chat:sim-1', 'chat:sim-2', 'chat:sim-10', 'chat:sim-11']);
    assert.deepEqual(sorted(['room-10-b', 'room-9-z', 'room-10-a']), ['room-9-z', 'room-10-a', 'room-10-b']);
  });

  it('compares the text around the numbers by code units, as the plain order did (capitals first, no locale)', () => {
    assert.deepEqual(sorted(['chat:general', 'chat:Random', 'news', 'news:sport', 'personal:#alice']),
      ['chat:Random', 'chat:general', 'news', 'news:sport', 'personal:#alice']);
    assert.deepEqual(sorted(['b', 'a1', 'a', 'a-1']), ['a', 'a-1', 'a1', 'b']);
  });

  it('compares numbers longer than a double holds by value', () => {
    assert.deepEqual(sorted(['n:123456789012345678901234567890', 'n:99999999999999999999']),
      ['n:99999999999999999999', 'n:123456789012345678901234567890']);
  });

  it('is a total order: only the same string compares as 0, and leading zeros break ties the same way every time', () => {
    assert.equal(compareNatural('x', 'x'), 0);
    assert.ok(compareNatural('a01', 'a1') !== 0);
    assert.equal(Math.sign(compareNatural('a01', 'a1')), -Math.sign(compareNatural('a1', 'a01')));
    assert.deepEqual(sorted(['a1', 'a01', 'a001', 'a2']), sorted(['a2', 'a001', 'a1', 'a01']));
    assert.ok(compareNatural('a1', 'a2') < 0 && compareNatural('a01', 'a2') < 0);
  });

  it('handles empty names and names of digits only', () => {
    assert.deepEqual(sorted(['10', '', '9', 'a']), ['', '9', '10', 'a']);
  });

  it('is antisymmetric and transitive over a mixed set', () => {
    const names = ['a', 'a1', 'a01', 'a2', 'a10', 'A1', 'b', '1', '01', '', 'a-1', 'sim-2', 'sim-10', 'sim-02'];
    for (const p of names) for (const q of names) assert.ok(Math.sign(compareNatural(p, q)) === -Math.sign(compareNatural(q, p)), `${p} / ${q}`);
    const s = sorted(names);
    for (let i = 0; i < s.length; i++) for (let j = i + 1; j < s.length; j++) assert.ok(compareNatural(s[i]!, s[j]!) < 0, `${s[i]} < ${s[j]}`);
  });
});
