/**
 * The Overview's "Latest events": node, fault, admin and cluster events always in view, with the
 * client churn between them folded into counted lines (latest-events.model.ts); a toggle shows the
 * client events themselves.
 */
import { useMemo, useState } from 'react';
import { fmtInt, fmtTime } from '../format.js';
import { useEvents } from '../stores/events.store.js';
import type { LatestRow } from './latest-events.model.js';
import { clientTypeWord, latestRows } from './latest-events.model.js';
import { describeEvent } from './overview.model.js';
import './LatestEvents.css';

const LATEST = 10;

export function LatestEvents() {
  const events = useEvents((s) => s.events);
  const held = useEvents((s) => s.held);
  const notable = useEvents((s) => s.notable);
  const [showClients, setShowClients] = useState(false);
  // The Events view may be paused; the overview still shows what is happening now.
  const rows = useMemo(
    () => latestRows(held.length > 0 ? [...events, ...held] : events, notable, LATEST, showClients),
    [events, held, notable, showClients],
  );
  return (
    <section className="card ov-events" aria-labelledby="ov-events-title">
      <div className="ov-card-head">
        <div>
          <h2 id="ov-events-title">Latest events</h2>
          <div className="muted ov-card-sub">{showClients ? 'Every event, newest first' : 'Nodes, faults and admin actions; client events counted between them'}</div>
        </div>
        <div className="ov-events-tools">
          <div className="ov-toggle" role="group" aria-label="Client events">
            <button type="button" className="small" aria-pressed={!showClients} onClick={() => setShowClients(false)} data-testid="latest-fold-clients">Grouped</button>
            <button type="button" className="small" aria-pressed={showClients} onClick={() => setShowClients(true)} data-testid="latest-show-clients">All events</button>
          </div>
          <a href="#/events">All events →</a>
        </div>
      </div>
      {rows.length === 0 ? <p className="muted">Nothing has happened yet: events appear here as clients connect and nodes change.</p> : (
        <ol className="ov-event-list" data-testid="latest-events">
          {rows.map((r) => (r.kind === 'event' ? <EventLine key={r.event.seq} row={r} /> : <ClientsLine key={r.key} row={r} onShow={() => setShowClients(true)} />))}
        </ol>
      )}
    </section>
  );
}

function EventLine({ row: { event: e } }: { row: Extract<LatestRow, { kind: 'event' }> }) {
  const line = describeEvent(e);
  return (
    <li className={`tone-${line.tone}`} data-testid="latest-event" data-type={e.type}>
      <time className="mono muted">{fmtTime(e.at)}</time>
      <span className="ov-event-type">{e.type}</span>
      {line.node ? <span className="ov-event-node mono">{line.node}</span> : <span />}
      <span className="ov-event-text" title={line.text}>{line.text}</span>
    </li>
  );
}

function ClientsLine({ row, onShow }: { row: Extract<LatestRow, { kind: 'clients' }>; onShow: () => void }) {
  const parts = row.byType.map((t) => `${fmtInt(t.count)} ${clientTypeWord(t.type)}`).join(', ');
  return (
    <li className="ov-event-clients" data-testid="latest-clients" data-count={row.count}>
      <span className="ov-clients-count">{fmtInt(row.count)} client event{row.count === 1 ? '' : 's'}</span>
      <span className="ov-event-text muted" title={parts}>{parts}</span>
      <button type="button" className="small" onClick={onShow}>Show</button>
    </li>
  );
}
