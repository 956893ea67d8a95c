/**
 * The charts' time-range picker: live 5 minutes (the default), the last hour, day or week, or a
 * custom from–to; a zoom dragged across a chart shows here with a way back; "Export CSV" saves
 * what the charts show. It also loads the chosen range (refreshed every 15 s for the "last …"
 * ranges) into the history store, which every chart reads.
 */
import { useEffect, useState } from 'react';
import { request } from '../bridge/bridge.js';
import { useCluster } from '../stores/cluster.store.js';
import { useHistory } from '../stores/history.store.js';
import { useSession } from '../stores/session.store.js';
import type { Bounds } from '../stores/history.model.js';
import { csvFileName, describeBounds, fromLocalInput, historyCsv, RANGE_PRESETS, rangeBounds, toLocalInput } from '../stores/history.model.js';
import { countOf, downloadText } from '../views/events/download.js';
import './history-range.css';

const REFRESH_MS = 15_000;

export function HistoryRangeBar() {
  const preset = useHistory((s) => s.preset);
  const zoom = useHistory((s) => s.zoom);
  const loading = useHistory((s) => s.loading);
  const error = useHistory((s) => s.error);
  const data = useHistory((s) => s.data);
  useHistoryLoader();
  return (
    <div className="history-bar" data-testid="history-bar">
      <div className="history-presets" role="group" aria-label="Time range">
        {RANGE_PRESETS.map((r) => (
          <button key={r.id} type="button" className="small" aria-pressed={preset === r.id} title={r.title} data-testid={`range-${r.id}`}
            onClick={() => useHistory.getState().choose(r.id)}>{r.label}</button>
        ))}
      </div>
      {preset === 'custom' ? <CustomRange /> : null}
      <span className="history-status muted" aria-live="polite" data-testid="history-status">
        {preset === 'live' ? 'Live, 1 s per point'
          : error ? <span className="history-error">{error}</span>
          : data ? `${describeBounds(data)} · ${stepText(data.intervalMs)} per point${loading ? ' · updating…' : ''}`
          : 'Loading…'}
      </span>
      {zoom ? <button type="button" className="small" onClick={() => useHistory.getState().setZoom(null)} data-testid="zoom-reset">Reset zoom</button> : null}
      <span className="spacer" />
      <button type="button" className="small" onClick={exportCsv} data-testid="export-csv">Export CSV</button>
    </div>
  );
}

function CustomRange() {
  const custom = useHistory((s) => s.custom);
  const [from, setFrom] = useState(() => toLocalInput(custom?.from ?? Date.now() - 3600_000));
  const [to, setTo] = useState(() => toLocalInput(custom?.to ?? Date.now()));
  const b = { from: fromLocalInput(from), to: fromLocalInput(to) };
  const problem = Number.isNaN(b.from) || Number.isNaN(b.to) ? 'Enter both times' : b.from >= b.to ? '"From" must be before "to"' : null;
  return (
    <form className="history-custom" onSubmit={(e) => { e.preventDefault(); if (!problem) useHistory.getState().setCustom(b); }}>
      <label>From <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="range-from" /></label>
      <label>to <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} data-testid="range-to" /></label>
      <button type="submit" className="small" disabled={problem !== null} title={problem ?? undefined}>Show</button>
    </form>
  );
}

/** Loads the chosen range whenever it changes, and again every 15 s while it ends "now". */
function useHistoryLoader(): void {
  const preset = useHistory((s) => s.preset);
  const custom = useHistory((s) => s.custom);
  const zoom = useHistory((s) => s.zoom);
  useEffect(() => {
    if (preset === 'live') return;
    let current = true;
    const load = (): void => {
      const b = rangeBounds(preset, custom, zoom, Date.now());
      if (!b) return;
      useHistory.getState().startLoading();
      request('metrics.history', b).then(
        (h) => { if (current) useHistory.getState().loaded(h); },
        (e: unknown) => { if (current) useHistory.getState().failed(e instanceof Error ? e.message : String(e)); },
      );
    };
    load();
    const relative = zoom === null && preset !== 'custom';
    const timer = relative ? setInterval(load, REFRESH_MS) : null;
    return () => {
      current = false;
      if (timer) clearInterval(timer);
    };
  }, [preset, custom, zoom]);
}

/** Saves what the charts show as CSV, and says so (file name and rows). */
function exportCsv(): void {
  const { preset, data } = useHistory.getState();
  const series = preset === 'live' ? useCluster.getState().series : data;
  const bounds: Bounds | null = series && series.total.length > 0 ? { from: series.total[0]!.at, to: series.total[series.total.length - 1]!.at } : null;
  if (!series || !bounds) {
    useSession.getState().toast('warn', 'Nothing to export: the range holds no points yet');
    return;
  }
  const { text, rows } = historyCsv(series);
  const name = csvFileName(bounds);
  downloadText(name, text, 'text/csv', countOf(rows, 'row'));
}

function stepText(ms: number): string {
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3600_000) return `${Math.round(ms / 6000) / 10} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}
