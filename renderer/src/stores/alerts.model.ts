/**
 * The Alerts view's rules, pure: the rules editor's draft (text fields, checked with the same
 * bounds the server answers 400 with), what changed between two firing sets (for notifications)
 * and the banner's line.
 */
import type { AlertInstance, AlertKind, AlertRule, AlertRuleInput, AlertSeverity } from '../../../shared/admin/alerts-model.js';
import { ALERT_KIND_INFO, DEFAULT_ALERT_RULES, completeRules, forProblem, thresholdProblem } from '../../../shared/admin/alerts-model.js';
import type { Result } from '../../../shared/result.js';
import { err, ok } from '../../../shared/result.js';

/** One rule as the editor holds it: numbers as typed. */
export interface RuleDraft {
  kind: AlertKind;
  enabled: boolean;
  threshold: string;
  forSeconds: string;
  severity: AlertSeverity;
}

/** Problems per rule kind, one line each. */
export type DraftProblems = Partial<Record<AlertKind, string>>;

export const draftOf = (rules: readonly AlertRule[]): RuleDraft[] =>
  completeRules(rules).map((r) => ({ kind: r.kind, enabled: r.enabled, threshold: String(r.threshold), forSeconds: String(r.forSeconds), severity: r.severity }));

export const defaultDraft = (): RuleDraft[] => draftOf(DEFAULT_ALERT_RULES);

/** A number as typed; NaN for anything that is not one ('' included). */
const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text.trim()));

/** The draft as rules, or what is wrong with each rule that is. */
export function parseDraft(draft: readonly RuleDraft[]): Result<AlertRuleInput[], DraftProblems> {
  const problems: DraftProblems = {};
  const rules: AlertRuleInput[] = [];
  for (const d of draft) {
    const threshold = d.kind === 'node-unhealthy' ? 0 : num(d.threshold);
    const forSeconds = num(d.forSeconds);
    const problem = thresholdProblem(d.kind, threshold) ?? forProblem(d.kind, forSeconds);
    if (problem) problems[d.kind] = problem.replace(`${d.kind}: `, '');
    rules.push({ kind: d.kind, enabled: d.enabled, threshold, forSeconds, severity: d.severity });
  }
  return Object.keys(problems).length > 0 ? err(problems) : ok(rules);
}

/** True when the draft says something other than the rules it started from. */
export function draftChanged(draft: readonly RuleDraft[], rules: readonly AlertRule[]): boolean {
  const base = draftOf(rules);
  return draft.some((d, i) => {
    const b = base[i];
    return !b || b.enabled !== d.enabled || b.severity !== d.severity || num(b.threshold) !== num(d.threshold) || num(b.forSeconds) !== num(d.forSeconds);
  });
}

/** Alerts in `next` not in `prev` (fired), and in `prev` not in `next` (resolved), by id. */
export function firingChanges(prev: readonly AlertInstance[], next: readonly AlertInstance[]): { fired: AlertInstance[]; resolved: AlertInstance[] } {
  const before = new Set(prev.map((a) => a.id));
  const after = new Set(next.map((a) => a.id));
  return { fired: next.filter((a) => !before.has(a.id)), resolved: prev.filter((a) => !after.has(a.id)) };
}

/** The banner's line: the one alert, or the count and the most severe. */
export function bannerText(firing: readonly AlertInstance[]): string {
  if (firing.length === 0) return '';
  const worst = [...firing].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.since - b.since)[0]!;
  return firing.length === 1 ? `Alert: ${worst.text}` : `${firing.length} alerts firing — ${worst.text}, and ${firing.length - 1} more`;
}

const severityRank = (s: AlertSeverity): number => (s === 'critical' ? 2 : 1);

/** The rule's label ("Node unhealthy"). */
export const ruleLabel = (kind: AlertKind): string => ALERT_KIND_INFO[kind].label;
