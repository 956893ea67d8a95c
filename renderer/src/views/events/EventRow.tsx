/** One lifecycle event on one line: time, type, node, user, client, channel, details. */
import { memo } from 'react';
import type { AdminEvent } from '../../../../shared/admin/admin-model.js';
import { fmtTime, fmtDateTime } from '../../format.js';
import { eventChannel, eventClient, eventDetails, eventNode, eventTone, eventUser } from './event-model.js';

const Cell = ({ value, className }: { value: string | undefined; className: string }) =>
  value === undefined || value === '' ? <span className={`${className} muted`}>—</span> : <span className={className} title={value}>{value}</span>;

export const EventRow = memo(function EventRow({ event }: { event: AdminEvent }) {
  const details = eventDetails(event);
  const ms = String(event.at % 1000).padStart(3, '0');
  return (
    <div className="event-row" role="row" data-testid="event-row" data-type={event.type} data-seq={event.seq}>
      <span className="ev-time mono" title={fmtDateTime(event.at)}>{fmtTime(event.at)}<small>.{ms}</small></span>
      <span className="ev-type"><span className={`ev-badge tone-${eventTone(event)}`}>{event.type}</span></span>
      <Cell className="ev-node" value={eventNode(event)} />
      <Cell className="ev-user" value={eventUser(event)} />
      <Cell className="ev-client mono" value={eventClient(event)} />
      <Cell className="ev-channel mono" value={eventChannel(event)} />
      <span className="ev-details" title={details}>{details}</span>
    </div>
  );
});
