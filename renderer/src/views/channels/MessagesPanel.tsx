/**
 * Publications: for channels with history, the stream newest first with offsets, live publications
 * added on top and older pages on demand; without history, what was published since opening. Each
 * payload shows on one line and opens pretty-printed (PayloadCell).
 */
import { memo } from 'react';
import type { FeedItem, HistoryItem } from '../../stores/channels.reducers.js';
import { fmtInt, fmtTime } from '../../format.js';
import { PayloadCell } from './PayloadCell.js';

const FRESH_MS = 4000;
/** When this many of the newest rows are all fresh, the channel is busy and rows are not highlighted. */
const BUSY_ROWS = 20;

export function HistoryPanel({ history, hasMore, loaded, loadingOlder, onOlder, now }: {
  history: HistoryItem[];
  hasMore: boolean;
  loaded: boolean;
  loadingOlder: boolean;
  onOlder(): void;
  now: number;
}) {
  // A busy channel would flash dozens of rows a second: the highlight is for the odd new one only.
  const animate = !history.slice(0, BUSY_ROWS).every((p) => p.liveAt !== undefined && now - p.liveAt < FRESH_MS);
  return (
    <section className="panel" aria-label="History">
      <div className="panel-head">
        <h3>History</h3>
        <span className="muted">newest first · {fmtInt(history.length)} shown</span>
        <span className="live-dot" title="New publications are added on top as they happen">live</span>
      </div>
      {!loaded ? <p className="muted">Loading history…</p> : history.length === 0 ? (
        <p className="muted">No publications in history. Publish one below, or wait for a client to publish.</p>
      ) : (
        <ol className="messages" data-testid="history">
          {history.map((p, i) => (
            <HistoryRow key={p.offset ?? `x${i}`} p={p} fresh={animate && p.liveAt !== undefined && now - p.liveAt < FRESH_MS} />
          ))}
        </ol>
      )}
      {loaded && history.length > 0 ? (
        <div className="panel-foot">
          {hasMore ? (
            <button type="button" className="small" onClick={onOlder} disabled={loadingOlder}>{loadingOlder ? 'Loading…' : 'Load older'}</button>
          ) : <span className="muted">Start of the stored history</span>}
        </div>
      ) : null}
    </section>
  );
}

/** One history row; unchanged rows are not drawn again when live publications arrive. */
const HistoryRow = memo(function HistoryRow({ p, fresh }: { p: HistoryItem; fresh: boolean }) {
  return (
    <li className={fresh ? 'fresh' : ''} data-testid="history-item">
      <span className="offset mono" title="Stream offset">#{p.offset !== undefined ? fmtInt(p.offset) : '—'}</span>
      <span className="who">{p.info ? (p.info.user || 'anonymous') : <span className="muted">server</span>}</span>
      <PayloadCell data={p.data} />
      <span className="mono muted when">{p.liveAt !== undefined ? fmtTime(p.liveAt) : ''}</span>
    </li>
  );
});

export function FeedPanel({ feed, now }: { feed: FeedItem[]; now: number }) {
  return (
    <section className="panel" aria-label="Live publications">
      <div className="panel-head">
        <h3>Live publications</h3>
        <span className="muted">no history in this namespace · the last {fmtInt(feed.length)} since you opened it</span>
        <span className="live-dot">live</span>
      </div>
      {feed.length === 0 ? (
        <p className="muted">Nothing published since you opened this channel. Publications show here as they happen.</p>
      ) : (
        <ol className="messages" data-testid="live-feed">
          {feed.map((p) => (
            <li key={p.key} className={now - p.at < FRESH_MS ? 'fresh' : ''}>
              <span className="mono muted when">{fmtTime(p.at)}</span>
              <span className="who">{p.info ? (p.info.user || 'anonymous') : <span className="muted">server</span>}</span>
              <PayloadCell data={p.data} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
