/**
 * The virtualized, server-paged table: rows of a fixed height, only the ones in view (+ overscan)
 * in the DOM between two spacers that give the scroll area the full height of `total` rows. The
 * rows in view are reported to the store, which fetches their pages; a row whose page has not
 * arrived shows as a placeholder. ↑/↓ (PageUp/PageDown, Home/End) move the selection, Enter opens
 * the detail drawer, Delete asks to kick the selected connection.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import type { ConnectionRow } from '../../../../shared/admin/admin-model.js';
import { fmtDuration, fmtInt, fmtTime, fmtDateTime } from '../../format.js';
import type { SortKey } from '../../stores/connections.reducers.js';
import { indexOf, rowAt, selectedClient } from '../../stores/connections.reducers.js';
import { useCluster } from '../../stores/cluster.store.js';
import { useConnections } from '../../stores/connections.store.js';
import { useActionBlock } from '../../stores/staleness.js';
import { multiSupervisor, selfSupervisorId, splitNodeId, supervisorOfNode } from '../supervisors.model.js';

export const ROW_HEIGHT = 36;
const HEAD_HEIGHT = 36;
const OVERSCAN = 10;
/** The scroll position settles this long before the rows in view are fetched (a fast drag skips pages). */
const FETCH_DELAY_MS = 60;

type Column = { key: SortKey | null; label: string; className: string };

const COLUMNS: Column[] = [
  { key: 'connectedAt', label: 'Connected since', className: 'c-since' },
  { key: 'user', label: 'User', className: 'c-user' },
  { key: 'client', label: 'Client ID', className: 'c-client' },
  { key: 'node', label: 'Node', className: 'c-node' },
  { key: 'remote', label: 'Address', className: 'c-remote' },
  { key: 'subscriptions', label: 'Subs', className: 'c-subs' },
  { key: null, label: 'SDK', className: 'c-sdk' },
  { key: null, label: '', className: 'c-actions' },
];
/** With several supervisors on the engine: which one holds each connection, before its node. */
const WITH_SUPERVISOR: Column[] = [
  ...COLUMNS.slice(0, 3), { key: null, label: 'Supervisor', className: 'c-supervisor' }, ...COLUMNS.slice(3),
];

export function ConnectionsTable({ onKick }: { onKick(row: ConnectionRow): void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const total = useConnections((s) => s.total);
  const settled = useConnections((s) => s.settled);
  const pages = useConnections((s) => s.pages);
  const generation = useConnections((s) => s.generation);
  const selected = useConnections((s) => s.selected);
  const openClient = useConnections((s) => s.open);
  const multi = useCluster((s) => multiSupervisor(s.snapshot));
  const selfId = useCluster((s) => (s.snapshot ? selfSupervisorId(s.snapshot) : ''));
  const columns = multi ? WITH_SUPERVISOR : COLUMNS;

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewport(el.clientHeight));
    ro.observe(el);
    setViewport(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // A new query starts at the top.
  useLayoutEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
    setScrollTop(0);
  }, [generation]);

  const visibleFirst = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT));
  const visibleCount = Math.ceil(viewport / ROW_HEIGHT);
  const first = Math.max(0, visibleFirst - OVERSCAN);
  const wanted = visibleFirst + visibleCount + OVERSCAN;
  const last = Math.min(total - 1, wanted);

  useEffect(() => {
    const t = setTimeout(() => useConnections.getState().setWindow(first, wanted), FETCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [first, wanted]);

  // Keep the keyboard selection in view.
  const selectedIndex = selected?.index ?? -1;
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    const room = el.clientHeight - HEAD_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + room) el.scrollTop = top + ROW_HEIGHT - room;
  }, [selectedIndex]);

  const onKeyDown = useCallback((e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return; // a focused Kick button keeps its own keys
    const st = useConnections.getState();
    const page = Math.max(1, Math.floor((e.currentTarget.clientHeight - HEAD_HEIGHT) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    const delta = moves[e.key];
    if (delta !== undefined) {
      e.preventDefault();
      st.moveSelection(Number.isFinite(delta) ? delta : delta > 0 ? st.total : -st.total);
      const next = useConnections.getState();
      const client = selectedClient(next);
      if (next.open && client) next.openDetail(client); // the open drawer follows the selection
      return;
    }
    const client = selectedClient(st);
    if (!client) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      st.openDetail(client);
    } else if (e.key === 'Delete') {
      const row = rowAt(st, indexOf(st, client));
      if (row) {
        e.preventDefault();
        onKick(row);
      }
    }
  }, [onKick]);

  const onClick = useCallback((e: MouseEvent<HTMLTableSectionElement>) => {
    const target = e.target as HTMLElement;
    const tr = target.closest<HTMLTableRowElement>('tr[data-index]');
    if (!tr) return;
    const index = Number(tr.dataset.index);
    const st = useConnections.getState();
    const row = rowAt(st, index);
    if (!row) return;
    if (target.closest('button[data-kick]')) {
      onKick(row);
      return;
    }
    st.select(index);
    st.openDetail(row.client);
  }, [onKick]);

  const sort = useConnections((s) => s.sort);
  const now = useNow(2000);
  const blocked = useActionBlock();
  const rows = [];
  for (let i = first; i <= last; i++) {
    const row = rowAt({ pages }, i);
    const isSelected = selected !== null && (selected.client !== null && row ? selected.client === row.client : selected.index === i);
    rows.push(row
      ? <Row key={row.client} row={row} index={i} selected={isSelected} open={row.client === openClient} now={now} blocked={blocked}
        supervisor={multi ? supervisorOfNode({ id: row.node, supervisor: row.supervisor }, selfId) : null} self={selfId} />
      : <Placeholder key={`p${i}`} index={i} selected={isSelected} columns={columns.length} />);
  }
  const below = Math.max(0, total - 1 - last);

  return (
    <>
    <div className="conn-scroll" ref={scrollRef} tabIndex={0} onKeyDown={onKeyDown}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      aria-label="Connections table: arrow keys move the selection, Enter opens the details" data-testid="conn-scroll">
      <table className="data conn-table" aria-rowcount={total + 1}>
        <colgroup>
          {columns.map((c) => <col key={c.className} className={c.className} />)}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((c) => {
              if (!c.key) return <th key={c.className} className={c.className} scope="col">{c.label ? c.label : <span className="conn-sr-only">Actions</span>}</th>;
              const active = sort.by === c.key;
              const key = c.key;
              return (
                <th key={c.className} className={c.className} scope="col"
                  aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" className={`sort${active ? ' active' : ''}`} onClick={() => useConnections.getState().toggleSort(key)}
                    title={`Sort by ${c.label.toLowerCase()}`}>
                    {c.label}
                    <span className="sort-mark" aria-hidden="true">{active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody onClick={onClick}>
          {first > 0 ? <tr className="conn-spacer" aria-hidden="true" style={{ height: first * ROW_HEIGHT }}><td colSpan={columns.length} /></tr> : null}
          {rows}
          {below > 0 ? <tr className="conn-spacer" aria-hidden="true" style={{ height: below * ROW_HEIGHT }}><td colSpan={columns.length} /></tr> : null}
          {!settled && total === 0 ? <tr className="conn-loading"><td colSpan={columns.length}>Loading connections…</td></tr> : null}
        </tbody>
      </table>
    </div>
    <TableFoot total={total} from={visibleFirst} count={Math.max(1, Math.floor((viewport - HEAD_HEIGHT) / ROW_HEIGHT))} sort={sort} />
    </>
  );
}

const SORT_LABELS: Record<SortKey, string> = {
  connectedAt: 'connected since', user: 'user', client: 'client id', node: 'node', remote: 'address', subscriptions: 'subscriptions',
};

function TableFoot({ total, from, count, sort }: { total: number; from: number; count: number; sort: { by: SortKey; dir: 'asc' | 'desc' } }) {
  const dir = sort.by === 'connectedAt'
    ? (sort.dir === 'desc' ? 'newest first' : 'oldest first')
    : sort.by === 'subscriptions' ? (sort.dir === 'asc' ? 'fewest first' : 'most first') : (sort.dir === 'asc' ? 'A → Z' : 'Z → A');
  const a = Math.min(total, from + 1);
  const b = Math.min(total, from + count);
  return (
    <div className="conn-foot">
      <span>{total > 0 ? <>Rows <span className="tnum">{fmtInt(a)}–{fmtInt(b)}</span> of <span className="tnum">{fmtInt(total)}</span></> : null}</span>
      <span>Sorted by {SORT_LABELS[sort.by]}, {dir}</span>
      <span className="conn-keys"><kbd>↑</kbd> <kbd>↓</kbd> select · <kbd>Enter</kbd> details · <kbd>Del</kbd> kick</span>
    </div>
  );
}

/** The clock the relative ages are shown against, moving every `stepMs` (not on every scroll). */
function useNow(stepMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), stepMs);
    return () => clearInterval(t);
  }, [stepMs]);
  return now;
}

/** `supervisor`: the one holding the connection, when the table has that column (null: it has not). */
const Row = memo(function Row({ row, index, selected, open, now, blocked, supervisor, self }: {
  row: ConnectionRow; index: number; selected: boolean; open: boolean; now: number; blocked: string | null; supervisor: string | null; self: string;
}) {
  const cls = `selectable conn-row${selected ? ' selected' : ''}${open ? ' open' : ''}`;
  return (
    <tr className={cls} data-testid="conn-row" data-client={row.client} data-index={index} aria-rowindex={index + 2}
      aria-current={selected ? 'true' : undefined}>
      <td className="c-since" title={fmtDateTime(row.connectedAt)}>
        <span className="tnum">{fmtTime(row.connectedAt)}</span>
        <span className="muted"> · {fmtDuration(Math.max(0, now - row.connectedAt))}</span>
      </td>
      <td className="c-user" title={row.user}>{row.user ? row.user : <span className="muted">anonymous</span>}</td>
      <td className="c-client mono" title={row.client}>{row.client}</td>
      {supervisor === null ? null : (
        <td className="c-supervisor" data-testid="conn-supervisor" title={supervisor === self ? `${supervisor}: the supervisor this console talks to` : supervisor}>
          <span className={`conn-chip${supervisor === self ? ' self' : ''}`}>{supervisor}</span>
        </td>
      )}
      <td className="c-node" title={row.node}><span className="conn-chip">{supervisor === null ? row.node : splitNodeId(row.node).node}</span></td>
      <td className="c-remote mono" title={row.remote}>{row.remote || <span className="muted">—</span>}</td>
      <td className="c-subs num">{fmtInt(row.subscriptions)}</td>
      <td className="c-sdk" title={`${row.name} ${row.version}`.trim()}>
        {row.name ? <>{row.name} <span className="muted">{row.version}</span></> : <span className="muted">—</span>}
      </td>
      <td className="c-actions">
        <button type="button" className="small danger" data-kick="" aria-label={`Kick ${row.client}`} tabIndex={-1}
          disabled={blocked !== null} title={blocked ?? undefined}>Kick</button>
      </td>
    </tr>
  );
});

function Placeholder({ index, selected, columns }: { index: number; selected: boolean; columns: number }) {
  return (
    <tr className={`conn-placeholder${selected ? ' selected' : ''}`} aria-rowindex={index + 2} aria-busy="true">
      <td colSpan={columns}><span className="conn-shimmer" /></td>
    </tr>
  );
}
