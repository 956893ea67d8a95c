/**
 * Audit: every admin action the cluster kept (kicks, broadcasts, faults, settings…), newest first,
 * with who asked, what, the reach and the result; searchable, filterable by action and outcome,
 * and exported as NDJSON or CSV. The list refreshes every few seconds while the view is open.
 */
import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ADMIN_PARAMS } from '../../../shared/admin/admin-api.js';
import type { AuditEntry } from '../../../shared/admin/audit-model.js';
import { isAudited } from '../../../shared/admin/audit-model.js';
import { fmtDateTime, fmtInt } from '../format.js';
import { useAudit } from '../stores/audit.store.js';
import type { AuditViewFilter } from '../stores/audit.reducers.js';
import './AuditView.css';

const REFRESH_MS = 3000;
/** Typing pauses this long before the search is asked for. */
const TYPING_MS = 250;
const ACTIONS = Object.keys(ADMIN_PARAMS).filter(isAudited).sort();

export function AuditView() {
  useEffect(() => {
    useAudit.getState().refresh();
    const t = setInterval(() => useAudit.getState().refresh(), REFRESH_MS);
    return () => clearInterval(t);
  }, []);
  const exportAll = useAudit((s) => s.exportAll);
  const total = useAudit((s) => s.total);
  return (
    <section className="audit-view" aria-labelledby="audit-title">
      <header className="view-header">
        <h1 id="audit-title" tabIndex={-1}>Audit</h1>
        <span className="muted">Every admin action — who, what, its reach and result — kept across restarts.</span>
        <span className="spacer" />
        <button type="button" disabled={total === 0} onClick={() => void exportAll('ndjson')} data-testid="audit-export-ndjson"
          title="Download every entry matching the filter as newline-delimited JSON">Export NDJSON</button>
        <button type="button" disabled={total === 0} onClick={() => void exportAll('csv')} data-testid="audit-export-csv"
          title="Download every entry matching the filter as CSV">Export CSV</button>
      </header>
      <div className="card audit-card">
        <AuditFilters />
        <AuditTable />
      </div>
    </section>
  );
}

function AuditFilters() {
  const filter = useAudit(useShallow((s) => s.filter));
  const setFilter = useAudit((s) => s.setFilter);
  const [text, setText] = useState(filter.text);
  useEffect(() => {
    if (text === filter.text) return undefined;
    const t = setTimeout(() => setFilter({ text }), TYPING_MS);
    return () => clearTimeout(t);
  }, [text, filter.text, setFilter]);
  const total = useAudit((s) => s.total);
  const oldestAt = useAudit((s) => s.oldestAt);
  return (
    <div className="audit-filters" role="search" aria-label="Filter the audit log">
      <label>
        Search
        <input type="search" value={text} placeholder="user, client, channel, node, error…" aria-label="Search the audit log"
          data-testid="audit-search" onChange={(e) => setText(e.target.value)} />
      </label>
      <label>
        Action
        <select value={filter.action} aria-label="Action" data-testid="audit-action" onChange={(e) => setFilter({ action: e.target.value })}>
          <option value="">All actions</option>
          {ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
      </label>
      <label>
        Result
        <select value={filter.outcome} aria-label="Result" onChange={(e) => setFilter({ outcome: e.target.value as AuditViewFilter['outcome'] })}>
          <option value="">Any result</option>
          <option value="ok">Succeeded</option>
          <option value="failed">Failed</option>
        </select>
      </label>
      <span className="spacer" />
      <span className="muted audit-count" aria-live="polite" data-testid="audit-count">
        {fmtInt(total)} {total === 1 ? 'entry' : 'entries'}{oldestAt !== null ? ` · log kept since ${fmtDateTime(oldestAt)}` : ''}
      </span>
    </div>
  );
}

function AuditTable() {
  const entries = useAudit((s) => s.entries);
  const total = useAudit((s) => s.total);
  const loaded = useAudit((s) => s.loaded);
  const error = useAudit((s) => s.error);
  const filtered = useAudit((s) => s.filter.text !== '' || s.filter.action !== '' || s.filter.outcome !== '');
  const loadMore = useAudit((s) => s.loadMore);
  if (error !== null && entries.length === 0) return <p className="audit-empty bad-text" role="alert">The audit log could not be read: {error}</p>;
  if (!loaded) return <p className="audit-empty muted">Loading the audit log…</p>;
  if (entries.length === 0) {
    return (
      <p className="audit-empty muted" data-testid="audit-empty">
        {filtered ? 'No audit entries match the filter.' : 'No admin actions yet: kicks, broadcasts, faults and setting changes appear here as they are made.'}
      </p>
    );
  }
  return (
    <>
      <div className="audit-scroll">
        <table className="data audit-table" data-testid="audit-table">
          <thead>
            <tr><th scope="col">Time</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col" className="num">Reach</th><th scope="col">Result</th></tr>
          </thead>
          <tbody>
            {entries.map((e) => <AuditRow key={`${e.supervisor}-${e.seq}`} entry={e} />)}
          </tbody>
        </table>
      </div>
      {entries.length < total ? (
        <div className="audit-more">
          <span className="muted">Showing {fmtInt(entries.length)} of {fmtInt(total)}</span>
          <button type="button" onClick={loadMore}>Load {fmtInt(Math.min(100, total - entries.length))} more</button>
        </div>
      ) : null}
    </>
  );
}

function AuditRow({ entry: e }: { entry: AuditEntry }) {
  const iso = useMemo(() => new Date(e.at).toISOString(), [e.at]);
  const params = useMemo(() => JSON.stringify(e.params), [e.params]);
  return (
    <tr data-testid="audit-row" data-action={e.action}>
      <td className="audit-time"><time dateTime={iso} title={`${iso} (UTC)`}>{fmtDateTime(e.at)}</time></td>
      <td className="audit-who" title={`${e.who} on ${e.supervisor}`}>{e.who}</td>
      <td><code className="audit-action">{e.action}</code></td>
      <td className="audit-target" title={`${e.target}\nparams: ${params}`}>{e.target || <span className="muted">—</span>}</td>
      <td className="num">{e.reach === null ? <span className="muted">—</span> : fmtInt(e.reach)}</td>
      <td className="audit-result" title={e.result.ok ? e.result.summary : `${e.result.code} ${e.result.message}`}>
        {e.result.ok
          ? <><span className="audit-badge tone-ok">ok</span> {e.result.summary === 'ok' ? null : <span className="audit-detail">{e.result.summary}</span>}</>
          : <><span className="audit-badge tone-bad">{e.result.code}</span> <span className="audit-detail">{e.result.message}</span></>}
      </td>
    </tr>
  );
}
