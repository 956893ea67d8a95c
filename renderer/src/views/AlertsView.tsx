/**
 * Alerts: what fires now (severity, what, node, since when, its value against the threshold), the
 * resolved alerts with how long each lasted, and the rules editor. The supervisor evaluates the rules
 * once a second whether or not a console is open; the lists refresh every few seconds while here.
 */
import { useEffect } from 'react';
import type { AlertInstance } from '../../../shared/admin/alerts-model.js';
import { fmtThreshold } from '../../../shared/admin/alerts-model.js';
import { fmtDateTime, fmtDuration, fmtInt, fmtTime } from '../format.js';
import { useAlerts } from '../stores/alerts.store.js';
import { ruleLabel } from '../stores/alerts.model.js';
import { AlertRulesEditor } from './alerts/AlertRulesEditor.js';
import { useNow } from './use-now.js';
import '../components/alert-banner.css';
import './AlertsView.css';

const REFRESH_MS = 3000;

export function AlertsView() {
  useEffect(() => {
    const { refresh, loadRules } = useAlerts.getState();
    void refresh();
    void loadRules();
    const t = setInterval(() => void useAlerts.getState().refresh(), REFRESH_MS);
    return () => clearInterval(t);
  }, []);
  const firing = useAlerts((s) => s.firing.length);
  return (
    <section className="alerts-view" aria-labelledby="alerts-title">
      <header className="view-header">
        <h1 id="alerts-title" tabIndex={-1}>Alerts</h1>
        <span className="muted">Rules the cluster checks every second, with or without a console open.</span>
        <span className="spacer" />
        <span className={`badge ${firing > 0 ? 'sev-critical' : 'state-healthy'}`} data-testid="alerts-firing-count">
          {firing === 0 ? 'Nothing firing' : `${fmtInt(firing)} firing`}
        </span>
      </header>
      <FiringAlerts />
      <AlertHistory />
      <AlertRulesEditor />
    </section>
  );
}

function Severity({ a }: { a: AlertInstance }) {
  return <span className={`badge sev-${a.state === 'resolved' ? 'resolved' : a.severity}`}>{a.state === 'resolved' ? 'resolved' : a.severity}</span>;
}

/** "412 ms / 200 ms"; node-unhealthy has no threshold: its state is in the text. */
function valueText(a: AlertInstance): string {
  if (a.rule === 'node-unhealthy') return 'not healthy';
  return `${fmtThreshold(a.rule, Math.round(a.value * 10) / 10)} / ${fmtThreshold(a.rule, a.threshold)}`;
}

function FiringAlerts() {
  const firing = useAlerts((s) => s.firing);
  const loaded = useAlerts((s) => s.loaded);
  const now = useNow(1000, firing.length > 0);
  return (
    <div className="card alerts-card" data-testid="alerts-firing">
      <h2>Firing now</h2>
      {firing.length === 0 ? (
        <p className="alerts-empty muted" data-testid="alerts-firing-empty">{loaded ? 'No alert is firing.' : 'Loading…'}</p>
      ) : (
        <div className="alerts-scroll">
          <table className="data alerts-table">
            <thead>
              <tr><th scope="col">Severity</th><th scope="col">Alert</th><th scope="col">Node</th><th scope="col">Since</th><th scope="col" className="num">Value / threshold</th></tr>
            </thead>
            <tbody>
              {firing.map((a) => (
                <tr key={a.id} data-testid="alert-firing-row">
                  <td><Severity a={a} /></td>
                  <td className="alert-text"><span className="alert-rule">{ruleLabel(a.rule)}</span>{a.text}</td>
                  <td>{a.node ?? 'cluster'}</td>
                  <td className="alert-time">{fmtTime(a.since)} <span className="muted">({fmtDuration(Math.max(0, now - a.since))})</span></td>
                  <td className="num">{valueText(a)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function AlertHistory() {
  const history = useAlerts((s) => s.history);
  const total = useAlerts((s) => s.historyTotal);
  return (
    <div className="card alerts-card" data-testid="alerts-history">
      <h2>History <span className="muted alerts-sub">{total > history.length ? `newest ${fmtInt(history.length)} of ${fmtInt(total)}` : ''}</span></h2>
      {history.length === 0 ? (
        <p className="alerts-empty muted">No alert has resolved yet: each one lands here with how long it lasted.</p>
      ) : (
        <div className="alerts-scroll alerts-history-scroll">
          <table className="data alerts-table">
            <thead>
              <tr><th scope="col">Severity</th><th scope="col">Alert</th><th scope="col">Node</th><th scope="col">Fired</th><th scope="col">Resolved</th><th scope="col">Lasted</th></tr>
            </thead>
            <tbody>
              {history.map((a) => (
                <tr key={a.id} data-testid="alert-history-row">
                  <td className="muted">{a.severity}</td>
                  <td className="alert-text"><span className="alert-rule">{ruleLabel(a.rule)}</span>{a.text}</td>
                  <td>{a.node ?? 'cluster'}</td>
                  <td className="alert-time">{fmtDateTime(a.since)}</td>
                  <td className="alert-time">{a.resolvedAt !== undefined ? fmtTime(a.resolvedAt) : '—'}</td>
                  <td className="alert-time">{a.resolvedAt !== undefined ? fmtDuration(a.resolvedAt - a.since) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
