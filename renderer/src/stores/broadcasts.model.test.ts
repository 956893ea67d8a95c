import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { audienceKey, describeAudience, fmtReach, parseAudience, splitNames } from './broadcasts.model.js';

describe('broadcast audience', () => {
  it('splits channels and users on commas and new lines, once each', () => {
    assert.deepEqual(splitNames('chat:a, chat:b\nchat:c,,chat:a\n'), ['chat:a', 'chat:b', 'chat:c']);
  });

  it('builds the audience the admin API takes', () => {
    assert.deepEqual(parseAudience('all', 'ignored'), { ok: true, audience: { kind: 'all' } });
    assert.deepEqual(parseAudience('channels', 'chat:a,chat:b'), { ok: true, audience: { kind: 'channels', channels: ['chat:a', 'chat:b'] } });
    assert.deepEqual(parseAudience('users', 'ann\nbob'), { ok: true, audience: { kind: 'users', users: ['ann', 'bob'] } });
  });

  it('asks for at least one name and refuses too many', () => {
    const none = parseAudience('channels', ' , ');
    assert.ok(!none.ok && /at least one channel/.test(none.error));
    const many = parseAudience('users', Array.from({ length: 1001 }, (_, i) => `u${i}`).join(','));
    assert.ok(!many.ok && /At most 1,000 user ids/.test(many.error));
  });

  it('keys a reach by its audience', () => {
    assert.equal(audienceKey({ kind: 'channels', channels: ['a'] }), audienceKey({ kind: 'channels', channels: ['a'] }));
    assert.notEqual(audienceKey({ kind: 'channels', channels: ['a'] }), audienceKey({ kind: 'users', users: ['a'] }));
  });
});

describe('broadcast words', () => {
  it('says the reach with thousands separators and singulars', () => {
    assert.equal(fmtReach({ connections: 1234, nodes: 3 }), '1,234 connections on 3 nodes');
    assert.equal(fmtReach({ connections: 1, nodes: 1 }), '1 connection on 1 node');
    assert.equal(fmtReach({ connections: 0, nodes: 0 }), '0 connections on 0 nodes');
  });

  it('describes an audience briefly', () => {
    assert.equal(describeAudience({ kind: 'all' }), 'Everyone');
    assert.equal(describeAudience({ kind: 'channels', channels: ['chat:a'] }), 'channel chat:a');
    assert.equal(describeAudience({ kind: 'users', users: ['a', 'b', 'c', 'd', 'e'] }), '5 users: a, b, c and 2 more');
  });
});
