import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEntry } from '../../../../shared/admin/audit-model.js';
import { auditCsv, auditFileName, auditNdjson, csvCell } from './audit-export.js';

const entry = (seq: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  seq, at: Date.UTC(2026, 0, 31, 12, 4, 5, seq), who: 'admin-1 (127.0.0.1, desktop app)', supervisor: 'sb-a', action: 'session.kick',
  target: 'client c1', params: { target: { client: 'c1' }, reconnect: false }, reach: 1, result: { ok: true, summary: 'kicked 1' }, ms: 4, ...over,
});

describe('audit exports', () => {
  it('write CSV oldest first with a header, ISO 8601 times and quoted cells', () => {
    const csv = auditCsv([entry(2, { result: { ok: false, code: 404, message: 'no connection "c9", gone' }, reach: null }), entry(1)]);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'time,who,supervisor,action,target,reach,result,detail,ms,params');
    assert.equal(lines[1], '2026-01-31T12:04:05.001Z,"admin-1 (127.0.0.1, desktop app)",sb-a,session.kick,client c1,1,ok,kicked 1,4,"{""target"":{""client"":""c1""},""reconnect"":false}"');
    assert.match(lines[2]!, /^2026-01-31T12:04:05\.002Z,.*,,error,"404 no connection ""c9"", gone",/);
    assert.equal(lines[3], '');
  });

  it('defuse cells a spreadsheet would run as formulas', () => {
    assert.equal(csvCell('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
    assert.equal(csvCell('-1+2'), "'-1+2");
    assert.equal(csvCell('plain'), 'plain');
  });

  it('write NDJSON oldest first, each line an entry with its ISO time first', () => {
    const text = auditNdjson([entry(2), entry(1)]);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { time: string; seq: number });
    assert.deepEqual(lines.map((l) => [l.time, l.seq]), [['2026-01-31T12:04:05.001Z', 1], ['2026-01-31T12:04:05.002Z', 2]]);
    assert.ok(text.endsWith('\n'));
    assert.equal(Object.keys(lines[0]!)[0], 'time');
    assert.equal(auditNdjson([]), '');
  });

  it('name the file after the kind and the local time', () => {
    assert.equal(auditFileName('csv', new Date(2026, 0, 31, 12, 4, 5)), 'switchboard-audit-2026-01-31T12-04-05.csv');
    assert.equal(auditFileName('ndjson', new Date(2026, 0, 31, 12, 4, 5)), 'switchboard-audit-2026-01-31T12-04-05.ndjson');
  });
});
