import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertRuleInput } from './alerts-model.js';
import { ALERT_KINDS, DEFAULT_ALERT_RULES, checkRules, completeRules, fmtThreshold } from './alerts-model.js';

const rule = (patch: Partial<AlertRuleInput>): AlertRuleInput => ({ kind: 'loop-delay', enabled: true, threshold: 200, forSeconds: 30, severity: 'warning', ...patch });
const problem = (rules: AlertRuleInput[]): string => {
  const r = checkRules(rules);
  assert.equal(r.ok, false);
  return r.ok ? '' : r.error;
};

describe('alert rules', () => {
  it('accepts the defaults, one rule for every kind', () => {
    const r = checkRules(DEFAULT_ALERT_RULES);
    assert.ok(r.ok);
    assert.deepEqual(DEFAULT_ALERT_RULES.map((x) => x.kind), [...ALERT_KINDS]);
  });

  it('refuses an unknown kind, naming it and the kinds there are', () => {
    assert.match(problem([rule({ kind: 'cpu-melt' })]), /unknown alert rule kind "cpu-melt": one of node-unhealthy, loop-delay/);
  });

  it('refuses two rules of one kind', () => {
    assert.equal(problem([rule({}), rule({ threshold: 300 })]), 'two rules for loop-delay: one rule per kind');
  });

  it('refuses thresholds out of the kind\'s bounds, with the unit', () => {
    assert.equal(problem([rule({ threshold: 0 })]), 'loop-delay: threshold 0 ms is out of range (1–60000 ms)');
    assert.match(problem([rule({ kind: 'connections-capacity', threshold: 150 })]), /connections-capacity: threshold 150 % is out of range \(1–100 %\)/);
    assert.match(problem([rule({ kind: 'slow-consumers', threshold: -1 })]), /slow-consumers: threshold -1 \/min is out of range/);
    assert.match(problem([rule({ threshold: Number.NaN })]), /loop-delay: the threshold must be a number/);
  });

  it('refuses a hold that is negative, fractional or longer than an hour', () => {
    for (const forSeconds of [-1, 1.5, 3601]) assert.match(problem([rule({ forSeconds })]), /loop-delay: "for" must be whole seconds from 0 to 3600/);
  });

  it('keeps node-unhealthy without a threshold whatever is sent for it', () => {
    const r = checkRules([rule({ kind: 'node-unhealthy', threshold: 77, forSeconds: 1 })]);
    assert.ok(r.ok && r.value[0]!.threshold === 0);
  });

  it('fills the kinds a rule list leaves out with their defaults, in kind order', () => {
    const rules = completeRules([{ kind: 'rss', enabled: false, threshold: 10, forSeconds: 0, severity: 'critical' }]);
    assert.deepEqual(rules.map((r) => r.kind), [...ALERT_KINDS]);
    assert.equal(rules.find((r) => r.kind === 'rss')?.enabled, false);
    assert.equal(rules.find((r) => r.kind === 'loop-delay')?.threshold, 200);
  });

  it('writes thresholds with their unit', () => {
    assert.equal(fmtThreshold('loop-delay', 200), '200 ms');
    assert.equal(fmtThreshold('slow-consumers', 10), '10/min');
    assert.equal(fmtThreshold('rss', 1.25), '1.3 MB');
    assert.equal(fmtThreshold('node-unhealthy', 0), '');
  });
});
