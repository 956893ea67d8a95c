/**
 * Every connection of the cluster: a server-paged, virtualized table (smooth at 20,000 rows) with
 * search, filters and sort; kick by connection or user; a detail drawer with subscriptions, stream
 * positions, traffic and the recovery timeline. The visible rows refresh every 2 s, so joins and
 * leaves show.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ConnectionRow } from '../../../shared/admin/admin-model.js';
import { unansweredText } from '../bridge/survey.js';
import { FirstClientHelp } from '../components/FirstClientHelp.js';
import { fmtInt } from '../format.js';
import { useCluster } from '../stores/cluster.store.js';
import { filterActive } from '../stores/connections.reducers.js';
import { useConnections } from '../stores/connections.store.js';
import { useSession } from '../stores/session.store.js';
import { ConnectionDrawer } from './connections/ConnectionDrawer.js';
import { ConnectionFilters } from './connections/ConnectionFilters.js';
import { ConnectionsTable } from './connections/ConnectionsTable.js';
import { KickDialog } from './connections/KickDialog.js';
import './connections.css';

const REFRESH_MS = 2000;

type KickTarget = Pick<ConnectionRow, 'client' | 'user'>;

export function ConnectionsView() {
  const link = useSession((s) => s.link);
  const open = useConnections((s) => s.open);
  const [kick, setKick] = useState<KickTarget | null>(null);
  const [filtersKey, setFiltersKey] = useState(0);

  // The rows in view are asked again every 2 s (and at once when the link is back).
  useEffect(() => {
    const st = useConnections.getState();
    if (link !== 'connected') {
      st.linkLost();
      return;
    }
    st.refresh();
    st.refreshDetail();
    const t = setInterval(() => useConnections.getState().refresh(), REFRESH_MS);
    return () => clearInterval(t);
  }, [link]);

  const reset = useCallback(() => {
    useConnections.getState().resetFilter();
    setFiltersKey((k) => k + 1);
  }, []);
  const onKick = useCallback((row: KickTarget) => setKick({ client: row.client, user: row.user }), []);
  const closeKick = useCallback(() => setKick(null), []);

  return (
    <section className="conn-view" aria-labelledby="connections-title">
      <header className="view-header">
        <h1 id="connections-title" tabIndex={-1}>Connections</h1>
        <TotalBadge />
        <span className="spacer" />
        <QueryStatus />
      </header>
      <ConnectionFilters key={filtersKey} onReset={reset} />
      <Unanswered />
      <Body onKick={onKick} onReset={reset} />
      {open ? <ConnectionDrawer key={open} client={open} onKick={onKick} suspended={kick !== null} /> : null}
      {kick ? <KickDialog row={kick} onClose={closeKick} /> : null}
    </section>
  );
}

/** "3,012 connections", or "12 of 3,012" while filtered. */
function TotalBadge() {
  const total = useConnections((s) => s.total);
  const settled = useConnections((s) => s.settled);
  const filtered = useConnections((s) => filterActive(s.filter));
  const all = useCluster((s) => s.snapshot?.totals.connections);
  return (
    <span className={`conn-total${settled ? '' : ' pending'}`} data-testid="conn-total" aria-live="polite">
      {filtered
        ? <><strong>{fmtInt(total)}</strong>{all !== undefined ? ` of ${fmtInt(all)}` : ''} match{total === 1 ? 'es' : ''}</>
        : <><strong>{fmtInt(total)}</strong> connection{total === 1 ? '' : 's'}</>}
    </span>
  );
}

/** The list leaves out the connections of supervisors that did not answer: said above it. */
function Unanswered() {
  const unanswered = useConnections((s) => s.unanswered);
  const text = unansweredText(unanswered, 'connections held there are not listed');
  if (!text) return null;
  return <p className="survey-warning conn-unanswered" role="alert" data-testid="conn-unanswered">{text}.</p>;
}

function QueryStatus() {
  const error = useConnections((s) => s.error);
  const busy = useConnections((s) => !s.settled || Object.keys(s.inflight).length > 0);
  if (error) return <span className="conn-status bad" role="status">Could not load: {error}</span>;
  return (
    <span className="conn-status muted" title="The rows in view refresh every 2 seconds">
      <span className={`conn-live${busy ? ' busy' : ''}`} aria-hidden="true" /> Live
    </span>
  );
}

function Body({ onKick, onReset }: { onKick(row: KickTarget): void; onReset(): void }) {
  const settled = useConnections((s) => s.settled);
  const total = useConnections((s) => s.total);
  const filtered = useConnections((s) => filterActive(s.filter));
  if (settled && total === 0 && !filtered) {
    return <div className="card conn-empty-card"><FirstClientHelp /></div>;
  }
  if (settled && total === 0) {
    return (
      <div className="card conn-empty-card">
        <div className="empty" data-testid="conn-no-match">
          <h2>No connection matches</h2>
          <p>Nothing connected right now fits these filters. User and node match exactly, client id by prefix, channel by its full name.</p>
          <button type="button" className="primary" onClick={onReset}>Reset filters</button>
        </div>
      </div>
    );
  }
  return (
    <div className="card conn-card">
      <ConnectionsTable onKick={onKick} />
    </div>
  );
}
