import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertRule } from '../../../shared/admin/alerts-model.js';
import { DEFAULT_ALERT_RULES, completeRules } from '../../../shared/admin/alerts-model.js';
import type { AlertReading } from './alert-evaluator.js';
import { AlertEvaluator } from './alert-evaluator.js';

const T0 = 1_800_000_000_000;
const at = (s: number): number => T0 + s * 1000;
const rules = (...patch: (Partial<AlertRule> & Pick<AlertRule, 'kind'>)[]): AlertRule[] =>
  completeRules(DEFAULT_ALERT_RULES).map((r) => ({ ...r, ...patch.find((p) => p.kind === r.kind) }));
const loop = (node: string, value: number): AlertReading => ({ kind: 'loop-delay', node, value });

describe('alert evaluation', () => {
  it('fires only once the value has stayed over the threshold for the whole hold', () => {
    const ev = new AlertEvaluator(rules({ kind: 'loop-delay', threshold: 200, forSeconds: 3 }));
    assert.deepEqual(ev.evaluate([loop('node-1', 250)], at(0)).fired, []);
    assert.deepEqual(ev.evaluate([loop('node-1', 250)], at(1)).fired, []);
    assert.deepEqual(ev.evaluate([loop('node-1', 250)], at(2)).fired, []);
    const { fired } = ev.evaluate([loop('node-1', 260)], at(3));
    assert.equal(fired.length, 1);
    assert.equal(fired[0]!.rule, 'loop-delay');
    assert.equal(fired[0]!.node, 'node-1');
    assert.equal(fired[0]!.state, 'firing');
    assert.equal(fired[0]!.since, at(3));
    assert.equal(fired[0]!.value, 260);
    assert.equal(fired[0]!.threshold, 200);
    assert.match(fired[0]!.text, /node-1: event-loop delay 260 ms over 200 ms for 3 s/);
  });

  it('meets a hold with snapshots a few ms early, as the 1 Hz ticks drift', () => {
    const ev = new AlertEvaluator(rules({ kind: 'loop-delay', threshold: 200, forSeconds: 1 }));
    ev.evaluate([loop('node-1', 250)], at(0));
    assert.equal(ev.evaluate([loop('node-1', 250)], at(0) + 995).fired.length, 1);
  });

  it('starts the hold again when the value dips to the threshold in between', () => {
    const ev = new AlertEvaluator(rules({ kind: 'loop-delay', threshold: 200, forSeconds: 2 }));
    ev.evaluate([loop('node-1', 300)], at(0));
    ev.evaluate([loop('node-1', 200)], at(1));
    assert.deepEqual(ev.evaluate([loop('node-1', 300)], at(2)).fired, [], 'exactly the threshold is not over it');
    assert.deepEqual(ev.evaluate([loop('node-1', 300)], at(3)).fired, []);
    assert.equal(ev.evaluate([loop('node-1', 300)], at(4)).fired.length, 1);
  });

  it('fires at once with a hold of 0 and keeps one instance per node, updating its value', () => {
    const ev = new AlertEvaluator(rules({ kind: 'loop-delay', threshold: 100, forSeconds: 0 }));
    const first = ev.evaluate([loop('node-1', 150), loop('node-2', 50), loop('node-3', 400)], at(0));
    assert.deepEqual(first.fired.map((a) => a.node), ['node-1', 'node-3']);
    assert.deepEqual(ev.evaluate([loop('node-1', 180), loop('node-2', 50), loop('node-3', 500)], at(1)).fired, []);
    assert.deepEqual(ev.firingNow().map((a) => [a.node, a.value]), [['node-1', 180], ['node-3', 500]]);
  });

  it('resolves on the first second back within the threshold, with the time and the last value', () => {
    const ev = new AlertEvaluator(rules({ kind: 'loop-delay', threshold: 100, forSeconds: 0 }));
    ev.evaluate([loop('node-1', 150)], at(0));
    const { resolved, fired } = ev.evaluate([loop('node-1', 20)], at(5));
    assert.deepEqual(fired, []);
    assert.equal(resolved.length, 1);
    assert.equal(resolved[0]!.state, 'resolved');
    assert.equal(resolved[0]!.since, at(0));
    assert.equal(resolved[0]!.resolvedAt, at(5));
    assert.equal(resolved[0]!.value, 150);
    assert.deepEqual(ev.firingNow(), []);
  });

  it('resolves the alert of a node that is gone from the readings', () => {
    const ev = new AlertEvaluator(rules({ kind: 'node-unhealthy', forSeconds: 0 }));
    ev.evaluate([{ kind: 'node-unhealthy', node: 'node-2', value: 1, detail: 'down' }], at(0));
    assert.equal(ev.evaluate([], at(1)).resolved[0]?.node, 'node-2');
  });

  it('says the node state in a node-unhealthy alert and ignores its threshold', () => {
    const ev = new AlertEvaluator(rules({ kind: 'node-unhealthy', forSeconds: 1, threshold: 0 }));
    ev.evaluate([{ kind: 'node-unhealthy', node: 'node-2', value: 1, detail: 'hung' }], at(0));
    const { fired } = ev.evaluate([{ kind: 'node-unhealthy', node: 'node-2', value: 1, detail: 'hung' }], at(1));
    assert.equal(fired[0]?.text, 'node-2 unhealthy (hung) for 1 s');
    assert.equal(fired[0]?.severity, 'critical');
    assert.deepEqual(ev.evaluate([{ kind: 'node-unhealthy', node: 'node-2', value: 0, detail: 'healthy' }], at(2)).resolved.map((a) => a.node), ['node-2']);
  });

  it('keeps a cluster-wide alert without a node', () => {
    const ev = new AlertEvaluator(rules({ kind: 'publish-errors', threshold: 0, forSeconds: 0 }));
    const { fired } = ev.evaluate([{ kind: 'publish-errors', value: 3 }], at(0));
    assert.equal(fired[0]?.node, undefined);
    assert.match(fired[0]!.text, /^cluster: publish errors 3\/min over 0\/min$/);
  });

  it('resolves the alerts of a rule that is disabled, and fires nothing for it', () => {
    const ev = new AlertEvaluator(rules({ kind: 'loop-delay', threshold: 100, forSeconds: 0 }));
    ev.evaluate([loop('node-1', 150)], at(0));
    ev.setRules(rules({ kind: 'loop-delay', enabled: false }));
    assert.equal(ev.evaluate([loop('node-1', 150)], at(1)).resolved.length, 1);
    assert.deepEqual(ev.evaluate([loop('node-1', 150)], at(2)).fired, []);
  });

  it('judges a firing alert by the edited threshold, and a new hold by the edited hold', () => {
    const ev = new AlertEvaluator(rules({ kind: 'loop-delay', threshold: 100, forSeconds: 0 }));
    ev.evaluate([loop('node-1', 150), loop('node-2', 150)], at(0));
    ev.setRules(rules({ kind: 'loop-delay', threshold: 160, forSeconds: 5 }));
    const after = ev.evaluate([loop('node-1', 150), loop('node-2', 170)], at(1));
    assert.deepEqual(after.resolved.map((a) => a.node), ['node-1'], 'node-1 is now within the raised threshold');
    assert.deepEqual(ev.firingNow().map((a) => a.node), ['node-2']);
    ev.evaluate([loop('node-1', 200)], at(2));
    assert.deepEqual(ev.evaluate([loop('node-1', 200)], at(6)).fired, [], 'the 5 s hold has not passed yet');
    assert.deepEqual(ev.evaluate([loop('node-1', 200)], at(7)).fired.map((a) => a.node), ['node-1']);
  });

  it('gives a firing alert an edited threshold, severity and hold at the next evaluation, once, as an update', () => {
    const ev = new AlertEvaluator(rules({ kind: 'loop-delay', threshold: 100, forSeconds: 0, severity: 'warning' }));
    ev.evaluate([loop('node-1', 150)], at(0));
    const firedId = ev.firingNow()[0]!.id;
    assert.deepEqual(ev.evaluate([loop('node-1', 155)], at(1)).updated, [], 'a new value alone is no update');
    ev.setRules(rules({ kind: 'loop-delay', threshold: 120, forSeconds: 10, severity: 'critical' }));
    const { updated, fired, resolved } = ev.evaluate([loop('node-1', 160)], at(2));
    assert.deepEqual([fired, resolved], [[], []], 'the same alert goes on firing');
    assert.equal(updated.length, 1);
    assert.equal(updated[0]!.id, firedId);
    assert.equal(updated[0]!.since, at(0), 'it fired when it fired');
    assert.equal(updated[0]!.threshold, 120);
    assert.equal(updated[0]!.severity, 'critical');
    assert.equal(updated[0]!.text, 'node-1: event-loop delay 160 ms over 120 ms for 10 s');
    assert.deepEqual(ev.firingNow(), updated);
    assert.deepEqual(ev.evaluate([loop('node-1', 170)], at(3)).updated, [], 'told once');
    ev.setRules(rules({ kind: 'loop-delay', threshold: 120, forSeconds: 10, severity: 'critical', enabled: true }));
    assert.deepEqual(ev.evaluate([loop('node-1', 170)], at(4)).updated, [], 'rules saved unchanged change nothing');
  });

  it('resolves everything at a stop, saying why', () => {
    const ev = new AlertEvaluator(rules({ kind: 'loop-delay', threshold: 100, forSeconds: 0 }));
    ev.evaluate([loop('node-1', 150)], at(0));
    const out = ev.resolveAll(at(9), 'cluster stopped');
    assert.equal(out[0]?.resolvedAt, at(9));
    assert.match(out[0]!.text, /\(cluster stopped\)$/);
    assert.deepEqual(ev.firingNow(), []);
  });

  it('gives each firing its own id, so a second firing of the same rule and node is a new alert', () => {
    const ev = new AlertEvaluator(rules({ kind: 'loop-delay', threshold: 100, forSeconds: 0 }));
    const a = ev.evaluate([loop('node-1', 150)], at(0)).fired[0]!;
    ev.evaluate([], at(1));
    const b = ev.evaluate([loop('node-1', 150)], at(2)).fired[0]!;
    assert.notEqual(a.id, b.id);
  });
});
