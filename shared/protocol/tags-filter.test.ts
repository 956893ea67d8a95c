import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TagsFilter } from './tags-filter.js';
import { matches, parseTagsFilter, TAGS_FILTER_LIMITS } from './tags-filter.js';
import { compareTagDecimals, parseTagDecimal } from './tag-decimal.js';

/** The filter `tf` stands for; fails the test when it is refused. */
function filter(tf: unknown): TagsFilter {
  const parsed = parseTagsFilter(tf);
  assert.ok(parsed.ok, `refused: ${parsed.ok ? '' : parsed.error.reason}`);
  assert.ok(parsed.value !== null);
  return parsed.value;
}

/** Why `tf` is refused (fails the test when it is accepted). */
function refusal(tf: unknown): { malformed: boolean; reason: string } {
  const parsed = parseTagsFilter(tf);
  assert.ok(!parsed.ok, 'accepted');
  return parsed.error;
}

const leaf = (key: string, cmp: string, operand: { val?: string; vals?: string[] } = {}) => ({ key, cmp, ...operand });
const tags = { ticker: 'AAPL', source: 'NASDAQ', price: '150.25', category: 'tech', volume: '1000' };
const pass = (tf: unknown, t: Record<string, string> | undefined = tags) => matches(filter(tf), t);

describe('tags filter comparisons', () => {
  it('matches every example of Centrifugo\'s documentation against its example tags', () => {
    for (const tf of [
      leaf('ticker', 'eq', { val: 'AAPL' }), leaf('source', 'neq', { val: 'TEST' }),
      leaf('category', 'in', { vals: ['tech', 'finance'] }), leaf('ticker', 'nin', { vals: ['MSFT', 'GOOGL'] }),
      leaf('price', 'ex'), leaf('internal_id', 'nex'), leaf('ticker', 'sw', { val: 'AA' }),
      leaf('source', 'ew', { val: 'DAQ' }), leaf('category', 'ct', { val: 'ec' }), leaf('price', 'gt', { val: '100' }),
      leaf('volume', 'gte', { val: '1000' }), leaf('price', 'lt', { val: '200' }), leaf('volume', 'lte', { val: '1000' }),
    ]) assert.equal(pass(tf), true, JSON.stringify(tf));
  });

  it('fails eq, sw, ew, ct and ex on a missing tag, and passes neq and nex there', () => {
    for (const cmp of ['eq', 'sw', 'ew', 'ct']) assert.equal(pass(leaf('nope', cmp, { val: 'x' })), false, cmp);
    assert.equal(pass(leaf('nope', 'ex')), false);
    assert.equal(pass(leaf('nope', 'neq', { val: 'x' })), true);
    assert.equal(pass(leaf('nope', 'nex')), true);
  });

  it('reads a missing tag as the empty string for in and nin, as Go\'s map lookup does', () => {
    assert.equal(pass(leaf('nope', 'in', { vals: ['a'] })), false);
    assert.equal(pass(leaf('nope', 'in', { vals: ['a', ''] })), true);
    assert.equal(pass(leaf('nope', 'nin', { vals: ['a'] })), true);
    assert.equal(pass(leaf('nope', 'nin', { vals: [''] })), false);
  });

  it('treats a publication without tags as one whose every tag is missing', () => {
    assert.equal(pass(leaf('a', 'eq', { val: 'x' }), undefined), false);
    assert.equal(pass(leaf('a', 'nex'), undefined), true);
    assert.equal(pass(leaf('a', 'neq', { val: 'x' }), {}), true);
  });

  it('never takes inherited properties for tags', () => {
    assert.equal(pass(leaf('constructor', 'ex'), {}), false);
    assert.equal(pass(leaf('toString', 'eq', { val: 'x' }), {}), false);
  });

  it('compares strings case-sensitively and exactly', () => {
    assert.equal(pass(leaf('ticker', 'eq', { val: 'aapl' })), false);
    assert.equal(pass(leaf('ticker', 'sw', { val: 'AAPLX' })), false);
    assert.equal(pass(leaf('ticker', 'ct', { val: 'AAPL' })), true);
  });

  it('compares numbers as exact decimals, not as strings or floats', () => {
    assert.equal(pass(leaf('n', 'gt', { val: '9' }), { n: '10' }), true);
    assert.equal(pass(leaf('n', 'lt', { val: '0.3' }), { n: '0.1' }), true);
    assert.equal(pass(leaf('n', 'gt', { val: '0.1000000000000000001' }), { n: '0.1' }), false);
    assert.equal(pass(leaf('n', 'gte', { val: '1.50' }), { n: '+1.5' }), true);
    assert.equal(pass(leaf('n', 'lte', { val: '0' }), { n: '-0' }), true);
    assert.equal(pass(leaf('n', 'lt', { val: '-2' }), { n: '-10' }), true);
    assert.equal(pass(leaf('n', 'gt', { val: '99999999999999999999999999999999999999999' }), { n: '100000000000000000000000000000000000000000' }), true);
  });

  it('evaluates a numeric comparison to false when the tag or the operand is not a decimal', () => {
    for (const n of ['abc', '1e3', '.5', '5.', '', ' 1', '1.12345678901234567890', '1'.repeat(201)]) {
      assert.equal(pass(leaf('n', 'gte', { val: '0' }), { n }), false, n);
      assert.equal(pass(leaf('n', 'lte', { val: '0' }), { n }), false, n);
    }
    assert.equal(pass(leaf('n', 'gt', { val: 'ten' }), { n: '11' }), false);
    assert.equal(pass(leaf('n', 'gt', { val: '1' })), false);
  });
});

describe('tags filter logic', () => {
  const aapl = leaf('ticker', 'eq', { val: 'AAPL' });
  const msft = leaf('ticker', 'eq', { val: 'MSFT' });

  it('passes an and node only when every child passes', () => {
    assert.equal(pass({ op: 'and', nodes: [aapl, leaf('category', 'eq', { val: 'tech' })] }), true);
    assert.equal(pass({ op: 'and', nodes: [aapl, msft] }), false);
  });

  it('passes an or node when any child passes', () => {
    assert.equal(pass({ op: 'or', nodes: [msft, aapl] }), true);
    assert.equal(pass({ op: 'or', nodes: [msft, msft] }), false);
  });

  it('inverts its one child with not, and nests', () => {
    assert.equal(pass({ op: 'not', nodes: [msft] }), true);
    assert.equal(pass({ op: 'not', nodes: [{ op: 'or', nodes: [msft, { op: 'not', nodes: [aapl] }] }] }), true);
  });

  it('ignores the children of a leaf and the comparison fields of a logical node, as Centrifugo does', () => {
    assert.equal(pass({ ...aapl, nodes: [msft] }), true);
    assert.equal(pass({ op: 'or', key: 'x', cmp: 'bogus', val: 'y', nodes: [aapl] }), true);
  });
});

describe('tags filter validation', () => {
  it('reads an absent or null tf as no filter', () => {
    assert.deepEqual(parseTagsFilter(undefined), { ok: true, value: null });
    assert.deepEqual(parseTagsFilter(null), { ok: true, value: null });
  });

  it('accepts exists checks without a key, and null fields as absent ones', () => {
    filter({ cmp: 'ex' });
    filter({ op: null, key: 'a', cmp: 'eq', val: 'b', vals: null, nodes: null });
  });

  it('refuses a leaf without cmp, with an unknown cmp or with an unknown op', () => {
    assert.match(refusal({ key: 'a', val: 'b' }).reason, /tf: a leaf node must have cmp set/);
    assert.match(refusal({ key: 'a', cmp: 'starts', val: 'b' }).reason, /unknown cmp "starts"/);
    assert.match(refusal({ op: 'xor', nodes: [{ cmp: 'ex' }] }).reason, /unknown op "xor"/);
  });

  it('refuses comparisons whose operands are missing or misplaced', () => {
    assert.match(refusal(leaf('a', 'eq')).reason, /eq requires val/);
    assert.match(refusal(leaf('a', 'gt', { val: '1', vals: ['2'] })).reason, /gt must not use vals/);
    assert.match(refusal(leaf('a', 'in', { vals: [] })).reason, /in requires non-empty vals/);
    assert.match(refusal(leaf('a', 'nin', { val: 'x', vals: ['y'] })).reason, /nin must not use val/);
    assert.match(refusal(leaf('a', 'ex', { val: 'x' })).reason, /ex must not use val or vals/);
    assert.match(refusal(leaf('', 'eq', { val: 'x' })).reason, /a leaf node requires key/);
  });

  it('refuses logical nodes with the wrong number of children, naming the node', () => {
    assert.match(refusal({ op: 'and', nodes: [] }).reason, /tf: an and node must have at least one child/);
    assert.match(refusal({ op: 'or' }).reason, /an or node must have at least one child/);
    assert.match(refusal({ op: 'not', nodes: [{ cmp: 'ex' }, { cmp: 'nex' }] }).reason, /a not node must have exactly one child/);
    assert.match(refusal({ op: 'and', nodes: [{ cmp: 'ex' }, { key: 'a', cmp: 'eq' }] }).reason, /^tf\.nodes\[1\]: eq requires val/);
    assert.match(refusal({ op: 'and', nodes: [null] }).reason, /tf\.nodes\[0\] must not be null/);
  });

  it('calls wrongly typed fields malformed, anywhere in the tree', () => {
    for (const tf of ['x', 5, [], { key: 5, cmp: 'ex' }, { cmp: 'eq', key: 'a', val: 1 }, { cmp: 'in', key: 'a', vals: 'x' },
      { cmp: 'in', key: 'a', vals: ['x', 2] }, { op: 'and', nodes: {} }, { op: 'and', nodes: ['x'] },
      { cmp: 'ex', nodes: [{ cmp: true }] }]) {
      assert.equal(refusal(tf).malformed, true, JSON.stringify(tf));
    }
    assert.equal(refusal({ cmp: 'nope' }).malformed, false);
  });

  it(`refuses a filter nested deeper than ${TAGS_FILTER_LIMITS.maxDepth} levels or with more than ${TAGS_FILTER_LIMITS.maxNodes} nodes`, () => {
    const nest = (levels: number): unknown => {
      let node: unknown = { cmp: 'ex', key: 'a' };
      for (let i = 1; i < levels; i++) node = { op: 'not', nodes: [node] };
      return node;
    };
    filter(nest(TAGS_FILTER_LIMITS.maxDepth));
    assert.deepEqual(refusal(nest(TAGS_FILTER_LIMITS.maxDepth + 1)), { malformed: false, reason: 'tf is nested deeper than 16 levels' });
    assert.equal(refusal(nest(100_000)).malformed, false);
    const wide = (n: number) => ({ op: 'or', nodes: Array.from({ length: n - 1 }, () => ({ cmp: 'ex', key: 'a' })) });
    filter(wide(TAGS_FILTER_LIMITS.maxNodes));
    assert.deepEqual(refusal(wide(TAGS_FILTER_LIMITS.maxNodes + 1)), { malformed: false, reason: 'tf has more than 256 nodes' });
  });
});

describe('tag decimals', () => {
  it('parses udecimal\'s grammar: sign, digits, up to 19 fraction digits, at most 200 characters', () => {
    for (const s of ['0', '-1', '+1', '007', '1.5', '1.1234567890123456789', '9'.repeat(200)]) assert.ok(parseTagDecimal(s), s);
    for (const s of ['', '+', '-', '.5', '-.5', '5.', '1.2.3', '1e3', 'NaN', '0x10', '1_000', '1.12345678901234567890', '9'.repeat(201)]) {
      assert.equal(parseTagDecimal(s), null, s);
    }
  });

  it('orders decimals by value whatever their spelling', () => {
    const cmp = (a: string, b: string) => Math.sign(compareTagDecimals(parseTagDecimal(a)!, parseTagDecimal(b)!));
    assert.equal(cmp('1.50', '+1.5'), 0);
    assert.equal(cmp('-0.0', '0'), 0);
    assert.equal(cmp('0.05', '0.5'), -1);
    assert.equal(cmp('0.51', '0.5'), 1);
    assert.equal(cmp('-1.5', '-1.25'), -1);
    assert.equal(cmp('100', '99.999'), 1);
  });
});
