/**
 * One connection in detail: who and where, traffic, its subscriptions with their stream positions,
 * and the recovery timeline of its user (each subscribe-with-recovery: replayed how many, recovered
 * or not, and why not). Refreshed every 2 s while open; Escape closes it.
 */
import { useEffect, useRef } from 'react';
import type { ConnectionDetail, RecoveryRecord, SubscriptionDetail } from '../../../../shared/admin/admin-model.js';
import { compareNatural } from '../../../../shared/natural-order.js';
import { CopyButton } from '../../components/CopyButton.js';
import { fmtBytes, fmtDuration, fmtInt, fmtTime, fmtDateTime } from '../../format.js';
import { useCluster } from '../../stores/cluster.store.js';
import { useConnections } from '../../stores/connections.store.js';
import { useActionBlock } from '../../stores/staleness.js';
import { multiSupervisor, selfSupervisorId, supervisorOfNode } from '../supervisors.model.js';

const REFRESH_MS = 2000;

export function ConnectionDrawer({ client, onKick, suspended }: {
  client: string;
  onKick(row: { client: string; user: string }): void;
  /** A dialog is open above the drawer: Escape is its, not ours. */
  suspended: boolean;
}) {
  const blocked = useActionBlock();
  const detail = useConnections((s) => s.detail);
  const error = useConnections((s) => s.detailError);
  const gone = useConnections((s) => s.detailGone);
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    const t = setInterval(() => useConnections.getState().refreshDetail(), REFRESH_MS);
    return () => clearInterval(t);
  }, [client]);

  // Focus moves into the drawer when it opens and goes back where it was when it closes.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    return () => {
      if (before && before.isConnected) before.focus();
    };
  }, []);

  useEffect(() => {
    if (suspended) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault();
        useConnections.getState().closeDetail();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [suspended]);

  const shown = detail && detail.client === client ? detail : null;
  return (
    <aside className={`drawer conn-drawer${gone ? ' gone' : ''}`} role="dialog" aria-label={`Connection ${client}`} tabIndex={-1} ref={ref}
      data-testid="conn-drawer">
      <header className="conn-drawer-head">
        <div className="conn-drawer-title">
          <div className="conn-eyebrow">Connection{shown ? <> · <span className="conn-chip">{shown.node}</span></> : null}</div>
          <h2 className="mono" title={client}>{client}</h2>
        </div>
        <CopyButton text={client} label="Copy id" />
        {shown ? (
          <button type="button" className="small danger" disabled={gone || blocked !== null} title={blocked ?? undefined} onClick={() => onKick({ client: shown.client, user: shown.user })}>
            Kick…
          </button>
        ) : null}
        <button type="button" className="ghost conn-close" aria-label="Close details" title="Close (Esc)"
          onClick={() => useConnections.getState().closeDetail()}>✕</button>
      </header>

      {gone ? (
        <div className="conn-gone" role="status">
          <strong>Disconnected.</strong> This connection has closed{shown ? '; the details below are the last ones seen' : ''}.
        </div>
      ) : error ? (
        <div className="conn-gone" role="status"><strong>Could not load the details.</strong> {error}</div>
      ) : null}

      {!shown ? (error ? null : <p className="muted conn-drawer-loading">Loading…</p>) : (
        <>
          <Identity d={shown} gone={gone} />
          <Traffic d={shown} />
          <Subscriptions d={shown} disabled={gone} />
          <Recoveries items={shown.recoveries} user={shown.user} client={shown.client} />
        </>
      )}
    </aside>
  );
}

function Identity({ d, gone }: { d: ConnectionDetail; gone: boolean }) {
  const multi = useCluster((s) => multiSupervisor(s.snapshot));
  const selfId = useCluster((s) => (s.snapshot ? selfSupervisorId(s.snapshot) : ''));
  const supervisor = supervisorOfNode({ id: d.node, supervisor: d.supervisor }, selfId);
  return (
    <dl className="kv conn-kv">
      <dt>User</dt>
      <dd>{d.user ? <>{d.user} <CopyButton text={d.user} /></> : <span className="muted">anonymous</span>}</dd>
      <dt>Client ID</dt>
      <dd className="mono">{d.client}</dd>
      {multi ? (
        <>
          <dt>Supervisor</dt>
          <dd className="mono">{supervisor}{supervisor === selfId ? <span className="muted"> · this supervisor</span> : null}</dd>
        </>
      ) : null}
      <dt>Node</dt>
      <dd>{d.node}</dd>
      <dt>Address</dt>
      <dd className="mono">{d.remote || <span className="muted">—</span>}</dd>
      <dt>Connected since</dt>
      <dd>
        {fmtDateTime(d.connectedAt)}
        {gone ? null : <span className="muted"> · for {fmtDuration(Math.max(0, Date.now() - d.connectedAt))}</span>}
      </dd>
      <dt>SDK</dt>
      <dd>{d.name ? <>{d.name} <span className="muted">{d.version}</span></> : <span className="muted">not given</span>}</dd>
    </dl>
  );
}

function Traffic({ d }: { d: ConnectionDetail }) {
  const cells = [
    { label: 'Bytes in', value: fmtBytes(d.bytesIn) },
    { label: 'Bytes out', value: fmtBytes(d.bytesOut) },
    { label: 'Messages in', value: fmtInt(d.messagesIn) },
    { label: 'Messages out', value: fmtInt(d.messagesOut) },
  ];
  return (
    <div className="conn-traffic" aria-label="Traffic">
      {cells.map((c) => (
        <div key={c.label} className="conn-stat">
          <div className="label">{c.label}</div>
          <div className="value">{c.value}</div>
        </div>
      ))}
    </div>
  );
}

function Subscriptions({ d, disabled }: { d: ConnectionDetail; disabled: boolean }) {
  const blocked = useActionBlock();
  const subs = [...d.subscriptionList].sort((a, b) => compareNatural(a.channel, b.channel));
  return (
    <section className="conn-section" aria-labelledby="conn-subs-title">
      <h3 id="conn-subs-title">Subscriptions <span className="conn-count">{fmtInt(subs.length)}</span></h3>
      {subs.length === 0 ? <p className="muted">Not subscribed to any channel.</p> : (
        <table className="data conn-subs">
          <thead>
            <tr><th scope="col">Channel</th><th scope="col">Position</th><th scope="col">Kind</th><th scope="col"><span className="conn-sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {subs.map((s) => (
              <tr key={s.channel} data-testid="conn-sub">
                <td className="mono conn-channel" title={s.channel}>{s.channel}</td>
                <td><Position s={s} /></td>
                <td>
                  <div className="conn-flags">
                    {s.positioned ? <span className="conn-flag">positioned</span> : null}
                    {s.recoverable ? <span className="conn-flag">recoverable</span> : null}
                    {s.serverSide ? <span className="conn-flag server">server-side</span> : null}
                    {!s.positioned && !s.recoverable && !s.serverSide ? <span className="muted">plain</span> : null}
                  </div>
                </td>
                <td className="num">
                  <button type="button" className="small" disabled={disabled || blocked !== null} title={blocked ?? undefined} aria-label={`Unsubscribe ${d.client} from ${s.channel}`}
                    onClick={() => void useConnections.getState().unsubscribe(d.client, s.channel)}>Unsubscribe</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Position({ s }: { s: SubscriptionDetail }) {
  if (s.offset === undefined) return <span className="muted">—</span>;
  return (
    <span className="conn-pos">
      <span className="tnum">offset {fmtInt(s.offset)}</span>
      {s.epoch ? <span className="conn-epoch" title={`epoch ${s.epoch}`}>epoch <span className="mono">{s.epoch}</span></span> : null}
    </span>
  );
}

function Recoveries({ items, user, client }: { items: RecoveryRecord[]; user: string; client: string }) {
  const sorted = [...items].sort((a, b) => b.at - a.at);
  const missed = sorted.filter((r) => !r.recovered).length;
  return (
    <section className="conn-section" aria-labelledby="conn-rec-title">
      <h3 id="conn-rec-title">
        Recovery timeline <span className="conn-count">{fmtInt(sorted.length)}</span>
        {missed > 0 ? <span className="conn-count bad">{fmtInt(missed)} missed</span> : null}
      </h3>
      {sorted.length === 0 ? (
        <p className="muted">No reconnect with recovery yet{user ? <> for {user}</> : null}. Each time a client resubscribes to a stream it recovers from, it shows here.</p>
      ) : (
        <ol className="conn-timeline" data-testid="recovery-timeline">
          {sorted.map((r, i) => (
            <li key={`${r.at}-${r.client}-${r.channel}-${i}`} className={r.recovered ? 'ok' : 'miss'} data-testid="recovery">
              <span className="conn-tl-dot" aria-hidden="true" />
              <div className="conn-tl-body">
                <div className="conn-tl-line">
                  <time className="tnum" dateTime={new Date(r.at).toISOString()}>{fmtTime(r.at)}</time>
                  <code className="conn-channel" title={r.channel}>{r.channel}</code>
                  <span className={`conn-tl-badge ${r.recovered ? 'ok' : 'miss'}`}>{r.recovered ? 'recovered' : 'not recovered'}</span>
                </div>
                <div className="conn-tl-meta">
                  replayed <strong className="tnum">{fmtInt(r.replayed)}</strong>
                  <span className="muted"> · offsets </span><span className="tnum">{fmtInt(r.fromOffset)} → {fmtInt(r.toOffset)}</span>
                  {r.client && r.client !== client ? <span className="muted" title={r.client}> · on connection {short(r.client)}</span> : null}
                </div>
                {r.miss ? <div className="conn-tl-why">Why: {r.miss}</div> : null}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

const short = (id: string): string => (id.length > 13 ? `${id.slice(0, 8)}…` : id);
