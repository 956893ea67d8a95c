/**
 * Alert evaluation, pure: once a second the supervisor hands over what each rule watches (readings,
 * built by alert-readings.ts) and the time; a reading over its rule's threshold starts a hold, and
 * once it has stayed over for the rule's `forSeconds` the alert fires — one instance per rule and
 * node (or the cluster). It resolves on the first second the reading is back at or under the
 * threshold, its node is gone, or its rule was disabled. An alert still firing after its rule was
 * edited takes the new threshold, severity and hold into what it says (it is `updated`).
 */
import type { AlertInstance, AlertKind, AlertRule } from '../../../shared/admin/alerts-model.js';
import { ALERT_KIND_INFO, fmtThreshold } from '../../../shared/admin/alerts-model.js';

/** One watched value this second. */
export interface AlertReading {
  kind: AlertKind;
  /** The node, for per-node kinds. */
  node?: string;
  value: number;
  /** A word for the text, e.g. the node's state for node-unhealthy ("hung"). */
  detail?: string;
}

/** What changed in one evaluation. */
export interface AlertChanges {
  fired: AlertInstance[];
  resolved: AlertInstance[];
  /** Still firing, and now under an edited rule (its threshold, severity or text changed). */
  updated: AlertInstance[];
}

const keyOf = (kind: AlertKind, node: string | undefined): string => `${kind}:${node ?? 'cluster'}`;

/**
 * The 1 Hz snapshots come a few ms early or late: a hold of N s is met by N+1 snapshots in a row
 * over the threshold even when the first and last are 999 ms × N apart.
 */
const TICK_SLACK_MS = 250;

export class AlertEvaluator {
  private rules = new Map<AlertKind, AlertRule>();
  /** Readings over the threshold and not firing yet: since when. */
  private readonly holding = new Map<string, number>();
  private readonly firing = new Map<string, AlertInstance>();
  /** Firing alerts whose rule was edited since: they take it at the next evaluation. */
  private readonly edited = new Set<string>();

  constructor(rules: readonly AlertRule[]) {
    this.setRules(rules);
  }

  /** New rules take effect at the next evaluation (a disabled rule's alerts resolve then). */
  setRules(rules: readonly AlertRule[]): void {
    const before = this.rules;
    this.rules = new Map(rules.map((r) => [r.kind, r]));
    for (const [key, a] of this.firing) if (!sameRule(before.get(a.rule), this.rules.get(a.rule))) this.edited.add(key);
    // A changed hold or threshold starts every hold afresh.
    this.holding.clear();
  }

  /** The alerts firing now, oldest first. */
  firingNow(): AlertInstance[] {
    return [...this.firing.values()].sort((a, b) => a.since - b.since);
  }

  evaluate(readings: readonly AlertReading[], now: number): AlertChanges {
    const changes: AlertChanges = { fired: [], resolved: [], updated: [] };
    const over = new Set<string>();
    for (const r of readings) {
      const rule = this.rules.get(r.kind);
      if (!rule?.enabled || !breaches(rule, r.value)) continue;
      const key = keyOf(r.kind, r.node);
      over.add(key);
      const live = this.firing.get(key);
      if (live) {
        live.value = r.value;
        if (this.edited.delete(key)) {
          Object.assign(live, { threshold: rule.threshold, severity: rule.severity, text: alertText(rule, r) });
          changes.updated.push(live);
        }
        continue;
      }
      const from = this.holding.get(key) ?? now;
      this.holding.set(key, from);
      if (now - from + TICK_SLACK_MS < rule.forSeconds * 1000) continue;
      this.holding.delete(key);
      const instance = fire(rule, r, now);
      this.firing.set(key, instance);
      changes.fired.push(instance);
    }
    for (const key of [...this.holding.keys()]) if (!over.has(key)) this.holding.delete(key);
    for (const [key, a] of this.firing) {
      if (over.has(key)) continue;
      this.firing.delete(key);
      this.edited.delete(key);
      changes.resolved.push(resolve(a, now));
    }
    return changes;
  }

  /** Resolves every firing alert (the cluster stops): answers them resolved. */
  resolveAll(now: number, why: string): AlertInstance[] {
    const out = [...this.firing.values()].map((a) => resolve(a, now, why));
    this.firing.clear();
    this.edited.clear();
    this.holding.clear();
    return out;
  }
}

/** The same threshold, severity and hold (what an alert's text and figures say). */
function sameRule(a: AlertRule | undefined, b: AlertRule | undefined): boolean {
  return a !== undefined && b !== undefined && a.threshold === b.threshold && a.severity === b.severity && a.forSeconds === b.forSeconds;
}

/** Over the threshold (node-unhealthy: any unhealthy reading, value 1). */
function breaches(rule: AlertRule, value: number): boolean {
  return rule.kind === 'node-unhealthy' ? value > 0 : value > rule.threshold;
}

function fire(rule: AlertRule, r: AlertReading, now: number): AlertInstance {
  return {
    id: `${keyOf(rule.kind, r.node)}:${now}`, rule: rule.kind, severity: rule.severity, ...(r.node !== undefined ? { node: r.node } : {}),
    state: 'firing', since: now, value: r.value, threshold: rule.threshold, text: alertText(rule, r),
  };
}

function resolve(a: AlertInstance, now: number, why?: string): AlertInstance {
  return { ...a, state: 'resolved', resolvedAt: now, ...(why ? { text: `${a.text} (${why})` } : {}) };
}

/** "node-2 unhealthy (hung) for 10 s", "node-1: event-loop delay 412 ms over 200 ms for 30 s". */
export function alertText(rule: AlertRule, r: AlertReading): string {
  const where = r.node ?? 'cluster';
  const held = rule.forSeconds > 0 ? ` for ${rule.forSeconds} s` : '';
  if (rule.kind === 'node-unhealthy') return `${where} unhealthy${r.detail ? ` (${r.detail})` : ''}${held}`;
  const label = ALERT_KIND_INFO[rule.kind].label.toLowerCase();
  return `${where}: ${label} ${fmtThreshold(rule.kind, round1(r.value))} over ${fmtThreshold(rule.kind, rule.threshold)}${held}`;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
