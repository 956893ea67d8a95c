/**
 * One node of the Nodes table: every figure of its snapshot, its recent traffic, its actions. In a
 * narrow table (`compact`) the state sits under the node's id and the actions get a line of their
 * own under the figures, so every figure and every action stays on screen without scrolling. A hung or
 * unhealthy node's rates show as unknown ("—", titled how long it has sent no report), and its actions,
 * like every action, are off while the console's figures are stale (stores/staleness.ts).
 */
import { memo, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { NodeSnapshot } from '../../../shared/admin/admin-model.js';
import { Sparkline } from '../components/Sparkline.js';
import { StateBadge } from '../components/StateBadge.js';
import { nodeColor } from '../components/series.style.js';
import { SERIES_WINDOW } from '../stores/cluster.reducers.js';
import { fmtDuration, fmtInt, fmtRate } from '../format.js';
import { useCluster } from '../stores/cluster.store.js';
import { useActionBlock } from '../stores/staleness.js';
import { isSilent, silentTitle } from '../stores/staleness.model.js';
import type { NodeAction } from './nodes.model.js';
import {
  ACTION_LABELS, actionName, drainPercent, drainText, faultSecondsLeft, fmtBytesTight, fmtDelay, NODE_ACTIONS, unavailableReason,
} from './nodes.model.js';
import { splitNodeId } from './supervisors.model.js';

/** Columns of the compact table (NodesView's header): the actions row spans them all. */
export const COMPACT_COLUMNS = 10;
/** Columns of the wide table: state and actions have columns of their own. */
export const WIDE_COLUMNS = 12;

/** A figure with a second one below it (in/out, RSS/heap, p50/p99). */
function Pair({ top, bottom, topLabel, bottomLabel, topTestId, bottomTestId }: {
  top: ReactNode; bottom: ReactNode; topLabel: string; bottomLabel: string; topTestId?: string; bottomTestId?: string;
}) {
  return (
    <div className="nodes-pair">
      <span><span className="nodes-pair-label">{topLabel}</span><span data-testid={topTestId}>{top}</span></span>
      <span><span className="nodes-pair-label">{bottomLabel}</span><span data-testid={bottomTestId}>{bottom}</span></span>
    </div>
  );
}

function NodeActions({ n, nodeCount, onAction }: { n: NodeSnapshot; nodeCount: number; onAction(action: NodeAction, node: string): void }) {
  const blocked = useActionBlock();
  return (
    <div className="nodes-actions">
      {NODE_ACTIONS.map((a) => {
        const reason = unavailableReason(a, n, nodeCount);
        const title = blocked ? `${actionName(a, n.id)}: not now. ${blocked}` : reason ? `${actionName(a, n.id)}: not now, ${reason}` : actionName(a, n.id);
        return (
          <button key={a} type="button" className={`small${a === 'kill' || a === 'remove' ? ' danger' : ''}`}
            aria-label={actionName(a, n.id)} title={title} disabled={reason !== null || blocked !== null}
            onClick={() => onAction(a, n.id)}>
            {ACTION_LABELS[a]}
          </button>
        );
      })}
    </div>
  );
}

/** Clients moving off the node: a bar of moved / total, and the figures under it. */
function DrainBar({ drain, node }: { drain: NonNullable<NodeSnapshot['drain']>; node: string }) {
  const percent = drainPercent(drain);
  return (
    <div className="nodes-drain" data-testid="node-drain">
      <div className="nodes-drain-track" role="progressbar" aria-label={`${drain.purpose === 'remove' ? 'Drain' : 'Rebalance'} of ${node}`}
        aria-valuemin={0} aria-valuemax={drain.total} aria-valuenow={drain.moved}>
        <div className="nodes-drain-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="nodes-sub" data-testid="node-drain-text">{drainText(drain)}</div>
    </div>
  );
}

/** `supervisor`: the group the row sits in, when the table is grouped by supervisor. */
export const NodeRow = memo(function NodeRow({ node: n, index, at, nodeCount, compact, supervisor, onAction }: {
  node: NodeSnapshot; index: number; at: number; nodeCount: number; compact: boolean; supervisor?: string;
  onAction(action: NodeAction, node: string): void;
}) {
  const points = useCluster((s) => s.series.nodes[n.id]);
  const trend = useMemo(() => (points ?? []).map((p) => p.messagesOutPerSec), [points]);
  const running = n.uptimeMs > 0;
  const id = splitNodeId(n.id);
  // A node without a process reports zeros; a dash says "nothing to measure" rather than "measured 0".
  const live = (text: string): string => (running ? text : '—');
  // A hung or unhealthy node sends no reports: its rates are unknown, not the last ones it sent.
  const silentSince = useCluster((s) => s.silentSince[n.id]);
  const silent = running && isSilent(n.state);
  const unknownTitle = silent ? silentTitle(silentSince, at) : '';
  const rate = (text: string): ReactNode => (silent
    ? <span className="nodes-unknown" title={unknownTitle} data-testid="node-rate-unknown">—</span> : live(text));
  const state = (
    <>
      <StateBadge state={n.state} />
      {n.fault ? <div className="nodes-sub nodes-fault" data-testid="node-fault">heals in {faultSecondsLeft(n.fault, at)} s</div> : null}
      {n.drain ? <DrainBar drain={n.drain} node={n.id} /> : null}
    </>
  );
  return (
    <tbody className={`nodes-node nodes-row-${n.state}${compact ? ' nodes-compact' : ''}`} data-testid={`node-row-${n.id}`}
      data-supervisor={supervisor}>
      <tr>
        <td>
          <div className="nodes-id" title={n.id}>{id.supervisor ? <span className="nodes-id-of">{id.supervisor}/</span> : null}{id.node}</div>
          {compact ? <div className="nodes-state">{state}</div> : null}
          <div className="nodes-sub" data-testid="node-pid">{running ? `pid ${n.pid}` : 'no process'}</div>
        </td>
        {compact ? null : <td>{state}</td>}
        <td className="num">
          <div data-testid="node-uptime">{running ? fmtDuration(n.uptimeMs) : '—'}</div>
          <div className="nodes-sub" data-testid="node-restarts">{n.restarts === 1 ? '1 restart' : `${n.restarts} restarts`}</div>
        </td>
        <td className="num">
          <div className="nodes-strong" data-testid="node-connections">{fmtInt(n.connections)}</div>
          {n.maxConnections === undefined ? null : (
            <div
              className={`nodes-sub${n.connections >= n.maxConnections ? ' nodes-full' : ''}`}
              data-testid="node-capacity"
              title="Connections this node's open-file limit (ulimit -n) lets it hold; at it, new clients go to other nodes"
            >
              {n.connections >= n.maxConnections ? 'full · ' : 'of '}{fmtInt(n.maxConnections)}
            </div>
          )}
        </td>
        <td className="num">
          <Pair topLabel="users" top={fmtInt(n.users)} topTestId="node-users" bottomLabel="subs" bottom={fmtInt(n.subscriptions)} bottomTestId="node-subscriptions" />
        </td>
        <td className="num"><Pair topLabel="in" top={rate(fmtRate(n.messagesInPerSec))} bottomLabel="out" bottom={rate(fmtRate(n.messagesOutPerSec))} /></td>
        <td className="num"><Pair topLabel="in" top={rate(fmtBytesTight(n.bytesInPerSec))} bottomLabel="out" bottom={rate(fmtBytesTight(n.bytesOutPerSec))} /></td>
        <td className="num">{silent ? rate('') : running ? <>{fmtRate(n.cpuPercent)}<span className="nodes-unit">%</span></> : '—'}</td>
        <td className="num"><Pair topLabel="rss" top={live(fmtBytesTight(n.rss))} bottomLabel="heap" bottom={live(fmtBytesTight(n.heapUsed))} /></td>
        <td className="num"><Pair topLabel="p50" top={rate(fmtDelay(n.loopDelayP50Ms))} bottomLabel="p99" bottom={rate(fmtDelay(n.loopDelayP99Ms))} /></td>
        <td className="nodes-trend" title={`${n.id}: messages out per second, last 5 minutes`}>
          <Sparkline values={trend} width={60} height={28} color={nodeColor(index)} slots={SERIES_WINDOW} />
        </td>
        {compact ? null : <td><NodeActions n={n} nodeCount={nodeCount} onAction={onAction} /></td>}
      </tr>
      {compact ? (
        <tr className="nodes-actions-row">
          <td colSpan={COMPACT_COLUMNS}><NodeActions n={n} nodeCount={nodeCount} onAction={onAction} /></td>
        </tr>
      ) : null}
    </tbody>
  );
});
