import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEntry, AuditPage } from '../../../shared/admin/audit-model.js';
import { AUDIT_PAGE, auditFailed, auditQuery, auditReceived, auditRequested, initialAudit, setAuditFilter } from './audit.reducers.js';

const entry = (seq: number): AuditEntry => ({
  seq, at: seq * 1000, who: 'admin-1 (127.0.0.1)', supervisor: 'sb-a', action: 'node.kill', target: 'node-1', params: { node: 'node-1' },
  reach: null, result: { ok: true, summary: 'ok' }, ms: 1,
});
/** Entries newest first, from `top` down. */
const page = (top: number, count: number, total = 1000): AuditPage => ({
  entries: Array.from({ length: count }, (_, i) => entry(top - i)), total, oldestAt: 1000,
});

describe('audit view reducers', () => {
  it('ask for the filter as audit.query params, leaving out what is empty', () => {
    assert.deepEqual(auditQuery({ text: '  ', action: '', outcome: '' }, 100), { limit: 100 });
    assert.deepEqual(auditQuery({ text: ' bob ', action: 'session.kick', outcome: 'failed' }, 50, 17), { text: 'bob', action: 'session.kick', ok: false, before: 17, limit: 50 });
  });

  it('take only the answer to the latest request', () => {
    let s = auditRequested(initialAudit(), 1);
    s = auditRequested(s, 2);
    assert.equal(auditReceived(s, 1, page(10, 10), false), s);
    s = auditReceived(s, 2, page(9, 9, 9), false);
    assert.deepEqual(s.entries.map((e) => e.seq), [9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.equal(auditFailed(s, 1, 'late'), s);
    assert.equal(auditFailed(s, 2, 'gone').error, 'gone');
  });

  it('add older pages at the end and keep them across a refresh, until the filter changes', () => {
    let s = auditReceived(auditRequested(initialAudit(), 1), 1, page(500, AUDIT_PAGE), false);
    s = auditReceived(auditRequested(s, 2), 2, page(400, AUDIT_PAGE), true);
    assert.equal(s.entries.length, 2 * AUDIT_PAGE);
    s = auditReceived(auditRequested(s, 3), 3, page(502, AUDIT_PAGE), false);
    assert.equal(s.entries[0]!.seq, 502);
    assert.equal(s.entries.at(-1)!.seq, 301);
    assert.equal(new Set(s.entries.map((e) => e.seq)).size, s.entries.length);
    s = setAuditFilter(s, { text: 'node-1' });
    s = auditReceived(auditRequested(s, 4), 4, page(502, AUDIT_PAGE), false);
    assert.equal(s.entries.length, AUDIT_PAGE);
  });
});
