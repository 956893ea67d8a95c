import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jsonLimitProblem, PUBLICATION_LIMITS } from './json-limits.js';

/** `{"a":{"a":…1…}}` nested `levels` objects deep, built without recursion. */
function nested(levels: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

describe('jsonLimitProblem', () => {
  it('accepts scalars, empty containers and ordinary payloads', () => {
    for (const v of [null, true, 0, -1.5e300, '', 'text', {}, [], { text: 'hi', n: [1, 2, { x: null }] }]) {
      assert.equal(jsonLimitProblem(v), null, JSON.stringify(v));
    }
  });

  it('accepts exactly the maximum depth and refuses one level more, for objects and arrays', () => {
    const { maxDepth } = PUBLICATION_LIMITS;
    assert.equal(jsonLimitProblem(nested(maxDepth)), null);
    assert.equal(jsonLimitProblem(nested(maxDepth + 1)), `nested deeper than ${maxDepth} levels`);
    let arr: unknown = [];
    for (let i = 1; i < maxDepth; i++) arr = [arr];
    assert.equal(jsonLimitProblem(arr), null);
    assert.equal(jsonLimitProblem([arr]), `nested deeper than ${maxDepth} levels`);
  });

  it('refuses a value nested 100,000 deep without overflowing the stack', () => {
    assert.match(jsonLimitProblem(nested(100_000)) ?? '', /nested deeper than 64 levels/);
  });

  it('ends on a cyclic value at the depth bound', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.match(jsonLimitProblem(cyclic) ?? '', /nested deeper/);
  });

  it('measures the JSON text: a value exactly at the byte limit passes, one character more is refused', () => {
    const limits = { maxDepth: 10, maxBytes: 20 };
    const fits = 'x'.repeat(18); // 18 letters are 20 characters with their quotes
    assert.equal(JSON.stringify(fits).length, 20);
    assert.equal(jsonLimitProblem(fits, limits), null);
    assert.equal(jsonLimitProblem(`${fits}x`, limits), 'larger than 20 bytes as JSON');
    const obj = { ab: [1, true, null] }; // {"ab":[1,true,null]}
    assert.equal(JSON.stringify(obj).length, 20);
    assert.equal(jsonLimitProblem(obj, limits), null);
    assert.equal(jsonLimitProblem({ ab: [1, true, null, 2] }, limits), 'larger than 20 bytes as JSON');
  });

  it('refuses a huge flat array by its size before walking its elements', () => {
    const big = new Array<number>(2_000_000).fill(1);
    assert.equal(jsonLimitProblem(big), `larger than ${PUBLICATION_LIMITS.maxBytes} bytes as JSON`);
  });

  it('accepts 1 MiB of publication data, the HTTP API body limit, minus its envelope', () => {
    assert.equal(jsonLimitProblem({ text: 'x'.repeat(PUBLICATION_LIMITS.maxBytes - 20) }), null);
    assert.notEqual(jsonLimitProblem({ text: 'x'.repeat(PUBLICATION_LIMITS.maxBytes) }), null);
  });
});
