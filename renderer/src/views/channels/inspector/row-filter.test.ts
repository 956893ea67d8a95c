import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRowFilter } from './row-filter.js';

const rows = [
  { user: { name: 'ann' }, n: 3, tags: ['a'], text: 'Hello there' },
  { user: { name: 'bob' }, n: 9, tags: [], 'odd key': null },
  'just a string',
].map((data) => ({ data, text: `${JSON.stringify(data)} #12 web` }));

function kept(input: string): number[] {
  const f = parseRowFilter(input);
  assert.ok(f.ok, `${input}: ${f.ok ? '' : f.error}`);
  return rows.flatMap((r, i) => (f.value(r) ? [i] : []));
}

function refusal(input: string): string {
  const f = parseRowFilter(input);
  assert.ok(!f.ok, `${input} should be refused`);
  return f.error;
}

describe('inspector row filter', () => {
  it('lets every row through for an empty input', () => assert.deepEqual(kept('  '), [0, 1, 2]));

  it('finds plain text anywhere in a row, in any case', () => {
    assert.deepEqual(kept('BOB'), [1]);
    assert.deepEqual(kept('#12'), [0, 1, 2]);
  });

  it('compares a path with ==, != and numbers with > and <=', () => {
    assert.deepEqual(kept('$.user.name == "ann"'), [0]);
    assert.deepEqual(kept('$.user.name!="ann"'), [1]);
    assert.deepEqual(kept('$.n > 5'), [1]);
    assert.deepEqual(kept('$.n <= 3'), [0]);
  });

  it('tests that a path exists, with or without the word, through indexes and quoted keys', () => {
    assert.deepEqual(kept('$.tags[0] exists'), [0]);
    assert.deepEqual(kept('$.tags[0]'), [0]);
    assert.deepEqual(kept('$["odd key"] == null'), [1]);
    assert.deepEqual(kept('$'), [0, 1, 2]);
  });

  it('finds text inside a string field with contains, in any case', () => {
    assert.deepEqual(kept('$.text contains "hello"'), [0]);
  });

  it('says what is wrong with a path that ends after a dot', () => {
    assert.match(refusal('$.'), /expected a name after "\." at position 2/);
  });

  it('says what is wrong with an unclosed or empty bracket', () => {
    assert.match(refusal('$.tags[0'), /expected \[index\] or \["key"\] at position 7/);
    assert.match(refusal('$[]'), /expected \[index\] or \["key"\]/);
  });

  it('names the operators when it meets an unknown one', () => {
    assert.match(refusal('$.n =~ 5'), /unknown operator at "=~ 5": use ==, !=/);
  });

  it('asks for a value after an operator, and for quotes around text', () => {
    assert.match(refusal('$.n =='), /expected a value after ==/);
    assert.match(refusal('$.user.name == ann'), /not JSON.*text goes in double quotes: "ann"/);
  });

  it('refuses a comparison of order with something other than a number', () => {
    assert.match(refusal('$.n > "5"'), /> compares numbers/);
  });

  it('refuses contains with something other than text, and an object as a value', () => {
    assert.match(refusal('$.text contains 5'), /contains looks for text/);
    assert.match(refusal('$.user == {"name":"ann"}'), /not an object or array/);
  });
});
