import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  audienceKey, clearedDraft, describeAudience, describeSent, fmtDelivered, fmtPerUser, fmtReach, notConnectedLines, parseAudience, splitNames,
} from './broadcasts.model.js';

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

describe('after a broadcast', () => {
  it('clears the targets and the message but keeps the audience kind and format, so a second click has nothing to send', () => {
    const draft = { kind: 'users' as const, channels: 'chat:a', users: 'ann, bob', mode: 'json' as const, text: '{"a":1}' };
    assert.deepEqual(clearedDraft(draft), { kind: 'users', channels: '', users: '', mode: 'json', text: '' });
    assert.equal(parseAudience('users', clearedDraft(draft).users).ok, false);
  });

  it('names each user id with no connection', () => {
    assert.deepEqual(notConnectedLines(['bob', 'zoë']), ['bob — not connected on any node', 'zoë — not connected on any node']);
    assert.deepEqual(notConnectedLines([]), []);
  });

  it('says the reach per connected user, the first few of them', () => {
    const perUser = [{ user: 'alma', connections: 2 }, { user: 'bob', connections: 0 }, { user: 'carl', connections: 1 }];
    assert.equal(fmtPerUser(perUser), 'alma 2 · carl 1');
    assert.equal(fmtPerUser(perUser, 1), 'alma 2 · and 1 more');
    assert.equal(fmtPerUser([{ user: 'bob', connections: 0 }]), '');
  });

  it('says what the nodes delivered, against the reach when fewer, and nothing when they did not count', () => {
    assert.equal(fmtDelivered({ connections: 4, delivered: 4 }), '4 delivered');
    assert.equal(fmtDelivered({ connections: 1200, delivered: 1199 }), '1,199 of 1,200 delivered');
    assert.equal(fmtDelivered({ connections: 3 }), null);
  });

  it('confirms a send naming the audience, the delivered count and the reach', () => {
    const base = { id: 1, preview: '"hi"', nodes: 2, notConnected: [], unanswered: [] };
    assert.equal(describeSent({ ...base, audience: { kind: 'users', users: ['alma', 'carl'] }, connections: 3, delivered: 3 }),
      'Sent to 2 users: alma, carl — 3 delivered (reach 3 connections on 2 nodes)');
    assert.equal(describeSent({ ...base, audience: { kind: 'channels', channels: ['chat:a'] }, connections: 3 }),
      'Sent to channel chat:a — published; reach 3 connections on 2 nodes');
  });
});
