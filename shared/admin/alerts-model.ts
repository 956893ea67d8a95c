/**
 * Alerts: the rules the supervisor evaluates once a second (embedded-server/supervisor/alerts/), their
 * defaults and bounds, and the alert instances they raise. Shared by the supervisor, the admin API
 * (`alerts.rules`, `alerts.set-rules`, `alerts.list`, the `alerts` push) and the console's editor,
 * which checks rules with the same `checkRules` the server answers 400 with.
 */
import type { Result } from '../result.js';
import { err, ok } from '../result.js';

/** What a rule watches; one rule per kind. */
export const ALERT_KINDS = [
  'node-unhealthy', 'loop-delay', 'rss', 'connections-capacity', 'slow-consumers', 'publish-errors', 'not-recovered',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ['warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** One rule: fires while the watched value stays above `threshold` for `forSeconds` (0: at once). */
export interface AlertRule {
  kind: AlertKind;
  enabled: boolean;
  /** In the kind's unit (ALERT_KIND_INFO); node-unhealthy has none and keeps 0. */
  threshold: number;
  /** How long the value must stay over the threshold before the alert fires, whole seconds. */
  forSeconds: number;
  severity: AlertSeverity;
}

/** Per kind: its label, what the value means, its unit, the threshold's bounds, and whether it is per node. */
export interface AlertKindInfo {
  label: string;
  /** What is measured, said once (the docs and the editor show it). */
  measures: string;
  /** '' for node-unhealthy (no threshold). */
  unit: string;
  min: number;
  max: number;
  perNode: boolean;
}

export const ALERT_KIND_INFO: Record<AlertKind, AlertKindInfo> = {
  'node-unhealthy': { label: 'Node unhealthy', measures: 'a node not healthy: no report for 3 s, hung, partitioned, down or restarting', unit: '', min: 0, max: 0, perNode: true },
  'loop-delay': { label: 'Event-loop delay', measures: "a node's event-loop delay p99 over its last report", unit: 'ms', min: 1, max: 60_000, perNode: true },
  rss: { label: 'Memory (RSS)', measures: "a node process's resident memory", unit: 'MB', min: 1, max: 1_048_576, perNode: true },
  'connections-capacity': {
    label: 'Connections near capacity', measures: "a node's connections as a share of what its open-file limit lets it hold (nodes without a known limit are skipped)",
    unit: '%', min: 1, max: 100, perNode: true,
  },
  'slow-consumers': { label: 'Slow-consumer disconnects', measures: "clients a node disconnected as slow consumers (code 3008) over the last minute", unit: '/min', min: 0, max: 1_000_000, perNode: true },
  'publish-errors': { label: 'Publish errors', measures: 'server API publish and broadcast requests that did not succeed, over the last minute', unit: '/min', min: 0, max: 1_000_000, perNode: false },
  'not-recovered': { label: 'Resubscribes not recovered', measures: 'subscribe-with-recovery answered recovered: false, per node, over the last minute', unit: '/min', min: 0, max: 1_000_000, perNode: true },
};

/** Longest hold a rule may ask for. */
export const MAX_FOR_SECONDS = 3600;

/** The rules a cluster starts with (and "Reset to defaults" restores). */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  { kind: 'node-unhealthy', enabled: true, threshold: 0, forSeconds: 10, severity: 'critical' },
  { kind: 'loop-delay', enabled: true, threshold: 200, forSeconds: 30, severity: 'warning' },
  { kind: 'rss', enabled: true, threshold: 1024, forSeconds: 60, severity: 'warning' },
  { kind: 'connections-capacity', enabled: true, threshold: 90, forSeconds: 30, severity: 'warning' },
  { kind: 'slow-consumers', enabled: true, threshold: 10, forSeconds: 0, severity: 'warning' },
  { kind: 'publish-errors', enabled: true, threshold: 0, forSeconds: 0, severity: 'warning' },
  { kind: 'not-recovered', enabled: true, threshold: 10, forSeconds: 0, severity: 'warning' },
];

/** One alert: a rule's breach, on one node (per-node kinds) or the cluster. */
export interface AlertInstance {
  /** `<kind>:<node or cluster>:<firedAt>`, unique per firing. */
  id: string;
  rule: AlertKind;
  severity: AlertSeverity;
  node?: string;
  state: 'firing' | 'resolved';
  /** When it fired (unix ms). */
  since: number;
  resolvedAt?: number;
  /** The latest value while firing; the last one seen before it resolved. */
  value: number;
  /** The rule's threshold when it fired, or once an edit of the rule took effect while it fires. */
  threshold: number;
  /** One line: "node-2 unhealthy (hung) for 10 s". */
  text: string;
}

/** `alerts.list`: the firing alerts, and the resolved ones newest first. */
export interface AlertList {
  firing: AlertInstance[];
  history: AlertInstance[];
  /** Resolved alerts kept in all (the history is bounded). */
  historyTotal: number;
}

/** Resolved alerts kept (in memory and in `<dataDir>/alerts/history.ndjson`). */
export const ALERT_HISTORY_MAX = 1000;

const isKind = (k: string): k is AlertKind => (ALERT_KINDS as readonly string[]).includes(k);

/** A rule as it arrives (kind not yet known to be one). */
export interface AlertRuleInput {
  kind: string;
  enabled: boolean;
  threshold: number;
  forSeconds: number;
  severity: AlertSeverity;
}

/** Every rule checked: known kind, at most one rule per kind, threshold and hold in bounds. The first problem, said plainly. */
export function checkRules(rules: readonly AlertRuleInput[]): Result<AlertRule[], string> {
  const seen = new Set<string>();
  for (const r of rules) {
    if (!isKind(r.kind)) return err(`unknown alert rule kind "${r.kind}": one of ${ALERT_KINDS.join(', ')}`);
    if (seen.has(r.kind)) return err(`two rules for ${r.kind}: one rule per kind`);
    seen.add(r.kind);
    const problem = thresholdProblem(r.kind, r.threshold) ?? forProblem(r.kind, r.forSeconds);
    if (problem) return err(problem);
  }
  return ok(rules.map((r) => ({ ...r, kind: r.kind as AlertKind, threshold: r.kind === 'node-unhealthy' ? 0 : r.threshold })));
}

/** Why a threshold is refused for this kind, or null. */
export function thresholdProblem(kind: AlertKind, threshold: number): string | null {
  const info = ALERT_KIND_INFO[kind];
  if (kind === 'node-unhealthy') return null;
  if (!Number.isFinite(threshold)) return `${kind}: the threshold must be a number`;
  if (threshold < info.min || threshold > info.max) return `${kind}: threshold ${threshold} ${info.unit} is out of range (${info.min}–${info.max} ${info.unit})`;
  return null;
}

/** Why a hold is refused, or null. */
export function forProblem(kind: string, forSeconds: number): string | null {
  if (!Number.isInteger(forSeconds) || forSeconds < 0 || forSeconds > MAX_FOR_SECONDS) {
    return `${kind}: "for" must be whole seconds from 0 to ${MAX_FOR_SECONDS}, not ${forSeconds}`;
  }
  return null;
}

/** The rules with every kind present, in ALERT_KINDS order: missing kinds take their defaults. */
export function completeRules(rules: readonly AlertRule[]): AlertRule[] {
  return ALERT_KINDS.map((k) => rules.find((r) => r.kind === k) ?? { ...DEFAULT_ALERT_RULES.find((d) => d.kind === k)! });
}

/** "200 ms", "90 %", "10 /min", "1024 MB"; '' for a kind without a threshold. */
export function fmtThreshold(kind: AlertKind, value: number): string {
  const unit = ALERT_KIND_INFO[kind].unit;
  if (unit === '') return '';
  const n = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return unit === '/min' ? `${n}/min` : `${n} ${unit}`;
}
