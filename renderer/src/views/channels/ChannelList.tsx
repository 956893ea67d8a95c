/** The server-paged channel list: filter, sort, page; rows open the channel's detail. */
import type { KeyboardEvent } from 'react';
import { unansweredText } from '../../bridge/survey.js';
import { useChannels, selectChannel, setChannelQuery, sortChannels } from '../../stores/channels.store.js';
import { LIST_PAGE, NO_NAMESPACE } from '../../stores/channels.reducers.js';
import type { ChannelSort } from '../../stores/channels.reducers.js';
import { useSession } from '../../stores/session.store.js';
import { fmtInt, fmtRate } from '../../format.js';
import { ChannelName } from './ChannelName.js';

const COLUMNS: { by: ChannelSort | null; label: string; num: boolean; title?: string }[] = [
  { by: 'name', label: 'Channel', num: false },
  { by: 'subscribers', label: 'Subscribers', num: true },
  { by: null, label: 'Nodes', num: true, title: 'Nodes with at least one subscriber' },
  { by: 'rate', label: 'Msgs/s', num: true, title: 'Publications per second' },
  { by: null, label: 'Offset', num: true, title: 'Stream top, for channels with history' },
];

/** Arrow keys move between rows; Enter or Space opens one. */
function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, channel: string): void {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    selectChannel(channel);
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const next = e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling;
    if (next instanceof HTMLElement) next.focus();
  }
}

export function ChannelList() {
  const { query, rows, total, loaded, error, unanswered } = useChannels((s) => s.list);
  const missing = unansweredText(unanswered, 'subscribers there are not counted');
  const selected = useChannels((s) => s.open?.channel ?? null);
  const namespaces = useSession((s) => s.hello?.namespaces);
  const filtered = query.text.trim() !== '' || query.namespace !== '';
  const exact = query.text.trim();
  const first = total === 0 ? 0 : query.offset + 1;
  const last = Math.min(total, query.offset + rows.length);

  return (
    <section className="card channel-list" aria-label="Channels">
      <div className="channel-filters">
        <input
          type="search" placeholder={query.prefix ? 'Channel name starts with…' : 'Search channels…'} aria-label="Filter channels"
          value={query.text} onChange={(e) => setChannelQuery({ text: e.target.value })}
        />
        <label className="check" title="Match the start of the name instead of anywhere in it">
          <input type="checkbox" checked={query.prefix} onChange={(e) => setChannelQuery({ prefix: e.target.checked })} /> prefix
        </label>
        <select aria-label="Namespace" value={query.namespace} onChange={(e) => setChannelQuery({ namespace: e.target.value })}>
          <option value="">All namespaces</option>
          {namespaces?.map((n) => <option key={n.name} value={n.name} title={n.description}>{n.name}:</option>)}
          <option value={NO_NAMESPACE}>(no namespace)</option>
        </select>
      </div>

      {error ? <p className="form-error" role="alert">Could not load channels: {error}</p> : null}
      {missing ? <p className="survey-warning" role="alert" data-testid="channels-unanswered">{missing}.</p> : null}

      {loaded && total === 0 ? (
        filtered ? (
          <div className="empty small-empty">
            <h2>No channel matches</h2>
            <p>Only channels with at least one subscriber are listed.</p>
            <div className="row center">
              <button type="button" onClick={() => setChannelQuery({ text: '', namespace: '' })}>Clear filters</button>
              {exact !== '' && !query.prefix ? <button type="button" className="primary" onClick={() => selectChannel(exact)}>Open “{exact}” anyway</button> : null}
            </div>
          </div>
        ) : (
          <div className="empty small-empty" data-testid="channels-empty">
            <h2>No channel has subscribers yet</h2>
            <p>Channels show up here as soon as a client subscribes to one — see how to connect a first client on the right.</p>
          </div>
        )
      ) : (
        <div className="table-scroll">
          <table className="data channels-table">
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const active = c.by !== null && query.sortBy === c.by;
                  return (
                    <th key={c.label} className={c.num ? 'num' : ''} title={c.title}
                      aria-sort={active ? (query.sortDir === 'asc' ? 'ascending' : 'descending') : undefined}>
                      {c.by ? (
                        <button type="button" className={`sort${active ? ' active' : ''}`} onClick={() => sortChannels(c.by!)}>
                          {c.label}{active ? (query.sortDir === 'asc' ? ' ▲' : ' ▼') : ''}
                        </button>
                      ) : c.label}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {!loaded ? (
                <tr><td colSpan={5} className="muted">Loading channels…</td></tr>
              ) : rows.map((r) => (
                <tr
                  key={r.channel} data-testid="channel-row" data-channel={r.channel} tabIndex={0}
                  className={`selectable${r.channel === selected ? ' selected' : ''}`} aria-selected={r.channel === selected}
                  onClick={() => selectChannel(r.channel)} onKeyDown={(e) => onRowKey(e, r.channel)}
                >
                  <td className="channel-name" title={r.channel}><ChannelName name={r.channel} /></td>
                  <td className="num">{fmtInt(r.subscribers)}</td>
                  <td className="num">{fmtInt(r.nodes)}</td>
                  <td className="num">{fmtRate(r.publicationsPerSec)}</td>
                  <td className="num">{r.offset !== undefined ? fmtInt(r.offset) : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {total > 0 ? (
        <div className="list-footer">
          <span className="muted">{total > LIST_PAGE ? `${fmtInt(first)}–${fmtInt(last)} of ${fmtInt(total)}` : `${fmtInt(total)} ${total === 1 ? 'channel' : 'channels'}`} · live</span>
          {total > LIST_PAGE ? (
            <span className="row">
              <button type="button" className="small" disabled={query.offset === 0}
                onClick={() => setChannelQuery({ offset: Math.max(0, query.offset - LIST_PAGE) })}>Previous</button>
              <button type="button" className="small" disabled={query.offset + LIST_PAGE >= total}
                onClick={() => setChannelQuery({ offset: query.offset + LIST_PAGE })}>Next</button>
            </span>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
