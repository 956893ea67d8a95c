import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { AdminEvent, ClusterSnapshot, NodeSnapshot } from '../../../shared/admin/admin-model.js';
import type { AlertInstance } from '../../../shared/admin/alerts-model.js';
import { ALERT_HISTORY_MAX, DEFAULT_ALERT_RULES, completeRules } from '../../../shared/admin/alerts-model.js';
import type { NewEvent } from '../event-log.js';
import type { AlertSource } from './alerts-service.js';
import { startAlerts } from './alerts-service.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sb-alerts-'));
  dirs.push(d);
  return d;
};
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** A supervisor's side of the service: snapshots and events handed in by the test, events emitted kept. */
function source(): AlertSource & { tick(s: ClusterSnapshot): void; emitted: NewEvent[] } {
  const snaps = new Set<(s: ClusterSnapshot) => void>();
  const emitted: NewEvent[] = [];
  return {
    emitted,
    onSnapshot: (l) => { snaps.add(l); return () => snaps.delete(l); },
    onEvents: (_l: (e: AdminEvent[]) => void) => () => undefined,
    emit: (e) => void emitted.push(e),
    tick: (s) => { for (const l of snaps) l(s); },
  };
}
const node = (id: string, state: NodeSnapshot['state']): NodeSnapshot => ({
  id, pid: 1, state, uptimeMs: 1, restarts: 0, connections: 0, users: 0, subscriptions: 0, messagesInPerSec: 0, messagesOutPerSec: 0,
  bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 0, rss: 0, heapUsed: 0, loopDelayP50Ms: 0, loopDelayP99Ms: 0,
});
const snap = (at: number, state: NodeSnapshot['state']): ClusterSnapshot => ({
  at, nodes: [node('node-1', state)], strategy: 'least-connections', autoRestart: true, proxies: [],
  totals: { nodesUp: 1, nodesTotal: 1, connections: 0, users: 0, channels: 0, subscriptions: 0, messagesInPerSec: 0, messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, publicationsPerSec: 0 },
});
const quickUnhealthy = completeRules(DEFAULT_ALERT_RULES).map((r) => (r.kind === 'node-unhealthy' ? { ...r, forSeconds: 0 } : r));

describe('alerts on the supervisor', () => {
  it('emits alert.firing and alert.resolved, tells listeners the firing set, and keeps the resolved one in the history', async () => {
    const src = source();
    const alerts = await startAlerts(src, undefined);
    alerts.setRules(quickUnhealthy);
    const pushes: AlertInstance[][] = [];
    alerts.onChange((f) => pushes.push(f));
    src.tick(snap(1000, 'hung'));
    src.tick(snap(2000, 'hung'));
    src.tick(snap(3000, 'healthy'));
    assert.deepEqual(src.emitted.map((e) => e.type), ['alert.firing', 'alert.resolved']);
    assert.deepEqual(pushes.map((p) => p.length), [1, 0]);
    const list = alerts.list(10);
    assert.deepEqual(list.firing, []);
    assert.equal(list.history[0]?.state, 'resolved');
    assert.equal(list.history[0]?.resolvedAt, 3000);
    await alerts.stop();
  });

  it('tells listeners the firing set again once an edited rule reaches an alert that goes on firing, with no new event', async () => {
    const src = source();
    const alerts = await startAlerts(src, undefined);
    alerts.setRules(quickUnhealthy);
    const pushes: AlertInstance[][] = [];
    alerts.onChange((f) => pushes.push(f.map((a) => ({ ...a }))));
    src.tick(snap(1000, 'hung'));
    alerts.setRules(quickUnhealthy.map((r) => (r.kind === 'node-unhealthy' ? { ...r, severity: 'warning' as const } : r)));
    src.tick(snap(2000, 'hung'));
    src.tick(snap(3000, 'hung'));
    assert.deepEqual(src.emitted.map((e) => e.type), ['alert.firing']);
    assert.deepEqual(pushes.map((p) => p.map((a) => a.severity)), [['critical'], ['warning']]);
    await alerts.stop();
  });

  it('keeps rules and history in the data directory across a restart, written whole with no temporary file left', async () => {
    const dir = tempDir();
    const src = source();
    const first = await startAlerts(src, dir);
    first.setRules(quickUnhealthy);
    src.tick(snap(1000, 'down'));
    src.tick(snap(2000, 'healthy'));
    src.tick(snap(3000, 'down'));
    await first.stop();
    const files = readdirSync(join(dir, 'alerts')).sort();
    assert.deepEqual(files, ['history.ndjson', 'rules.json']);
    const second = await startAlerts(source(), dir);
    assert.equal(second.rules().find((r) => r.kind === 'node-unhealthy')?.forSeconds, 0);
    const { history } = second.list(10);
    assert.equal(history.length, 2, 'the resolved alert and the one the stop resolved');
    assert.match(history[0]!.text, /\(cluster stopped\)$/);
    await second.stop();
  });

  it('warns on stderr and uses the default rules when rules.json is not JSON, never failing the start', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'alerts'));
    writeFileSync(join(dir, 'alerts', 'rules.json'), '{"version":1,"rules":[{"kind":');
    const warnings: string[] = [];
    const alerts = await startAlerts(source(), dir, (w) => warnings.push(w));
    assert.deepEqual(alerts.rules(), completeRules(DEFAULT_ALERT_RULES));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /rules\.json is not JSON .*: using the default alert rules/);
    await alerts.stop();
  });

  it('warns and uses the defaults when rules.json holds a rule out of bounds or of an unknown kind', async () => {
    for (const [rule, why] of [
      [{ kind: 'loop-delay', enabled: true, threshold: -5, forSeconds: 1, severity: 'warning' }, /threshold -5 ms is out of range/],
      [{ kind: 'cpu-melt', enabled: true, threshold: 5, forSeconds: 1, severity: 'warning' }, /unknown alert rule kind "cpu-melt"/],
    ] as const) {
      const dir = tempDir();
      mkdirSync(join(dir, 'alerts'));
      writeFileSync(join(dir, 'alerts', 'rules.json'), JSON.stringify({ version: 1, rules: [rule] }));
      const warnings: string[] = [];
      const alerts = await startAlerts(source(), dir, (w) => warnings.push(w));
      assert.deepEqual(alerts.rules(), completeRules(DEFAULT_ALERT_RULES));
      assert.match(warnings[0] ?? '', why);
      await alerts.stop();
    }
  });

  it('skips unreadable history lines with one warning and keeps the readable ones', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'alerts'));
    const good: AlertInstance = { id: 'rss:node-1:5', rule: 'rss', severity: 'warning', node: 'node-1', state: 'resolved', since: 5, resolvedAt: 9, value: 2000, threshold: 1024, text: 'node-1: memory' };
    writeFileSync(join(dir, 'alerts', 'history.ndjson'), `${JSON.stringify(good)}\nnot json\n{"id":1}\n`);
    const warnings: string[] = [];
    const alerts = await startAlerts(source(), dir, (w) => warnings.push(w));
    assert.deepEqual(alerts.list(10).history, [good]);
    assert.match(warnings.join('\n'), /2 unreadable lines skipped/);
    await alerts.stop();
  });

  it(`keeps the newest ${ALERT_HISTORY_MAX} resolved alerts, on disk and in memory`, async () => {
    const dir = tempDir();
    const src = source();
    const alerts = await startAlerts(src, dir);
    alerts.setRules(quickUnhealthy);
    const flips = ALERT_HISTORY_MAX + 5;
    for (let i = 0; i < flips; i++) {
      src.tick(snap(i * 2000, 'down'));
      src.tick(snap(i * 2000 + 1000, 'healthy'));
    }
    await alerts.stop();
    assert.equal(alerts.list(ALERT_HISTORY_MAX).historyTotal, ALERT_HISTORY_MAX);
    const lines = readFileSync(join(dir, 'alerts', 'history.ndjson'), 'utf8').trim().split('\n');
    assert.equal(lines.length, ALERT_HISTORY_MAX);
    assert.equal((JSON.parse(lines.at(-1)!) as AlertInstance).since, (flips - 1) * 2000, 'the newest is last on disk');
  });
});
