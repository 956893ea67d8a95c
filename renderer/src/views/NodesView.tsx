/**
 * The nodes: every figure of each node's snapshot with its recent traffic, fault injection and
 * lifecycle actions (confirmed first), and the cluster's routing strategy and auto-restart. What
 * the table shows always comes from the latest snapshot: an action shows once the cluster did it.
 */
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Strategy } from '../../../shared/admin/admin-model.js';
import { DRAIN_RATES, STRATEGIES } from '../../../shared/admin/admin-model.js';
import { call } from '../bridge/bridge.js';
import { HistoryRangeBar } from '../components/HistoryRangeBar.js';
import { RangedSeriesChart, useRangeText } from '../components/RangedSeriesChart.js';
import { sortedNodeIds } from '../components/series.rows.js';
import { fmtTime } from '../format.js';
import { useCluster } from '../stores/cluster.store.js';
import { useActionBlock } from '../stores/staleness.js';
import { actionTitle } from '../stores/staleness.model.js';
import { EngineCard } from './EngineCard.js';
import { NodeActionDialog } from './NodeActionDialog.js';
import { COMPACT_COLUMNS, NodeRow, WIDE_COLUMNS } from './NodeRow.js';
import type { NodeAction } from './nodes.model.js';
import { STRATEGY_HINTS } from './nodes.model.js';
import { SupervisorHead } from './SupervisorHead.js';
import { selfSupervisorId, supervisorGroups } from './supervisors.model.js';
import { useWidth } from './use-width.js';
import './nodes.css';

/**
 * Below this card width the wide table (state and actions in columns of their own) would scroll
 * sideways; the compact one puts the state under the node id and the actions on a line of their own.
 * A wide table seen to overflow at a larger width raises the bar to what it needed.
 */
const WIDE_TABLE_MIN = 1080;

export function NodesView() {
  const snapshot = useCluster((s) => s.snapshot);
  const nodes = snapshot?.nodes;
  const at = snapshot?.at ?? 0;
  // With several supervisors on the engine, each one's nodes under its own heading (null: one, flat table).
  const groups = useMemo(() => (snapshot ? supervisorGroups(snapshot) : null), [snapshot]);
  const autoRestart = useCluster((s) => s.snapshot?.autoRestart ?? false);
  const [pending, setPending] = useState<{ action: NodeAction; node: string } | null>(null);
  const onAction = useCallback((action: NodeAction, node: string) => setPending({ action, node }), []);
  const closeDialog = useCallback(() => setPending(null), []);
  // Series colours follow the sorted ids, as on the Overview.
  const colorIndex = useMemo(() => new Map(sortedNodeIds((nodes ?? []).map((n) => n.id)).map((id, i) => [id, i])), [nodes]);
  const pendingNode = pending ? nodes?.find((n) => n.id === pending.node) : undefined;
  const cardRef = useRef<HTMLDivElement>(null);
  const width = useWidth(cardRef);
  const scrollRef = useRef<HTMLDivElement>(null);
  // What the wide table was seen to need: longer ids (other supervisors' nodes) or bigger figures need more than WIDE_TABLE_MIN.
  const [wideNeeds, setWideNeeds] = useState(WIDE_TABLE_MIN);
  const compact = width > 0 && width < wideNeeds;
  // After every render (figures change each second): a wide table that would scroll sideways turns compact.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || compact || el.scrollWidth <= el.clientWidth) return;
    setWideNeeds(width + (el.scrollWidth - el.clientWidth) + 8);
  });
  // A node removed while its dialog is open takes the dialog with it.
  useEffect(() => {
    if (pending && nodes && !pendingNode) setPending(null);
  }, [pending, nodes, pendingNode]);
  return (
    <section className="nodes-view" aria-labelledby="nodes-title">
      <header className="view-header">
        <h1 id="nodes-title" tabIndex={-1}>Nodes</h1>
        {at > 0 ? <span className="muted nodes-updated">updated {fmtTime(at)}</span> : null}
        <span className="spacer" />
        <ClusterControls self={groups && snapshot ? selfSupervisorId(snapshot) : null} />
      </header>
      <EngineCard />
      <div className="card nodes-card" ref={cardRef}>
        {!nodes ? <p className="empty">Waiting for the first snapshot…</p> : (
          <div className="nodes-scroll" ref={scrollRef}>
            <table className={`data nodes-table${compact ? ' compact' : ''}`} data-testid="nodes-table">
              <thead>
                <tr>
                  <th>Node</th>
                  {compact ? null : <th>State</th>}
                  <th className="num">Uptime</th>
                  <th className="num" title="Connections">Conns</th>
                  <th className="num" title="Users and subscriptions">Users</th>
                  <th className="num" title="Messages per second, in and out">Msgs/s</th>
                  <th className="num" title="Bytes per second, in and out">Bytes/s</th>
                  <th className="num">CPU</th>
                  <th className="num" title="Resident set size and V8 heap used">Memory</th>
                  <th className="num" title="Event loop delay">Loop</th>
                  <th title="Messages out per second, last 5 minutes">Trend</th>
                  {compact ? null : <th>Actions</th>}
                </tr>
              </thead>
              {groups ? groups.map((g) => (
                <Fragment key={g.id}>
                  <SupervisorHead group={g} at={at} columns={compact ? COMPACT_COLUMNS : WIDE_COLUMNS} />
                  {g.nodes.map((n) => (
                    // "The last node" is the last of its own supervisor: each supervisor keeps one.
                    <NodeRow key={n.id} node={n} index={colorIndex.get(n.id) ?? 0} at={at} nodeCount={g.nodes.length} compact={compact}
                      supervisor={g.id} onAction={onAction} />
                  ))}
                </Fragment>
              )) : nodes.map((n) => (
                <NodeRow key={n.id} node={n} index={colorIndex.get(n.id) ?? 0} at={at} nodeCount={nodes.length} compact={compact}
                  onAction={onAction} />
              ))}
            </table>
          </div>
        )}
      </div>
      <NodeCharts />
      {pending && pendingNode ? (
        <NodeActionDialog key={`${pending.action}:${pending.node}`} action={pending.action} node={pendingNode}
          autoRestart={autoRestart} onClose={closeDialog} />
      ) : null}
    </section>
  );
}

/** Where the clients went and what it cost, per node over 5 minutes: a kill or a drain shows as connections moving. */
function NodeCharts() {
  const rangeText = useRangeText();
  const capital = rangeText.charAt(0).toUpperCase() + rangeText.slice(1);
  return (
    <>
      <HistoryRangeBar />
      <div className="nodes-charts">
        <section className="card" aria-labelledby="nodes-conns-chart">
          <h2 id="nodes-conns-chart">Connections per node</h2>
          <div className="muted nodes-chart-sub">{capital} · clients move to the other nodes when one fails</div>
          <RangedSeriesChart metric="connections" unit="count" height={200} />
        </section>
        <section className="card" aria-labelledby="nodes-cpu-chart">
          <h2 id="nodes-cpu-chart">CPU per node</h2>
          <div className="muted nodes-chart-sub">{capital} · one core = 100%</div>
          <RangedSeriesChart metric="cpuPercent" unit="percent" height={200} />
        </section>
      </div>
    </>
  );
}

/**
 * Add node, routing strategy and auto-restart: each shows the snapshot's value, never a guess. They
 * act on the supervisor this console talks to; with several, `self` names it so nobody expects them
 * to change the others.
 */
function ClusterControls({ self }: { self: string | null }) {
  const strategy = useCluster((s) => s.snapshot?.strategy);
  const autoRestart = useCluster((s) => s.snapshot?.autoRestart);
  const strategyWait = useUntilSnapshot(strategy);
  const restartWait = useUntilSnapshot(autoRestart);
  const [adding, setAdding] = useState(false);
  const [rebalancing, setRebalancing] = useState(false);
  // Off while the console is disconnected or its figures are old (title: why).
  const blocked = useActionBlock();
  const ready = strategy !== undefined && autoRestart !== undefined && blocked === null;
  return (
    <div className="nodes-controls">
      {self ? <span className="nodes-controls-of muted" title="Routing, auto-restart and Add node act on this supervisor only">
        on <span className="mono">{self}</span>:</span> : null}
      <label className="nodes-control" title={actionTitle(blocked, strategy ? STRATEGY_HINTS[strategy] : undefined)}>
        <span>Routing</span>
        <select value={strategy ?? ''} disabled={!ready || strategyWait.waiting} aria-label="Routing strategy"
          onChange={(e) => {
            const next = e.target.value as Strategy;
            strategyWait.await(next, call('cluster.set-strategy', { strategy: next }, () => `Routing: ${next}`));
          }}>
          {STRATEGIES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label className="nodes-control nodes-switch" title={actionTitle(blocked)}>
        <input type="checkbox" role="switch" checked={autoRestart ?? false} disabled={!ready || restartWait.waiting}
          onChange={(e) => {
            const enabled = e.target.checked;
            restartWait.await(enabled, call('cluster.set-auto-restart', { enabled }, () => `Auto-restart ${enabled ? 'on' : 'off'}`));
          }} />
        <span>Auto-restart</span>
      </label>
      <button type="button" className="primary" disabled={!ready || adding} title={actionTitle(blocked)}
        onClick={() => {
          setAdding(true);
          void call('node.add', {}, (r) => `${r.node} added: Rebalance moves clients onto it`).finally(() => setAdding(false));
        }}>
        {adding ? 'Adding…' : 'Add node'}
      </button>
      <button type="button" disabled={!ready || rebalancing}
        title={blocked ?? `Move clients off the busiest nodes until every node is within 10% of the mean, ${DRAIN_RATES.default} clients/s`}
        onClick={() => {
          setRebalancing(true);
          void call('cluster.rebalance', { rate: DRAIN_RATES.default }, (r) => (r.moving === 0
            ? 'Already balanced: nothing to move'
            : `Rebalancing: ${r.moving} connections from ${r.from.map((f) => f.node).join(', ')}`)).finally(() => setRebalancing(false));
        }}>
        Rebalance
      </button>
    </div>
  );
}

/**
 * A setting changed from here stays disabled until a snapshot shows the new value (or the server
 * refused it), so the control never shows a value the cluster does not have.
 */
function useUntilSnapshot<T>(current: T | undefined): { waiting: boolean; await(want: T, sent: Promise<unknown>): void } {
  const [want, setWant] = useState<{ value: T } | null>(null);
  useEffect(() => {
    if (want && want.value === current) setWant(null);
  }, [want, current]);
  return {
    waiting: want !== null,
    await: (value, sent) => {
      setWant({ value });
      void sent.then((r) => { if (r === null) setWant(null); });
    },
  };
}
