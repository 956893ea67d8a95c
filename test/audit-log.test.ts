/**
 * The audit log (issue 14) with a real cluster and a data directory: a kick through the admin API
 * leaves an entry naming who, what, the reach and the result; the entry is still there after the
 * cluster is stopped and started again on the same directory; a failing command is recorded with
 * its error; queries leave no entry.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminErrors } from '../shared/admin/admin-api.js';
import type { AuditEntry } from '../shared/admin/audit-model.js';
import { defaultClusterConfig, startCluster } from '../embedded-server/index.js';
import type { AdminClient } from './support/admin-client.js';
import { adminError, nameOf, nextDisconnect, openAdmin, registryHolds } from './support/admin-helpers.js';
import { connectClient } from './support/real-clients.js';
import { TestCluster } from './support/test-cluster.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sb-audit-it-'));
const config = { ...defaultClusterConfig(), nodes: 2, statsIntervalMs: 250 };

async function startOn(dir: string): Promise<TestCluster> {
  return new TestCluster(await startCluster(config, { dataDir: dir }), config);
}

async function entries(admin: AdminClient, params: { text?: string; action?: string } = {}): Promise<AuditEntry[]> {
  return (await admin.request('audit.query', { ...params, limit: 100 })).entries;
}

describe('audit log', () => {
  let cluster: TestCluster | undefined;
  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records a kick with who, what, reach and result, and still has it after a restart on the same directory', async () => {
    cluster = await startOn(dataDir);
    const admin = await openAdmin(cluster);
    const kim = await connectClient(cluster, 'kim');
    await registryHolds(admin, { user: 'kim' }, 1);
    const gone = nextDisconnect(kim.client);
    assert.deepEqual(await admin.request('session.kick', { target: { client: kim.id }, reconnect: false, reason: 'audit check' }), { kicked: 1 });
    await gone;
    const [kick] = await entries(admin, { action: 'session.kick' });
    assert.ok(kick, 'an entry for the kick');
    assert.equal(kick.who, nameOf(admin));
    assert.equal(kick.supervisor, config.name);
    assert.equal(kick.target, `client ${kim.id}`);
    assert.deepEqual(kick.params, { target: { client: kim.id }, reconnect: false, reason: 'audit check' });
    assert.equal(kick.reach, 1);
    assert.deepEqual(kick.result, { ok: true, summary: 'kicked 1' });
    assert.ok(Math.abs(kick.at - Date.now()) < 60_000);
    assert.equal((await entries(admin)).filter((e) => e.action === 'connections.query').length, 0, 'queries are not audited');

    await cluster.stop();
    assert.ok(existsSync(join(dataDir, 'audit', 'audit.ndjson')));
    cluster = await startOn(dataDir);
    const again = await openAdmin(cluster);
    const kept = await entries(again, { text: kim.id });
    assert.deepEqual(kept.map((e) => [e.seq, e.action, e.target, e.reach]), [[kick.seq, 'session.kick', `client ${kim.id}`, 1]]);
  });

  it('records a failing command with its error code and message', async () => {
    cluster ??= await startOn(dataDir);
    const admin = await openAdmin(cluster);
    const refused = await adminError(admin, 'node.kill', { node: 'node-99' });
    assert.equal(refused.code, AdminErrors.notFound);
    const [entry] = await entries(admin, { action: 'node.kill' });
    assert.ok(entry, 'an entry for the refused kill');
    assert.equal(entry.target, 'node-99');
    assert.equal(entry.reach, null);
    assert.deepEqual(entry.result, { ok: false, code: refused.code, message: refused.message });
    const page = await admin.request('audit.query', { text: 'node-99', limit: 10 });
    assert.equal(page.total, 1);
  });
});
