/**
 * Above every view while any alert fires: what fires (the most severe first) and a link to the
 * Alerts view. It goes away when the last alert resolves. Polite: it announces without interrupting.
 */
import { useAlerts } from '../stores/alerts.store.js';
import { bannerText } from '../stores/alerts.model.js';
import './alert-banner.css';

/** `onAlertsView`: the banner stays (it is the same everywhere) but without the link to where the user already is. */
export function AlertBanner({ onAlertsView }: { onAlertsView: boolean }) {
  const firing = useAlerts((s) => s.firing);
  const critical = firing.some((a) => a.severity === 'critical');
  return (
    <div className="alert-banner-slot" aria-live="polite">
      {firing.length > 0 ? (
        <div className={`alert-banner ${critical ? 'sev-critical' : 'sev-warning'}`} role="alert" aria-live="polite" data-testid="alert-banner">
          <span className="alert-banner-text">{bannerText(firing)}</span>
          {onAlertsView ? null : <a href="#/alerts">Open Alerts</a>}
        </div>
      ) : null}
    </div>
  );
}
