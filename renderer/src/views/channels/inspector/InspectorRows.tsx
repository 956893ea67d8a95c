/**
 * The inspector's rows: offset, time (with milliseconds), size, publisher, and the payload on one
 * line that opens pretty-printed (PayloadCell). TailRows skips a redraw when the same rows are
 * shown again (a paused tail, a counter-only update).
 */
import { memo } from 'react';
import type { RefObject } from 'react';
import type { PublicationSource } from '../../../../../shared/admin/admin-model.js';
import type { Publication } from '../../../../../shared/protocol/client-protocol.js';
import { fmtBytes, fmtInt } from '../../../format.js';
import { PayloadCell } from '../PayloadCell.js';
import type { TailRow } from './tail-model.js';

export const TailRows = memo(function TailRows({ rows }: { rows: TailRow[] }) {
  return (
    <ol className="messages inspector-rows" data-testid="inspector-rows" aria-label="Publications, newest first">
      {rows.map((r) => <TailRowItem key={r.key} r={r} />)}
    </ol>
  );
}, (a, b) => a.rows.length === b.rows.length && a.rows.every((r, i) => r.key === b.rows[i]?.key));

/** A row never changes once drawn: new publications draw only their own rows. */
const TailRowItem = memo(function TailRowItem({ r }: { r: TailRow }) {
  return (
    <li data-testid="inspector-row" data-offset={r.offset}>
      <span className="offset mono" title={r.epoch ? `epoch ${r.epoch}` : 'No history in this namespace: no offset'}>
        {r.offset !== undefined ? `#${fmtInt(r.offset)}` : '—'}
      </span>
      <span className="mono muted when">{clock(r.at)}</span>
      <span className="mono size" title={r.cut ? 'Too big for the console: the payload is cut, the size is the whole one' : 'Payload size as JSON'}>
        {r.size !== undefined ? fmtBytes(r.size) : '—'}{r.cut ? ' ✂' : ''}
      </span>
      <Publisher source={r.source} user={r.user} client={r.client} />
      <PayloadCell data={r.data} />
    </li>
  );
});

export function JumpRows({ publications, target, targetRef }: { publications: Publication[]; target: number; targetRef: RefObject<HTMLLIElement | null> }) {
  return (
    <ol className="messages inspector-rows jump-rows" data-testid="inspector-jump-rows" aria-label="History around the offset, oldest first">
      {publications.map((p) => {
        const hit = p.offset === target;
        return (
          <li key={p.offset} ref={hit ? targetRef : undefined} tabIndex={hit ? -1 : undefined} className={hit ? 'target' : ''}
            aria-current={hit ? 'true' : undefined} data-testid="inspector-jump-row" data-offset={p.offset}>
            <span className="offset mono">#{fmtInt(p.offset ?? 0)}</span>
            <span className="muted when">{hit ? 'this one' : ''}</span>
            <span className="mono size">{fmtBytes(new TextEncoder().encode(JSON.stringify(p.data)).length)}</span>
            {/* History keeps the client of a client publish; a server publish has no mark there. */}
            <Publisher source={p.info ? 'client' : 'server'} user={p.info?.user} client={p.info?.client} />
            <PayloadCell data={p.data} />
          </li>
        );
      })}
    </ol>
  );
}

const SOURCE_TEXT: Record<PublicationSource | 'server', { text: string; title: string }> = {
  client: { text: '', title: '' },
  'http-api': { text: 'HTTP API', title: 'Published through the server HTTP API' },
  admin: { text: 'admin', title: 'Published from an admin console (publish or broadcast)' },
  unknown: { text: 'unknown', title: 'A server publication this supervisor cannot attribute (relayed by the engine)' },
  server: { text: 'server', title: 'A server publication (HTTP API or admin): history does not keep which' },
};

function Publisher({ source, user, client }: { source: PublicationSource | 'server'; user: string | undefined; client: string | undefined }) {
  if (source === 'client') {
    return <span className="who" title={`client ${client ?? ''}`}>{user || 'anonymous'} <span className="mono muted client">{client?.slice(0, 8)}</span></span>;
  }
  const s = SOURCE_TEXT[source];
  return <span className="who muted" title={s.title}>{s.text}</span>;
}

/** Wall-clock time with milliseconds: at 1,000/s seconds alone do not tell rows apart. */
function clock(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
