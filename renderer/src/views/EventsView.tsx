/**
 * Events: the live lifecycle log, newest first and virtualized (up to 5,000 kept), with filters,
 * pause/resume (the list holds still and counts what waits), earlier events from the supervisor's
 * ring a page at a time (a console starts with the latest 500) and an NDJSON export of what is shown.
 */
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCluster } from '../stores/cluster.store.js';
import { useEvents } from '../stores/events.store.js';
import { EVENTS_KEPT, earlierRequest } from '../stores/events.reducers.js';
import { loadEarlierEvents } from '../stores/events.load.js';
import { fmtDateTime, fmtInt } from '../format.js';
import type { EventFilter } from './events/event-model.js';
import { EVENT_GROUPS, emptyFilter, isFiltered, visibleEvents } from './events/event-model.js';
import { eventsFileName, eventsNdjson } from '../../../shared/admin/events-export.js';
import { countOf, downloadText } from './events/download.js';
import { EventRow } from './events/EventRow.js';
import { VirtualRows } from './events/VirtualRows.js';
import './EventsView.css';

const ROW_HEIGHT = 32;
const COLUMNS = ['Time', 'Type', 'Node', 'User', 'Client', 'Channel', 'Details'];

/** The column titles: the header row of the events table, or plain titles over the empty state (no table then). */
function EventHead({ row }: { row: boolean }) {
  return (
    <div className="event-head" role={row ? 'row' : undefined}>
      {COLUMNS.map((c) => <span key={c} role={row ? 'columnheader' : undefined}>{c}</span>)}
    </div>
  );
}

export function EventsView() {
  const events = useEvents((s) => s.events);
  const paused = useEvents((s) => s.paused);
  const waiting = useEvents((s) => s.held.length);
  const pause = useEvents((s) => s.pause);
  const liveNodes = useCluster(useShallow((s) => s.snapshot?.nodes.map((n) => n.id) ?? []));
  const [filter, setFilter] = useState<EventFilter>(emptyFilter);
  const set = (patch: Partial<EventFilter>): void => setFilter((f) => ({ ...f, ...patch }));

  const shown = useMemo(() => visibleEvents(events, filter), [events, filter]);
  const nodes = useMemo(() => {
    const all = new Set(liveNodes);
    for (const e of events) if ('node' in e && e.node !== undefined) all.add(e.node);
    return [...all].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }, [events, liveNodes]);
  const filtered = isFiltered(filter);

  return (
    <div className="events-view">
      <div className="view-header">
        <h1 tabIndex={-1}>Events</h1>
        <span className="muted">The cluster&apos;s lifecycle log, as it happens — newest first.</span>
        <div className="spacer" />
        <span className={`events-state${paused ? ' paused' : ''}`} aria-live="polite" data-testid="events-state">
          {paused ? <>Paused · <strong data-testid="events-new">{fmtInt(waiting)} new</strong></> : 'Live'}
        </span>
        <button type="button" className={paused ? 'primary' : ''} onClick={() => pause(!paused)} data-testid="events-pause">
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" disabled={shown.length === 0} title="Download the events shown as newline-delimited JSON"
          onClick={() => downloadText(eventsFileName(new Date()), eventsNdjson(shown), 'application/x-ndjson', countOf(shown.length, 'event'))}>
          Export NDJSON
        </button>
      </div>

      <div className="card events-card">
        <div className="events-filters" role="search" aria-label="Filter events">
          <label>
            Type
            <select value={filter.type} onChange={(e) => set({ type: e.target.value })} aria-label="Event type">
              <option value="">All types</option>
              {EVENT_GROUPS.map((g) => (
                <optgroup key={g.id} label={g.label}>
                  <option value={`group:${g.id}`}>All {g.label.toLowerCase()}</option>
                  {g.types.map((t) => <option key={t} value={t}>{t}</option>)}
                </optgroup>
              ))}
            </select>
          </label>
          <label>
            Node
            <select value={filter.node} onChange={(e) => set({ node: e.target.value })} aria-label="Node">
              <option value="">All nodes</option>
              {nodes.map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
          <label>
            User
            <input type="search" value={filter.user} placeholder="user id" aria-label="User" onChange={(e) => set({ user: e.target.value })} />
          </label>
          <label>
            Channel
            <input type="search" value={filter.channel} placeholder="e.g. chat:" aria-label="Channel" onChange={(e) => set({ channel: e.target.value })} />
          </label>
          {filtered ? <button type="button" className="small" onClick={() => setFilter(emptyFilter())}>Clear filters</button> : null}
          <div className="spacer" />
          <span className="muted events-count" data-testid="events-count">
            {filtered ? `${fmtInt(shown.length)} of ${fmtInt(events.length)} events` : `${fmtInt(events.length)} ${events.length === 1 ? 'event' : 'events'}`}
            {events.length >= EVENTS_KEPT ? ` (the latest ${fmtInt(EVENTS_KEPT)} are kept)` : ''}
          </span>
        </div>

        {shown.length === 0 ? <EventHead row={false} /> : null}
        {shown.length === 0 ? (
          <div className="empty events-empty">
            {events.length === 0 ? (
              <>
                <h2>No events yet</h2>
                <p>Events appear here as nodes start, clients connect and subscribe, and actions are taken from this console.</p>
              </>
            ) : (
              <>
                <h2>No event matches these filters</h2>
                <p>{fmtInt(events.length)} events are kept; widen the filters to see them.</p>
                <button type="button" onClick={() => setFilter(emptyFilter())}>Clear filters</button>
              </>
            )}
          </div>
        ) : (
          <div className="events-table" role="table" aria-label="Events">
            <EventHead row />
            <VirtualRows className="event-rows" label="Events, newest first" items={shown} rowHeight={ROW_HEIGHT}
              render={(e) => <EventRow key={e.seq} event={e} />} />
          </div>
        )}
        <EarlierEvents />
      </div>
    </div>
  );
}

/** Under the list: how far back the console reaches, and the next page back from the supervisor. */
function EarlierEvents() {
  const oldest = useEvents((s) => s.events[0]);
  const full = useEvents((s) => s.events.length >= EVENTS_KEPT);
  const page = useEvents((s) => earlierRequest(s)?.limit ?? 0);
  const startReached = useEvents((s) => s.startReached);
  const loading = useEvents((s) => s.loadingEarlier);
  if (oldest === undefined) return null;
  const why = page > 0 ? null
    : startReached || oldest.seq <= 1 ? 'Nothing earlier: the supervisor keeps no older event.'
      : full ? `The console holds its ${fmtInt(EVENTS_KEPT)} events: filter or export what is here.` : null;
  return (
    <div className="events-earlier" data-testid="events-earlier">
      <span className="muted">Back to {fmtDateTime(oldest.at)} (event #{fmtInt(oldest.seq)})</span>
      {page > 0 ? (
        <button type="button" className="small" disabled={loading} onClick={() => void loadEarlierEvents()}>
          {loading ? 'Loading…' : `Load ${fmtInt(page)} earlier ${page === 1 ? 'event' : 'events'}`}
        </button>
      ) : <span className="muted" data-testid="events-earlier-end">{why}</span>}
    </div>
  );
}
