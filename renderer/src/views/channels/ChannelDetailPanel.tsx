/**
 * The open channel: counts and position, live presence, typing or publications, history, actions,
 * and a link to its chat or typing companion (companion.ts).
 */
import { useMemo, useState } from 'react';
import { useChannels, kickSubscribers, loadOlderHistory, removeHistory, selectChannel } from '../../stores/channels.store.js';
import type { DetailState } from '../../stores/channels.reducers.js';
import { useActionBlock } from '../../stores/staleness.js';
import { useSession } from '../../stores/session.store.js';
import { unansweredText } from '../../bridge/survey.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { CopyButton } from '../../components/CopyButton.js';
import { fmtInt, fmtRate } from '../../format.js';
import { useNow } from '../use-now.js';
import { PresencePanel } from './PresencePanel.js';
import { TypingPanel } from './TypingPanel.js';
import { FeedPanel, HistoryPanel } from './MessagesPanel.js';
import { PublishBox } from './PublishBox.js';
import { InspectorPanel } from './inspector/InspectorPanel.js';
import { KickDialog } from './KickDialog.js';
import { companionOf } from './companion.js';

export function ChannelDetailPanel({ open }: { open: DetailState }) {
  const blocked = useActionBlock();
  const loadingOlder = useChannels((s) => s.loadingOlder);
  const [confirm, setConfirm] = useState<'kick' | 'history' | null>(null);
  const now = useNow(500);
  const d = open.detail;
  const channel = open.channel;
  const namespaces = useSession((s) => s.hello?.namespaces);
  const companion = useMemo(() => companionOf(channel, namespaces?.map((n) => n.name) ?? []), [channel, namespaces]);

  return (
    <section className="card channel-detail" aria-label={`Channel ${channel}`} data-testid="channel-detail" data-channel={channel}>
      <header className="detail-head">
        <div className="title-line">
          <h2 className="mono" data-testid="channel-title">{channel}</h2>
          <CopyButton text={channel} label="Copy name" />
          <button type="button" className="ghost close" aria-label="Close channel" title="Close" onClick={() => selectChannel(null)}>×</button>
        </div>
        <div className="detail-sub">
          <div className="chips">
            {d ? (
              <>
                <span className="chip">{d.namespace ? `${d.namespace}:` : 'no namespace'}</span>
                {d.typing ? <span className="chip chip-accent">typing</span> : null}
                <span className={`chip${d.presenceEnabled ? '' : ' off'}`}>presence {d.presenceEnabled ? 'on' : 'off'}</span>
                <span className={`chip${d.historyEnabled ? '' : ' off'}`}>history {d.historyEnabled ? 'on' : 'off'}</span>
              </>
            ) : <span className="muted">Loading…</span>}
          </div>
          {companion ? (
            <button type="button" className="small ghost companion-link" data-testid="channel-companion" data-channel={companion.channel}
              title={companion.kind === 'typing' ? 'Open who is typing in this chat' : 'Open the chat these typing signals belong to'}
              onClick={() => selectChannel(companion.channel)}>
              {companion.kind === 'typing' ? 'Typing channel' : 'Chat channel'} <span className="mono">{companion.channel}</span>
              <span aria-hidden="true"> →</span>
            </button>
          ) : null}
          <div className="detail-actions">
            {d?.historyEnabled ? <button type="button" className="small danger" disabled={blocked !== null} title={blocked ?? undefined} onClick={() => setConfirm('history')}>Remove history</button> : null}
            <button type="button" className="small danger" disabled={!d || d.subscribers === 0 || blocked !== null} onClick={() => setConfirm('kick')}
              title={blocked ?? (d && d.subscribers === 0 ? 'Nobody is subscribed' : undefined)}>Kick all subscribers</button>
          </div>
        </div>
      </header>

      {open.error ? <p className="form-error" role="alert">{open.error}</p> : null}
      {d?.unanswered?.length ? (
        <p className="survey-warning" role="alert" data-testid="channel-unanswered">
          {unansweredText(d.unanswered, 'subscribers and presence there are not included')}.
        </p>
      ) : null}

      <dl className="detail-stats">
        <div><dt>Subscribers</dt><dd data-testid="channel-subscribers">{d ? fmtInt(d.subscribers) : '—'}</dd></div>
        <div><dt>Nodes</dt><dd>{d ? fmtInt(d.nodes) : '—'}</dd></div>
        <div><dt>Messages</dt><dd>{d ? <>{fmtRate(d.publicationsPerSec)}<small>/s</small></> : '—'}</dd></div>
        <div className="position">
          <dt>Position</dt>
          <dd>
            {d?.offset !== undefined ? <>offset {fmtInt(d.offset)}</> : <span className="muted">{d ? 'no history' : '—'}</span>}
          </dd>
          {d?.epoch ? <dd className="epoch mono" title="The epoch changes when the stream is lost">epoch {d.epoch}</dd> : null}
        </div>
      </dl>

      {d ? (
        <>
          <PresencePanel enabled={d.presenceEnabled} members={open.members} log={open.presenceLog} namespace={d.namespace} now={now} />
          {d.typing ? <TypingPanel typing={open.typing} signals={open.pubCount} now={now} /> : null}
          {!d.typing && !d.historyEnabled ? <FeedPanel feed={open.feed} now={now} /> : null}
          <PublishBox key={channel} channel={channel} typing={d.typing} />
          <InspectorPanel key={`inspect-${channel}`} channel={channel} />
          {d.historyEnabled ? (
            <HistoryPanel history={open.history} hasMore={open.historyHasMore} loaded={open.historyLoaded}
              loadingOlder={loadingOlder} onOlder={() => void loadOlderHistory()} now={now} />
          ) : null}
        </>
      ) : null}

      {confirm === 'kick' && d ? (
        <KickDialog channel={channel} subscribers={d.subscribers} nodes={d.nodes} onCancel={() => setConfirm(null)}
          onKick={(opts) => { setConfirm(null); void kickSubscribers(channel, opts); }} />
      ) : null}
      {confirm === 'history' && d ? (
        <ConfirmDialog title={`Remove the history of ${channel}?`} confirmLabel="Remove history"
          onCancel={() => setConfirm(null)} onConfirm={() => { setConfirm(null); void removeHistory(channel); }}>
          <p>The stored publications are dropped. The stream position (offset {fmtInt(d.offset ?? 0)}) stays, so clients that recover
            later get nothing to replay rather than an error.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
