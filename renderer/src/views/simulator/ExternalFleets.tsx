/**
 * Fleets started elsewhere (`switchboard simulate` in a terminal), read-only: each fleet's own
 * counts as it last reported them, and how long ago that was. A fleet not heard from for over 5 s
 * is greyed and says so; it is stopped in its own terminal, never from here.
 */
import type { ExternalFleet } from '../../../../shared/admin/external-fleet-model.js';
import { fmtInt, fmtMs } from '../../format.js';
import { fleetContactView, fleetOrigin } from '../../stores/external-fleets.model.js';
import { useExternalFleets } from '../../stores/external-fleets.store.js';
import { fmtSeconds } from '../../stores/simulator.model.js';
import { useNow } from '../use-now.js';

export function ExternalFleets() {
  const fleets = useExternalFleets((s) => s.fleets);
  const receivedAt = useExternalFleets((s) => s.receivedAt);
  const now = useNow(1000, fleets.length > 0);
  return (
    <section className="card sim-external" aria-labelledby="sim-external-title" data-testid="sim-external">
      <div className="sim-card-head">
        <h2 id="sim-external-title">Fleets started elsewhere</h2>
        <span className="muted">Read-only: reported by <code>switchboard simulate</code> once a second</span>
      </div>
      {fleets.length === 0 ? (
        <p className="hint" data-testid="sim-external-none">
          None reporting. A fleet started with <code>switchboard simulate</code> against this cluster shows here, with its own counts, once it connects.
        </p>
      ) : (
        <>
          <table className="data sim-external-table">
            <thead>
              <tr>
                <th scope="col">Fleet</th>
                <th scope="col">State</th>
                <th scope="col" className="num">Connected</th>
                <th scope="col" className="num">Sent</th>
                <th scope="col" className="num">Received</th>
                <th scope="col" className="num">Lost</th>
                <th scope="col" className="num">Duplicated</th>
                <th scope="col" className="num">p99</th>
                <th scope="col">Last report</th>
              </tr>
            </thead>
            <tbody>
              {fleets.map((f) => <FleetRow key={f.key} fleet={f} receivedAt={receivedAt} now={Math.max(now, receivedAt)} />)}
            </tbody>
          </table>
          <p className="hint sim-external-stop">
            These fleets run outside the console&apos;s control: to stop one, press <kbd>Ctrl+C</kbd> in the terminal
            running <code>switchboard simulate</code>.
          </p>
        </>
      )}
    </section>
  );
}

function FleetRow({ fleet, receivedAt, now }: { fleet: ExternalFleet; receivedAt: number; now: number }) {
  const s = fleet.status;
  const c = s.counts;
  const contact = fleetContactView(fleet, receivedAt, now);
  return (
    <tr className={contact.lost ? 'lost' : undefined} data-testid="sim-external-fleet" data-key={fleet.key} data-state={s.state}
      data-lost={contact.lost ? 'true' : 'false'} title={contact.lost ? 'No report lately: these are the last figures heard' : undefined}>
      <td>
        <div className="sim-external-what">{s.params.profile} · {fmtInt(s.params.clients)} {s.params.clients === 1 ? 'client' : 'clients'}</div>
        <div className="sim-external-where">{fleetOrigin(fleet)}</div>
      </td>
      <td>
        <span className={`badge sim-state-${s.state}`} data-testid="sim-external-state">{s.state}</span>
        <div className="sim-external-where num-left" data-testid="sim-external-elapsed">
          {fmtSeconds(Math.floor(s.elapsedMs / 1000))} of {fmtSeconds(s.params.durationSeconds)}
        </div>
      </td>
      <td className="num" data-testid="sim-external-connected">{fmtInt(c.connected)}</td>
      <td className="num" data-testid="sim-external-sent">{fmtInt(c.sent)}</td>
      <td className="num" data-testid="sim-external-received">{fmtInt(c.received)}</td>
      <td className={`num${c.lost > 0 ? ' sim-external-alarm' : ''}`} data-testid="sim-external-lost">{fmtInt(c.lost)}</td>
      <td className={`num${c.duplicated > 0 ? ' sim-external-alarm' : ''}`} data-testid="sim-external-duplicated">{fmtInt(c.duplicated)}</td>
      <td className="num">{c.latency.samples === 0 ? '—' : fmtMs(c.latency.p99Ms)}</td>
      <td className="sim-external-age" data-testid="sim-external-age">{contact.label}</td>
    </tr>
  );
}
