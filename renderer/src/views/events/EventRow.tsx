/** One lifecycle event on one line: time, type, node, user, client, channel, details. */
import { memo } from 'react';
import type { AdminEvent } from '../../../../shared/admin/admin-model.js';
import { fmtTime, fmtDateTime } from '../../format.js';
import { ChannelName } from '../channels/ChannelName.js';
import { eventChannel, eventClient, eventDetails, eventNode, eventTone, eventUser } from './event-model.js';

const Cell = ({ value, className }: { value: string | undefined; className: string }) =>
  value === undefined || value === '' ? <span className={`${className} muted`} role="cell">—</span> : <span className={className} role="cell" title={value}>{value}</span>;

/** A channel keeps its namespace and end in view when it is too long for the column. */
const ChannelCell = ({ channel }: { channel: string | undefined }) =>
  channel === undefined || channel === '' ? <span className="ev-channel mono muted" role="cell">—</span>
    : <span className="ev-channel mono" role="cell" title={channel}><ChannelName name={channel} /></span>;

export const EventRow = memo(function EventRow({ event }: { event: AdminEvent }) {
  const details = eventDetails(event);
  const ms = String(event.at % 1000).padStart(3, '0');
  return (
    <div className="event-row" role="row" data-testid="event-row" data-type={event.type} data-seq={event.seq}>
      <span className="ev-time mono" role="cell" title={fmtDateTime(event.at)}>{fmtTime(event.at)}<small>.{ms}</small></span>
      <span className="ev-type" role="cell" title={event.type}><span className={`ev-badge tone-${eventTone(event)}`}>{event.type}</span></span>
      <Cell className="ev-node" value={eventNode(event)} />
      <Cell className="ev-user" value={eventUser(event)} />
      <Cell className="ev-client mono" value={eventClient(event)} />
      <ChannelCell channel={eventChannel(event)} />
      <span className="ev-details" role="cell" title={details}>{details}</span>
    </div>
  );
});
