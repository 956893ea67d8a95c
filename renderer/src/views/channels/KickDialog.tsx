/** Kicks every subscriber of a channel, with a reason and a reconnect choice. */
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { fmtInt } from '../../format.js';

export function KickDialog({ channel, subscribers, nodes, onKick, onCancel }: {
  channel: string;
  subscribers: number;
  nodes: number;
  onKick(opts: { reconnect: boolean; reason: string }): void;
  onCancel(): void;
}) {
  const [reason, setReason] = useState('');
  const [reconnect, setReconnect] = useState(true);
  return (
    <ConfirmDialog
      title={`Kick all subscribers of ${channel}?`}
      confirmLabel={`Kick ${fmtInt(subscribers)} ${subscribers === 1 ? 'subscriber' : 'subscribers'} · ${reconnect ? 'may reconnect' : 'stays out'}`}
      onConfirm={() => onKick({ reconnect, reason })} onCancel={onCancel}
    >
      <p>
        {fmtInt(subscribers)} {subscribers === 1 ? 'connection' : 'connections'} on {fmtInt(nodes)} {nodes === 1 ? 'node' : 'nodes'} will be
        disconnected — their whole connection, not only this subscription.
      </p>
      <div className="stack dialog-form">
        <label>
          Reason (shown to the clients)
          <input type="text" maxLength={100} value={reason} placeholder="e.g. maintenance" onChange={(e) => setReason(e.target.value)} />
        </label>
        <fieldset className="choice">
          <legend>Afterwards</legend>
          <label className="check"><input type="radio" name="kick-reconnect" checked={reconnect} onChange={() => setReconnect(true)} /> Let them reconnect (clients come back at once)</label>
          <label className="check"><input type="radio" name="kick-reconnect" checked={!reconnect} onChange={() => setReconnect(false)} /> Disconnect for good (clients are told not to reconnect)</label>
        </fieldset>
      </div>
    </ConfirmDialog>
  );
}
