/**
 * The rules editor: one row per rule — on/off, threshold in the rule's unit, how many seconds the
 * value must stay over it, severity — with the same checks the server makes, shown under the row as
 * they are typed. Save sends every rule (`alerts.set-rules`); "Reset to defaults" puts the defaults
 * in the editor, to be saved or discarded.
 */
import { useShallow } from 'zustand/react/shallow';
import { ALERT_KIND_INFO, ALERT_SEVERITIES } from '../../../../shared/admin/alerts-model.js';
import type { AlertSeverity } from '../../../../shared/admin/alerts-model.js';
import { fmtTime } from '../../format.js';
import { useAlerts } from '../../stores/alerts.store.js';
import type { RuleDraft } from '../../stores/alerts.model.js';
import { draftChanged } from '../../stores/alerts.model.js';

export function AlertRulesEditor() {
  const draft = useAlerts((s) => s.draft);
  const rules = useAlerts((s) => s.rules);
  const problems = useAlerts((s) => s.problems);
  const { saving, savedAt } = useAlerts(useShallow((s) => ({ saving: s.saving, savedAt: s.savedAt })));
  const { save, resetToDefaults, discard } = useAlerts.getState();
  const changed = rules !== null && draftChanged(draft, rules);
  const invalid = Object.keys(problems).length > 0;
  return (
    <form className="card alerts-card alert-rules" aria-labelledby="alert-rules-title" data-testid="alert-rules"
      onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h2 id="alert-rules-title">Rules</h2>
      <div className="alerts-scroll">
        <table className="data alert-rules-table">
          <thead>
            <tr><th scope="col">On</th><th scope="col">Rule</th><th scope="col">Threshold</th><th scope="col">For (s)</th><th scope="col">Severity</th></tr>
          </thead>
          <tbody>
            {draft.map((d) => <RuleRow key={d.kind} d={d} problem={problems[d.kind]} />)}
          </tbody>
        </table>
      </div>
      <div className="alert-rules-actions">
        <button type="submit" className="primary" disabled={!changed || invalid || saving} data-testid="alert-rules-save">
          {saving ? 'Saving…' : 'Save rules'}
        </button>
        <button type="button" disabled={!changed || saving} onClick={discard}>Discard changes</button>
        <button type="button" disabled={saving} onClick={resetToDefaults} data-testid="alert-rules-reset"
          title="Put the default rules in the editor; Save keeps them">Reset to defaults</button>
        <span className="muted" role="status" data-testid="alert-rules-status">
          {invalid ? 'Fix the marked rules to save.' : savedAt !== null ? `Saved at ${fmtTime(savedAt)}: the cluster uses these rules now.` : changed ? 'Unsaved changes.' : ''}
        </span>
      </div>
    </form>
  );
}

function RuleRow({ d, problem }: { d: RuleDraft; problem: string | undefined }) {
  const info = ALERT_KIND_INFO[d.kind];
  const edit = (patch: Partial<Omit<RuleDraft, 'kind'>>): void => useAlerts.getState().editRule(d.kind, patch);
  const errId = `alert-rule-${d.kind}-problem`;
  const described = problem ? errId : undefined;
  return (
    <>
      <tr className={problem ? 'rule-invalid' : ''} data-testid={`alert-rule-${d.kind}`}>
        <td>
          <input type="checkbox" checked={d.enabled} aria-label={`${info.label}: on`} onChange={(e) => edit({ enabled: e.target.checked })} />
        </td>
        <td className="rule-name">
          <span className="rule-label">{info.label}</span>
          <span className="muted rule-measures">{info.measures}</span>
        </td>
        <td className="rule-threshold">
          {info.unit === '' ? <span className="muted">—</span> : (
            <>
              <input type="number" inputMode="decimal" min={info.min} max={info.max} value={d.threshold} aria-label={`${info.label}: threshold in ${info.unit}`}
                aria-invalid={problem ? true : undefined} aria-describedby={described} data-testid={`alert-rule-${d.kind}-threshold`}
                onChange={(e) => edit({ threshold: e.target.value })} />
              <span className="muted unit">{info.unit}</span>
            </>
          )}
        </td>
        <td>
          <input type="number" inputMode="numeric" min={0} step={1} value={d.forSeconds} aria-label={`${info.label}: for how many seconds`}
            aria-invalid={problem ? true : undefined} aria-describedby={described} data-testid={`alert-rule-${d.kind}-for`}
            onChange={(e) => edit({ forSeconds: e.target.value })} className="rule-for" />
        </td>
        <td>
          <select value={d.severity} aria-label={`${info.label}: severity`} onChange={(e) => edit({ severity: e.target.value as AlertSeverity })}>
            {ALERT_SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </td>
      </tr>
      {problem ? (
        <tr className="rule-problem-row">
          <td />
          <td colSpan={4} id={errId} className="rule-problem" data-testid={`alert-rule-${d.kind}-problem`}>{problem}</td>
        </tr>
      ) : null}
    </>
  );
}
