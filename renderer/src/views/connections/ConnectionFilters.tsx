/**
 * Search and filters. What is typed is a local draft; it reaches the store (and so the server)
 * 200 ms after the last keystroke, so typing "alice" asks once, not five times. Remount (new `key`)
 * to take the store's filter again, e.g. after a reset.
 */
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ConnectionFilter } from '../../stores/connections.reducers.js';
import { filterActive } from '../../stores/connections.reducers.js';
import { useCluster } from '../../stores/cluster.store.js';
import { useConnections } from '../../stores/connections.store.js';
import { multiSupervisor, nodeIdsBySupervisor, selfSupervisorId } from '../supervisors.model.js';

const DEBOUNCE_MS = 200;
const NO_NODES: string[] = [];

const FIELDS: { key: Exclude<keyof ConnectionFilter, 'text' | 'node'>; label: string; placeholder: string; hint: string }[] = [
  { key: 'user', label: 'User', placeholder: 'exact user id', hint: 'Only this user (exact match)' },
  { key: 'client', label: 'Client ID', placeholder: 'id or prefix', hint: 'Client ids starting with this' },
  { key: 'channel', label: 'Channel', placeholder: 'e.g. chat:lobby', hint: 'Subscribed to this channel (exact name)' },
  { key: 'remote', label: 'Address', placeholder: 'contains', hint: 'Remote address containing this' },
];

export function ConnectionFilters({ onReset }: { onReset(): void }) {
  const [draft, setDraft] = useState<ConnectionFilter>(() => useConnections.getState().filter);
  const nodes = useCluster(useShallow((s) => s.snapshot?.nodes.map((n) => n.id) ?? NO_NODES));
  // With several supervisors, their nodes are listed under each one's name.
  const multi = useCluster((s) => multiSupervisor(s.snapshot));
  const selfId = useCluster((s) => (s.snapshot ? selfSupervisorId(s.snapshot) : ''));

  useEffect(() => {
    const t = setTimeout(() => useConnections.getState().setFilter(draft), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [draft]);

  const change = (patch: Partial<ConnectionFilter>): void => setDraft((d) => ({ ...d, ...patch }));

  return (
    <form className="conn-filters card" role="search" aria-label="Filter connections" onSubmit={(e) => {
      e.preventDefault();
      useConnections.getState().setFilter(draft); // Enter applies at once
    }}>
      <div className="conn-search">
        <span className="conn-search-icon" aria-hidden="true" />
        <input type="search" value={draft.text} onChange={(e) => change({ text: e.target.value })}
          placeholder="Search user, client id, address or node" aria-label="Search connections" spellCheck={false} />
      </div>
      <div className="conn-filter-fields">
        {FIELDS.map((f) => (
          <label key={f.key} className="conn-field" title={f.hint}>
            <span>{f.label}</span>
            <input value={draft[f.key]} onChange={(e) => change({ [f.key]: e.target.value })} placeholder={f.placeholder}
              spellCheck={false} autoComplete="off" />
          </label>
        ))}
        <label className="conn-field">
          <span>Node</span>
          <select value={draft.node} onChange={(e) => change({ node: e.target.value })}>
            <option value="">All nodes</option>
            {multi ? nodeIdsBySupervisor(nodes, selfId).map((g) => (
              <optgroup key={g.supervisor} label={g.self ? `${g.supervisor} (this supervisor)` : g.supervisor}>
                {g.ids.map((n) => <option key={n} value={n}>{n}</option>)}
              </optgroup>
            )) : nodes.map((n) => <option key={n} value={n}>{n}</option>)}
            {draft.node && !nodes.includes(draft.node) ? <option value={draft.node}>{draft.node}</option> : null}
          </select>
        </label>
        <button type="button" className="conn-reset ghost" onClick={onReset} disabled={!filterActive(draft)}>Reset filters</button>
      </div>
    </form>
  );
}
