/**
 * What a broadcast to users reaches per user (the ids with no connection named one by one), and the
 * confirmation of the last send: what was sent, to whom, and what the nodes delivered.
 */
import { fmtInt } from '../format.js';
import { describeAudience, fmtPerUser, fmtReach, notConnectedLines } from '../stores/broadcasts.model.js';
import type { SentSummary } from '../stores/broadcasts.model.js';
import { dismissSent } from '../stores/broadcasts.store.js';

/** "alma 2 · carl 1", then "bob — not connected on any node" per id with no connection. */
export function UserReach({ perUser, notConnected, testId }: {
  perUser: { user: string; connections: number }[]; notConnected: string[]; testId: string;
}) {
  if (perUser.length === 0 && notConnected.length === 0) return null;
  const connected = fmtPerUser(perUser);
  return (
    <div className="user-reach" data-testid={testId}>
      {connected ? <span className="per-user">Per user: {connected}</span> : null}
      <NotConnected ids={notConnected} />
    </div>
  );
}

const SHOWN = 20;

/** One line per user id with no connection anywhere, the first 20 of them. */
function NotConnected({ ids }: { ids: string[] }) {
  if (ids.length === 0) return null;
  return (
    <ul className="not-connected" aria-label="Users not connected">
      {notConnectedLines(ids.slice(0, SHOWN)).map((line) => <li key={line}>{line}</li>)}
      {ids.length > SHOWN ? <li>and {fmtInt(ids.length - SHOWN)} more not connected</li> : null}
    </ul>
  );
}

/** The last send, confirmed where it was made, until dismissed or replaced by the next. */
export function SentNotice({ sent }: { sent: SentSummary }) {
  return (
    <div className="sent-notice" role="status" data-testid="broadcast-sent">
      <div className="sent-head">
        <strong>Sent to {describeAudience(sent.audience)}</strong>
        <button type="button" className="ghost small" onClick={dismissSent}>Dismiss</button>
      </div>
      <p>
        {sent.delivered !== undefined ? (
          <>Delivered to <strong data-testid="broadcast-sent-delivered">
            {fmtInt(sent.delivered)}{sent.delivered === sent.connections ? '' : ` of ${fmtInt(sent.connections)}`}
          </strong> {sent.connections === 1 ? 'connection' : 'connections'} · reach {fmtReach(sent)}</>
        ) : <>Published · reach {fmtReach(sent)} (channel publications are not counted per connection)</>}
      </p>
      <p className="sent-message">Message: <code>{sent.preview}</code></p>
      <NotConnected ids={sent.notConnected} />
    </div>
  );
}
