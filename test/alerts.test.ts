/**
 * Alerts (issue 14) on a real cluster with a data directory: rules set through the admin API are
 * checked (each bad case a 400 that says what is wrong), audited, and used at once — a hung node
 * fires node-unhealthy and resolves when it heals, with events, pushes and the list agreeing — and
 * the rules and the history are still there after the cluster restarts on the same directory.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminErrors } from '../shared/admin/admin-api.js';
import type { AdminParamsInput } from '../shared/admin/admin-api.js';
import { DEFAULT_ALERT_RULES } from '../shared/admin/alerts-model.js';
import type { AlertRule } from '../shared/admin/alerts-model.js';
import { defaultClusterConfig, startCluster } from '../embedded-server/index.js';
import { adminError, eventAfter, eventMark, openAdmin } from './support/admin-helpers.js';
import { TestCluster, waitFor } from './support/test-cluster.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sb-alerts-it-'));
const config = { ...defaultClusterConfig(), nodes: 2, statsIntervalMs: 250 };
const withRule = (kind: AlertRule['kind'], patch: Partial<AlertRule>): AlertRule[] =>
  DEFAULT_ALERT_RULES.map((r) => (r.kind === kind ? { ...r, ...patch } : { ...r }));

async function startOn(dir: string): Promise<TestCluster> {
  return new TestCluster(await startCluster(config, { dataDir: dir }), config);
}

describe('alerts', () => {
  let cluster: TestCluster | undefined;
  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses bad rules with a 400 that names the problem, and keeps the rules it had', async () => {
    cluster = await startOn(dataDir);
    const admin = await openAdmin(cluster);
    assert.deepEqual((await admin.request('alerts.rules', {})).rules, DEFAULT_ALERT_RULES);
    const cases: [string, AdminParamsInput<'alerts.set-rules'>, RegExp][] = [
      ['an unknown kind', { rules: [{ kind: 'cpu-melt', enabled: true, threshold: 1, forSeconds: 0, severity: 'warning' }] }, /unknown alert rule kind "cpu-melt"/],
      ['two rules of one kind', { rules: [...withRule('rss', {}), { ...DEFAULT_ALERT_RULES[2]! }] }, /two rules for rss: one rule per kind/],
      ['a threshold out of range', { rules: withRule('connections-capacity', { threshold: 140 }) }, /connections-capacity: threshold 140 % is out of range \(1–100 %\)/],
      ['a negative threshold', { rules: withRule('slow-consumers', { threshold: -3 }) }, /slow-consumers: threshold -3\/min|slow-consumers: threshold -3 \/min/],
      ['a fractional hold', { rules: withRule('loop-delay', { forSeconds: 0.5 }) }, /loop-delay: "for" must be whole seconds/],
      ['a hold over an hour', { rules: withRule('loop-delay', { forSeconds: 7200 }) }, /loop-delay: "for" must be whole seconds from 0 to 3600/],
      ['an unknown severity', { rules: [{ kind: 'rss', enabled: true, threshold: 1, forSeconds: 0, severity: 'panic' as 'warning' }] }, /invalid params for alerts.set-rules: rules.0.severity/],
      ['a rule with a field missing', { rules: [{ kind: 'rss', enabled: true, threshold: 1, severity: 'warning' } as AlertRule] }, /rules.0.forSeconds/],
    ];
    for (const [what, params, message] of cases) {
      const e = await adminError(admin, 'alerts.set-rules', params);
      assert.equal(e.code, AdminErrors.badRequest, what);
      assert.match(e.message, message, what);
    }
    assert.deepEqual((await admin.request('alerts.rules', {})).rules, DEFAULT_ALERT_RULES, 'nothing was changed by a refused call');
  });

  it('fires node-unhealthy for a hung node after the hold and resolves it once the node heals', async () => {
    cluster ??= await startOn(dataDir);
    const admin = await openAdmin(cluster);
    const { rules } = await admin.request('alerts.set-rules', { rules: withRule('node-unhealthy', { forSeconds: 1 }) });
    assert.equal(rules.find((r) => r.kind === 'node-unhealthy')?.forSeconds, 1);
    const audit = await admin.request('audit.query', { action: 'alerts.set-rules', limit: 10 });
    assert.equal(audit.entries[0]?.result.ok, true, 'setting rules is an audited admin action');
    const refused = audit.entries.slice(1);
    assert.ok(refused.length > 0 && refused.every((e) => !e.result.ok && e.result.code === AdminErrors.badRequest), 'the refused calls are audited with their 400');

    const mark = eventMark(admin);
    await admin.request('node.hang', { node: 'node-2', seconds: 3 });
    const fired = await eventAfter(admin, mark, 'alert.firing', (e) => e.node === 'node-2', 10_000);
    assert.equal(fired.rule, 'node-unhealthy');
    assert.equal(fired.severity, 'critical');
    assert.match(fired.text, /node-2 unhealthy \(hung\) for 1 s/);
    const hung = await eventAfter(admin, mark, 'fault.injected', (e) => e.node === 'node-2');
    assert.ok(fired.at - hung.at >= 900, `fired ${fired.at - hung.at} ms after the hang: not before the 1 s hold`);
    console.log(`# alert fired ${fired.at - hung.at} ms after the hang`);
    const listed = await admin.request('alerts.list', {});
    assert.deepEqual(listed.firing.map((a) => [a.rule, a.node, a.state]), [['node-unhealthy', 'node-2', 'firing']]);
    await waitFor(() => admin.alerts.some((p) => p.firing.some((a) => a.node === 'node-2')), { timeoutMs: 5000, what: 'an alerts push naming node-2' });

    const resolved = await eventAfter(admin, mark, 'alert.resolved', (e) => e.node === 'node-2', 15_000);
    assert.equal(resolved.firedAt, listed.firing[0]!.since);
    await waitFor(() => admin.alerts.at(-1)?.firing.length === 0, { timeoutMs: 5000, what: 'an alerts push with nothing firing' });
    const after = await admin.request('alerts.list', {});
    assert.deepEqual(after.firing, []);
    assert.equal(after.history[0]?.id, listed.firing[0]!.id);
    assert.ok(after.history[0]!.resolvedAt! > after.history[0]!.since);
    console.log(`# alert lasted ${after.history[0]!.resolvedAt! - after.history[0]!.since} ms for a 3 s hang`);
  });

  it('keeps the rules and the history after a restart on the same data directory', async () => {
    cluster ??= await startOn(dataDir);
    const before = await (await openAdmin(cluster)).request('alerts.list', {});
    await cluster.stop();
    assert.ok(existsSync(join(dataDir, 'alerts', 'rules.json')));
    assert.ok(existsSync(join(dataDir, 'alerts', 'history.ndjson')));
    cluster = await startOn(dataDir);
    const admin = await openAdmin(cluster);
    assert.equal((await admin.request('alerts.rules', {})).rules.find((r) => r.kind === 'node-unhealthy')?.forSeconds, 1);
    const list = await admin.request('alerts.list', {});
    assert.ok(before.history.length > 0);
    assert.deepEqual(list.history.map((a) => a.id).slice(-before.history.length), before.history.map((a) => a.id));
  });
});
