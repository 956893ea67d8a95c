import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditParams, auditReach, auditResult, auditSummary, auditTarget } from './audit-record.js';

describe('audit records', () => {
  it('name the target of kicks, node actions, unsubscribes, publishes, broadcasts and tokens in words', () => {
    assert.equal(auditTarget({ target: { client: 'c1' }, reconnect: false }), 'client c1');
    assert.equal(auditTarget({ target: { user: '' }, reconnect: true }), 'user (anonymous)');
    assert.equal(auditTarget({ target: { channel: 'chat:x' }, reconnect: true }), 'subscribers of chat:x');
    assert.equal(auditTarget({ node: 'node-2', seconds: 10 }), 'node-2');
    assert.equal(auditTarget({ client: 'c1', channel: 'news' }), 'client c1 on channel news');
    assert.equal(auditTarget({ channel: 'news', data: { a: 1 } }), 'channel news');
    assert.equal(auditTarget({ audience: { kind: 'all' }, data: 1 }), 'all connections');
    assert.equal(auditTarget({ audience: { kind: 'users', users: ['ann', 'bob'] }, data: 1 }), 'users ann, bob');
    assert.equal(auditTarget({ audience: { kind: 'channels', channels: ['a', 'b', 'c', 'd'] }, data: 1 }), '4 channels');
    assert.equal(auditTarget({ user: 'bob', ttlSeconds: 60 }), 'user bob');
    assert.equal(auditTarget({ strategy: 'least-connections' }), '');
  });

  it('cut payloads to a short JSON text and long lists to 20 items', () => {
    const params = auditParams({ channel: 'x', data: { text: 'y'.repeat(5000) } }) as { data: string };
    assert.equal(typeof params.data, 'string');
    assert.ok(params.data.length <= 201);
    assert.ok(params.data.startsWith('{"text":"yyy'));
    const users = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    const kept = auditParams({ audience: { kind: 'users', users } }) as { audience: { users: string[] } };
    assert.equal(kept.audience.users.length, 21);
    assert.equal(kept.audience.users.at(-1), '… 980 more');
  });

  it('keep params to about 2 KB of JSON whatever they hold', () => {
    const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v'.repeat(100)]));
    const kept = auditParams(wide);
    assert.ok(JSON.stringify(kept).length < 2200);
    assert.ok('truncated' in (kept as object));
  });

  it('take the reach from the result: kicked, broadcast connections, drained and moving', () => {
    assert.equal(auditReach({ kicked: 3 }), 3);
    assert.equal(auditReach({ connections: 12, nodes: 2, sent: true }), 12);
    assert.equal(auditReach({ drained: 4, moving: 6 }), 10);
    assert.equal(auditReach({ moving: 5, from: [] }), 5);
    assert.equal(auditReach({}), null);
    assert.equal(auditReach(null), null);
  });

  it('summarize a result in words and never keep a minted token', () => {
    const summary = auditSummary({ token: 'eyJhbGciOi.secret.sig', user: 'bob', expiresAt: Date.UTC(2026, 0, 2, 3, 4, 5) });
    assert.equal(summary, 'user bob, expiresAt 2026-01-02T03:04:05.000Z');
    assert.doesNotMatch(summary, /eyJ/);
    assert.equal(auditSummary({}), 'ok');
    assert.equal(auditSummary({ kicked: 0, unanswered: ['sb-b'] }), 'kicked 0, unanswered sb-b');
    assert.equal(auditSummary({ moving: 2, from: [{ node: 'node-1', clients: 2 }] }), 'moving 2, from 1');
  });

  it('keep an error as its code and message', () => {
    assert.deepEqual(auditResult({ ok: false, error: { code: 404, message: 'no connection c9' } }), { ok: false, code: 404, message: 'no connection c9' });
    assert.deepEqual(auditResult({ ok: true, value: { dropped: 4 } }), { ok: true, summary: 'dropped 4' });
  });
});
