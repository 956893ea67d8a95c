import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_FILE, AUDIT_OLD_FILE, AuditLog } from './audit-log.js';
import type { NewAuditEntry } from './audit-log.js';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sb-audit-'));
  dirs.push(d);
  return d;
};

const entry = (over: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  at: 1_700_000_000_000, who: 'admin-1 (127.0.0.1, desktop app)', supervisor: 'sb-test', action: 'session.kick',
  target: 'client c1', params: { target: { client: 'c1' }, reconnect: false }, reach: 1,
  result: { ok: true, summary: 'kicked 1' }, ms: 3, ...over,
});

describe('audit log', () => {
  it('numbers appended entries and answers them newest first', async () => {
    const log = await AuditLog.open();
    log.append(entry({ target: 'client a' }));
    log.append(entry({ target: 'client b' }));
    const page = log.query({}, 10);
    assert.deepEqual(page.entries.map((e) => [e.seq, e.target]), [[2, 'client b'], [1, 'client a']]);
    assert.equal(page.total, 2);
  });

  it('reads every entry back after it is reopened on the same directory, and numbers on from the last', async () => {
    const dir = tempDir();
    const first = await AuditLog.open({ dir });
    first.append(entry({ action: 'node.kill', target: 'node-2', reach: null }));
    first.append(entry());
    await first.flush();
    const again = await AuditLog.open({ dir });
    assert.deepEqual(again.query({}, 10).entries.map((e) => e.action), ['session.kick', 'node.kill']);
    assert.equal(again.append(entry()).seq, 3);
    await again.flush();
    assert.equal(readFileSync(join(dir, AUDIT_FILE), 'utf8').trim().split('\n').length, 3);
    assert.equal(statSync(join(dir, AUDIT_FILE)).mode & 0o777, 0o600);
  });

  it('rotates at the size limit, keeping the current and one older file, and drops what is older still', async () => {
    const dir = tempDir();
    const line = Buffer.byteLength(`${JSON.stringify({ seq: 1, ...entry() })}\n`);
    const log = await AuditLog.open({ dir, maxFileBytes: line * 3 + 10 });
    for (let i = 0; i < 10; i++) log.append(entry());
    await log.flush();
    assert.ok(existsSync(join(dir, AUDIT_OLD_FILE)));
    const seqs = (name: string) => readFileSync(join(dir, name), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq);
    assert.deepEqual(seqs(AUDIT_OLD_FILE), [7, 8, 9]);
    assert.deepEqual(seqs(AUDIT_FILE), [10]);
    assert.deepEqual(log.query({}, 100).entries.map((e) => e.seq), [10, 9, 8, 7]);
    const reopened = await AuditLog.open({ dir, maxFileBytes: line * 3 + 10 });
    assert.deepEqual(reopened.query({}, 100).entries.map((e) => e.seq), [10, 9, 8, 7]);
  });

  it('skips unreadable lines with a count and a warning, and starts a fresh line after a torn one', async () => {
    const dir = tempDir();
    const good = JSON.stringify({ seq: 4, ...entry() });
    writeFileSync(join(dir, AUDIT_FILE), `not json\n${good}\n{"seq":5,"at":"yesterday"}\n{"seq":6,"at":1,"wh`);
    const warnings: string[] = [];
    const log = await AuditLog.open({ dir, log: (l) => warnings.push(l) });
    assert.equal(log.skipped, 3);
    assert.match(warnings.join('\n'), /skipped 3 unreadable lines/);
    assert.deepEqual(log.query({}, 10).entries.map((e) => e.seq), [4]);
    log.append(entry());
    await log.flush();
    const reopened = await AuditLog.open({ dir, log: () => undefined });
    assert.deepEqual(reopened.query({}, 10).entries.map((e) => e.seq), [5, 4]);
    assert.equal(reopened.skipped, 3);
  });

  it('keeps the entry in memory when the disk refuses every write, and warns once, not per entry', async () => {
    // A regular file where the directory should be: no write can succeed, not even as root.
    const dir = join(tempDir(), 'not-a-dir');
    writeFileSync(dir, '');
    const warnings: string[] = [];
    const log = await AuditLog.open({ dir, log: (l) => warnings.push(l) });
    log.append(entry());
    log.append(entry());
    await log.flush();
    assert.equal(log.query({}, 10).total, 2);
    const writes = warnings.filter((w) => w.includes('failed'));
    assert.equal(writes.length, 1);
    assert.match(writes[0]!, /writing .*audit\.ndjson failed: .*kept in memory only/);
  });

  it('finds entries by text anywhere, by action, by who, by time and by outcome, and pages with before', async () => {
    const log = await AuditLog.open();
    log.append(entry({ at: 1000, action: 'session.kick', target: 'user bob', params: { target: { user: 'bob' } } }));
    log.append(entry({ at: 2000, action: 'node.kill', target: 'node-2', who: 'admin-7 (10.0.0.5, browser)' }));
    log.append(entry({ at: 3000, action: 'history.remove', target: 'channel chat:x', result: { ok: false, code: 400, message: 'chat:x keeps no history' } }));
    log.append(entry({ at: 4000, action: 'session.kick', target: 'client zz' }));
    const targets = (f: Parameters<AuditLog['query']>[0], limit = 10) => log.query(f, limit).entries.map((e) => e.target);
    assert.deepEqual(targets({ text: 'BOB' }), ['user bob']);
    assert.deepEqual(targets({ text: 'no history' }), ['channel chat:x']);
    assert.deepEqual(targets({ action: 'session.kick' }), ['client zz', 'user bob']);
    assert.deepEqual(targets({ who: 'browser' }), ['node-2']);
    assert.deepEqual(targets({ from: 2000, to: 3000 }), ['channel chat:x', 'node-2']);
    assert.deepEqual(targets({ ok: false }), ['channel chat:x']);
    const first = log.query({}, 2);
    assert.equal(first.total, 4);
    assert.deepEqual(targets({ before: first.entries.at(-1)!.seq }), ['node-2', 'user bob']);
    assert.equal(log.query({}, 1).oldestAt, 1000);
  });

  it('keeps a log without a directory in memory, bounded like the files', async () => {
    const line = Buffer.byteLength(`${JSON.stringify({ seq: 1, ...entry() })}\n`);
    const log = await AuditLog.open({ maxFileBytes: line * 2 + 10 });
    for (let i = 0; i < 9; i++) log.append(entry());
    assert.deepEqual(log.query({}, 100).entries.map((e) => e.seq), [9, 8, 7]);
    assert.equal(log.path, undefined);
  });

  it('starts empty, with a warning, when its file cannot be read', async () => {
    const dir = tempDir();
    appendFileSync(join(dir, 'x'), '');
    const warnings: string[] = [];
    // a directory where the file should be: reading it fails with EISDIR
    mkdirSync(join(dir, AUDIT_FILE));
    const log = await AuditLog.open({ dir, log: (l) => warnings.push(l) });
    assert.equal(log.query({}, 10).total, 0);
    assert.match(warnings.join('\n'), /cannot read .*audit\.ndjson/);
  });
});
