/**
 * The cluster at a glance: headline figures, live throughput, connections per node, node health,
 * backend proxy health and the latest events. Each part selects only what it shows from the stores.
 */
import { useMemo, useState } from 'react';
import { FirstClientHelp } from '../components/FirstClientHelp.js';
import { StateBadge } from '../components/StateBadge.js';
import { Tile } from '../components/Tile.js';
import { HistoryRangeBar } from '../components/HistoryRangeBar.js';
import { RangedSeriesChart, useRangeText } from '../components/RangedSeriesChart.js';
import { nodeColor } from '../components/series.style.js';
import { fmtBytes, fmtDuration, fmtInt, fmtRate, fmtTime, plural } from '../format.js';
import { useCluster } from '../stores/cluster.store.js';
import { faultSecondsLeft, STRATEGY_HINTS } from './nodes.model.js';
import { connectionBars } from './overview.model.js';
import { LatestEvents } from './LatestEvents.js';
import { ProxyHealthCard } from './ProxyHealthCard.js';
import { splitNodeId } from './supervisors.model.js';
import './overview.css';

export function OverviewView() {
  const noClients = useCluster((s) => s.snapshot !== null && s.snapshot.totals.connections === 0);
  return (
    <section className="overview" aria-labelledby="overview-title">
      <header className="view-header">
        <h1 id="overview-title" tabIndex={-1}>Overview</h1>
        <span className="spacer" />
        <UpdatedAt />
      </header>
      <HeadlineTiles />
      {noClients ? <div className="card ov-first-client"><FirstClientHelp /></div> : null}
      <HealthStrip />
      <HistoryRangeBar />
      <div className="ov-grid">
        <ThroughputCard />
        <ConnectionsPerNode />
      </div>
      <ProxyHealthCard />
      <LatestEvents />
    </section>
  );
}

function UpdatedAt() {
  const at = useCluster((s) => s.snapshot?.at);
  if (at === undefined) return <span className="muted">Waiting for the first snapshot…</span>;
  return <span className="muted ov-updated">Updated {fmtTime(at)}</span>;
}

const Rate = ({ value }: { value: number }) => <>{fmtRate(value)}<span className="unit">/s</span></>;

function HeadlineTiles() {
  const t = useCluster((s) => s.snapshot?.totals);
  const supervisors = useCluster((s) => s.snapshot?.supervisors?.length ?? 0);
  if (!t) {
    return (
      <div className="tiles">
        {['Nodes up', 'Connections', 'Users', 'Channels', 'Messages in', 'Messages out'].map((label) => <Tile key={label} label={label} value="—" />)}
      </div>
    );
  }
  const notUp = t.nodesTotal - t.nodesUp;
  return (
    <div className="tiles">
      <Tile label="Nodes up" testId="tile-nodes" value={<>{t.nodesUp}<span className="unit"> / {t.nodesTotal}</span></>}
        sub={<>
          {notUp === 0 ? 'all healthy' : <span className="ov-warn">{notUp} not healthy</span>}
          {supervisors > 1 ? <> · <a href="#/nodes" data-testid="tile-supervisors">{supervisors} supervisors</a></> : null}
        </>} />
      <Tile label="Connections" testId="tile-connections" value={fmtInt(t.connections)} sub={`${fmtInt(t.subscriptions)} subscriptions`} />
      <Tile label="Users" testId="tile-users" value={fmtInt(t.users)} sub="unique, across nodes" />
      <Tile label="Channels" testId="tile-channels" value={fmtInt(t.channels)} sub={`${fmtRate(t.publicationsPerSec)} publications/s`} />
      <Tile label="Messages in" testId="tile-messages-in" value={<Rate value={t.messagesInPerSec} />} sub={`${fmtBytes(t.bytesInPerSec)}/s`} />
      <Tile label="Messages out" testId="tile-messages-out" value={<Rate value={t.messagesOutPerSec} />} sub={`${fmtBytes(t.bytesOutPerSec)}/s`} />
    </div>
  );
}

function HealthStrip() {
  const nodes = useCluster((s) => s.snapshot?.nodes);
  const at = useCluster((s) => s.snapshot?.at ?? 0);
  if (!nodes) return null;
  return (
    <ul className="ov-health" aria-label="Node health">
      {nodes.map((n) => (
        <li key={n.id}>
          <a href="#/nodes" className={`ov-chip ov-chip-${n.state}`} data-testid={`health-${n.id}`}>
            <span className="ov-chip-id">{n.id}</span>
            <StateBadge state={n.state} />
            <span className="ov-chip-sub">
              {n.fault ? `${n.fault.kind}, heals in ${faultSecondsLeft(n.fault, at)} s` : n.uptimeMs > 0 ? `up ${fmtDuration(n.uptimeMs)}` : 'not running'}
              {n.restarts > 0 ? ` · ${n.restarts} restart${n.restarts === 1 ? '' : 's'}` : ''}
            </span>
            <span className="ov-chip-sub ov-chip-load">{fmtInt(n.connections)} conn · {fmtRate(n.cpuPercent)}% CPU</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

function ThroughputCard() {
  const rangeText = useRangeText();
  const [metric, setMetric] = useState<'messagesOutPerSec' | 'messagesInPerSec'>('messagesOutPerSec');
  return (
    <section className="card ov-chart" aria-labelledby="ov-throughput">
      <div className="ov-card-head">
        <div>
          <h2 id="ov-throughput">Throughput</h2>
          <div className="muted ov-card-sub">Messages {metric === 'messagesOutPerSec' ? 'out' : 'in'} per second, stacked per node · {rangeText}</div>
        </div>
        <div className="ov-toggle" role="group" aria-label="Direction">
          <button type="button" className="small" aria-pressed={metric === 'messagesOutPerSec'} onClick={() => setMetric('messagesOutPerSec')}>Out</button>
          <button type="button" className="small" aria-pressed={metric === 'messagesInPerSec'} onClick={() => setMetric('messagesInPerSec')}>In</button>
        </div>
      </div>
      <RangedSeriesChart metric={metric} unit="per-second" height={260} stacked />
    </section>
  );
}

function ConnectionsPerNode() {
  const nodes = useCluster((s) => s.snapshot?.nodes);
  const strategy = useCluster((s) => s.snapshot?.strategy);
  const bars = useMemo(() => connectionBars(nodes ?? []), [nodes]);
  // Nodes of other supervisors (`sb-a/node-1`) need a wider name column.
  const longIds = bars.some((b) => splitNodeId(b.id).supervisor !== null);
  return (
    <section className="card ov-conns" aria-labelledby="ov-conns-title">
      <div className="ov-card-head">
        <div>
          <h2 id="ov-conns-title">Connections per node</h2>
          <div className="muted ov-card-sub">How the router spread the clients</div>
        </div>
      </div>
      {bars.length === 0 ? <p className="muted">No nodes yet.</p> : (
        <ul className={`ov-bars${longIds ? ' ov-bars-long' : ''}`}>
          {bars.map((b, i) => (
            <li key={b.id} data-testid={`node-connections-${b.id}`}>
              <span className="ov-bar-id" title={b.id}>{b.id}</span>
              <span className="ov-bar-track" aria-hidden="true">
                {b.width > 0 ? <span className="ov-bar-fill" style={{ width: `${(b.width * 100).toFixed(1)}%`, background: nodeColor(i) }} /> : null}
              </span>
              <span className="num ov-bar-value">{fmtInt(b.connections)}</span>
              <span className="num muted ov-bar-share">{Math.round(b.share * 100)}%</span>
              <span className="ov-bar-sub">{b.state === 'healthy' ? `${plural(b.users, 'user')} · ${plural(b.subscriptions, 'subscription')}` : `${b.state}: takes no new clients`}</span>
            </li>
          ))}
        </ul>
      )}
      {strategy ? (
        <p className="ov-routing">
          <span className="muted">Routing</span> <strong>{strategy}</strong>: {STRATEGY_HINTS[strategy]}. <a href="#/nodes">Change</a>
        </p>
      ) : null}
    </section>
  );
}
