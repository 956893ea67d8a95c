/**
 * Kick one connection or every connection of its user, with a reason and whether the client may
 * reconnect (close code 3011, which centrifuge clients reconnect after, or 3503, which they don't).
 */
import { useCallback, useState } from 'react';
import type { ConnectionRow } from '../../../../shared/admin/admin-model.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { useConnections } from '../../stores/connections.store.js';

export function KickDialog({ row, onClose }: { row: Pick<ConnectionRow, 'client' | 'user'>; onClose(): void }) {
  const [scope, setScope] = useState<'client' | 'user'>('client');
  const [reason, setReason] = useState('');
  // One default for every kick: the client may reconnect (nothing is lost by accident); staying out is a choice.
  const [reconnect, setReconnect] = useState(true);
  const confirm = (): void => {
    onClose();
    void useConnections.getState().kick(scope === 'client' ? { client: row.client } : { user: row.user }, reconnect, reason);
  };
  const cancel = useCallback(() => onClose(), [onClose]);
  const anonymous = row.user === '';
  return (
    <ConfirmDialog title={scope === 'client' ? 'Kick this connection?' : `Kick every connection of ${row.user}?`}
      confirmLabel={`${scope === 'client' ? 'Kick connection' : 'Kick all of the user'} · ${reconnect ? 'may reconnect' : 'stays out'}`} onConfirm={confirm} onCancel={cancel}>
      <div className="kick-form">
        <fieldset className="kick-scope">
          <legend>Kick</legend>
          <label className="kick-choice">
            <input type="radio" name="kick-scope" checked={scope === 'client'} onChange={() => setScope('client')} />
            <span>This connection <code>{row.client}</code></span>
          </label>
          <label className={`kick-choice${anonymous ? ' disabled' : ''}`}
            title={anonymous ? 'Anonymous connections have no user to kick by' : undefined}>
            <input type="radio" name="kick-scope" checked={scope === 'user'} onChange={() => setScope('user')} disabled={anonymous} />
            <span>Every connection of user {anonymous ? <span className="muted">(anonymous)</span> : <strong>{row.user}</strong>}</span>
          </label>
        </fieldset>
        <label className="kick-reason">
          <span>Reason <span className="muted">(sent to the client, optional)</span></span>
          <input value={reason} maxLength={100} onChange={(e) => setReason(e.target.value)}
            placeholder={reconnect ? 'force reconnect' : 'force disconnect'}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); confirm(); } }} />
        </label>
        <label className="kick-choice">
          <input type="checkbox" checked={reconnect} onChange={(e) => setReconnect(e.target.checked)} />
          <span>Let it reconnect</span>
        </label>
        <p className="muted kick-code">
          {reconnect
            ? 'Closes with code 3011: the client reconnects at once (and recovers its streams).'
            : 'Closes with code 3503: the client stays disconnected.'}
        </p>
      </div>
    </ConfirmDialog>
  );
}
