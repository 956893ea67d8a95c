/** Who is in the channel, kept live from join/leave pushes; recent joins and leaves beside it. */
import type { Member, PresenceLogItem } from '../../stores/channels.reducers.js';
import { fmtInt, fmtTime } from '../../format.js';
import { compactJson } from '../message-input.js';

const SHOWN = 200;
const FRESH_MS = 4000;

export function PresencePanel({ enabled, members, log, namespace, now }: {
  enabled: boolean;
  members: Member[];
  log: PresenceLogItem[];
  namespace: string;
  now: number;
}) {
  if (!enabled) {
    return (
      <section className="panel" aria-label="Presence">
        <h3>Presence</h3>
        <p className="muted">Presence is off for {namespace ? <code>{namespace}:</code> : 'channels without a namespace'}; only the subscriber count is known.</p>
      </section>
    );
  }
  const users = new Set(members.map((m) => m.user)).size;
  // Without any connection info its column would only hold dashes: the client ids get that room.
  const withInfo = members.some((m) => m.conn_info !== undefined);
  return (
    <section className="panel" aria-label="Presence">
      <div className="panel-head">
        <h3>Presence</h3>
        <span className="muted" data-testid="presence-count">
          {fmtInt(members.length)} {members.length === 1 ? 'connection' : 'connections'} · {fmtInt(users)} {users === 1 ? 'user' : 'users'}
        </span>
        <span className="live-dot" title="Follows joins and leaves as they happen">live</span>
      </div>
      <div className="presence-body">
        {members.length === 0 ? (
          <p className="muted presence-empty">Nobody is here. Members appear as soon as a client subscribes.</p>
        ) : (
          // Focusable, so the keyboard can scroll a long list of members (it holds no control of its own).
          <div className="table-scroll presence-scroll" tabIndex={0} role="region" aria-label="Members">
            <table className={`data compact presence-table${withInfo ? ' with-info' : ''}`}>
              <thead><tr><th>User</th><th>Client</th><th>Node</th>{withInfo ? <th>Connection info</th> : null}</tr></thead>
              <tbody>
                {members.slice(0, SHOWN).map((m) => (
                  <tr key={m.client} data-testid="presence-member" data-client={m.client} data-user={m.user}
                    className={m.joinedAt !== undefined && now - m.joinedAt < FRESH_MS ? 'fresh' : ''}>
                    <td className="strong">{m.user || <span className="muted">anonymous</span>}</td>
                    <td className="mono ellipsis" title={m.client}>{m.client}</td>
                    <td>{m.node || <span className="muted" title="Known at the next refresh">…</span>}</td>
                    {withInfo ? (
                      <td className="mono ellipsis" title={m.conn_info !== undefined ? JSON.stringify(m.conn_info) : undefined}>
                        {m.conn_info !== undefined ? compactJson(m.conn_info, 80) : <span className="muted">—</span>}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
            {members.length > SHOWN ? <p className="muted more">and {fmtInt(members.length - SHOWN)} more</p> : null}
          </div>
        )}
        <div className="presence-log" aria-label="Recent joins and leaves">
          <div className="log-title">Joins &amp; leaves</div>
          {log.length === 0 ? <p className="muted">None since you opened the channel.</p> : (
            <ul>
              {log.slice(0, 8).map((l) => (
                <li key={l.key} className={`log-${l.kind}`}>
                  <span className="mono muted">{fmtTime(l.at)}</span>{' '}
                  <b>{l.info.user || 'anonymous'}</b> {l.kind === 'join' ? 'joined' : 'left'}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
