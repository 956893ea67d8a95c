/**
 * Broadcast: a composer for support staff (audience, plain text or JSON checked as typed), a dry run
 * that says who it would reach (per user, naming ids with no connection), a confirmed send that
 * clears the composer and says what was delivered, and the broadcasts sent so far.
 */
import { useEffect, useId, useState } from 'react';
import type { Audience, BroadcastRecord } from '../../../shared/admin/admin-model.js';
import type { Json } from '../../../shared/protocol/client-protocol.js';
import { unansweredText } from '../bridge/survey.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { fmtInt, fmtTime, fmtDateTime } from '../format.js';
import { editDraft, loadBroadcasts, previewReach, sendBroadcast, useBroadcasts } from '../stores/broadcasts.store.js';
import type { Reach } from '../stores/broadcasts.store.js';
import type { AudienceKind } from '../stores/broadcasts.model.js';
import { audienceKey, describeAudience, fmtDelivered, fmtReach, parseAudience, splitNames } from '../stores/broadcasts.model.js';
import { useSession } from '../stores/session.store.js';
import { SentNotice, UserReach } from './BroadcastOutcome.js';
import { useActionBlock } from '../stores/staleness.js';
import { compactJson, parseMessage } from './message-input.js';
import './BroadcastView.css';

const AUDIENCES: { kind: AudienceKind; label: string }[] = [
  { kind: 'all', label: 'Everyone' },
  { kind: 'channels', label: 'Channels' },
  { kind: 'users', label: 'Users' },
];

export function BroadcastView() {
  const connected = useSession((s) => s.link === 'connected');
  useEffect(() => {
    if (!connected) return;
    void loadBroadcasts();
    const t = setInterval(() => void loadBroadcasts(), 10_000);
    return () => clearInterval(t);
  }, [connected]);
  return (
    <div className="broadcast-view">
      <div className="view-header">
        <h1 tabIndex={-1}>Broadcast</h1>
        <span className="muted">Send a message to everyone, to channels, or to users — check the reach first.</span>
      </div>
      <Composer />
      <PastBroadcasts />
    </div>
  );
}

function Segmented<T extends string>({ label, value, options, onChange }: {
  label: string; value: T; options: { value: T; label: string }[]; onChange(v: T): void;
}) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <button key={o.value} type="button" role="radio" aria-checked={value === o.value} className={value === o.value ? 'on' : ''}
          onClick={() => onChange(o.value)}>{o.label}</button>
      ))}
    </div>
  );
}

function Composer() {
  const blocked = useActionBlock();
  const draft = useBroadcasts((s) => s.draft);
  const reach = useBroadcasts((s) => s.reach);
  const checking = useBroadcasts((s) => s.checking);
  const sending = useBroadcasts((s) => s.sending);
  const sent = useBroadcasts((s) => s.sent);
  const [confirm, setConfirm] = useState<{ audience: Audience; data: Json; reach: Reach } | null>(null);
  const ids = { targets: useId(), message: useId() };

  const targetsText = draft.kind === 'users' ? draft.users : draft.channels;
  const audience = parseAudience(draft.kind, targetsText);
  const message = parseMessage(draft.text, draft.mode);
  const touchedTargets = targetsText.trim() !== '';
  const currentReach = audience.ok && reach && reach.key === audienceKey(audience.audience) ? reach : null;
  const canSend = audience.ok && message.ok && !sending && !checking;

  const preview = (): void => {
    if (!audience.ok) return;
    void previewReach(audience.audience, message.ok ? message.data : null);
  };
  const askToSend = async (): Promise<void> => {
    if (!audience.ok || !message.ok) return;
    const fresh = await previewReach(audience.audience, message.data);
    if (fresh) setConfirm({ audience: audience.audience, data: message.data, reach: fresh });
  };

  return (
    <section className="card composer" aria-label="Compose a broadcast">
      <div className="field">
        <div className="field-head">
          <span className="field-label">Audience</span>
          <Segmented label="Audience" value={draft.kind} options={AUDIENCES.map((a) => ({ value: a.kind, label: a.label }))}
            onChange={(kind) => editDraft({ kind })} />
        </div>
        {draft.kind === 'all' ? (
          <p className="hint">Every connected client, on every node, gets it as a message push (<code>client.on(&apos;message&apos;)</code>) — whatever it is subscribed to.</p>
        ) : (
          <>
            <textarea
              id={ids.targets} rows={2} spellCheck={false} aria-label={draft.kind === 'channels' ? 'Channels' : 'User ids'}
              value={targetsText} aria-invalid={touchedTargets && !audience.ok}
              placeholder={draft.kind === 'channels' ? 'chat:lobby, chat:support   — comma or newline separated' : 'ann, bob   — user ids, comma or newline separated'}
              onChange={(e) => editDraft(draft.kind === 'users' ? { users: e.target.value } : { channels: e.target.value })}
            />
            <p className={touchedTargets && !audience.ok ? 'form-error' : 'hint'} role={touchedTargets && !audience.ok ? 'alert' : undefined}>
              {touchedTargets && !audience.ok ? audience.error : draft.kind === 'channels'
                ? <>Published to {touchedTargets ? `${fmtInt(splitNames(targetsText).length)} ${splitNames(targetsText).length === 1 ? 'channel' : 'channels'}` : 'each channel'}: its subscribers receive it, and channels with history keep it.</>
                : <>Every connection of each user, on every node, gets it as a message push (<code>client.on(&apos;message&apos;)</code>) — subscribed to a personal channel or not. It is not kept anywhere.</>}
            </p>
          </>
        )}
      </div>

      <div className="field">
        <div className="field-head">
          <label className="field-label" htmlFor={ids.message}>Message</label>
          <Segmented label="Format" value={draft.mode} options={[{ value: 'text', label: 'Plain text' }, { value: 'json', label: 'JSON' }]}
            onChange={(mode) => editDraft({ mode })} />
        </div>
        <textarea
          id={ids.message} rows={5} spellCheck={draft.mode === 'text'} value={draft.text}
          className={!message.ok && !message.empty ? 'invalid' : ''} aria-invalid={!message.ok && !message.empty}
          placeholder={draft.mode === 'json' ? '{"type": "notice", "text": "Maintenance at 18:00 UTC"}' : 'Maintenance at 18:00 UTC — expect a short reconnect.'}
          onChange={(e) => editDraft({ text: e.target.value })}
        />
        <p className={!message.ok && !message.empty ? 'form-error' : 'hint'} role={!message.ok && !message.empty ? 'alert' : undefined} data-testid="broadcast-message-hint">
          {message.ok ? message.summary : message.empty ? (draft.mode === 'json' ? 'Any JSON value, checked as you type.' : 'Sent as a JSON string.') : message.error}
        </p>
      </div>

      <div className="composer-foot">
        <button type="button" onClick={preview} disabled={!audience.ok || checking || blocked !== null} title={blocked ?? undefined}>{checking ? 'Counting…' : 'Preview reach'}</button>
        <div className="reach" aria-live="polite">
          {currentReach ? (
            <>
              <span className="reach-label">Reach</span>
              <strong data-testid="broadcast-reach">{fmtReach(currentReach)}</strong>
              {currentReach.connections === 0 ? <span className="muted">— nobody would receive it right now</span> : null}
              <Unanswered list={currentReach.unanswered} />
              <UserReach perUser={currentReach.perUser} notConnected={currentReach.notConnected} testId="broadcast-user-reach" />
            </>
          ) : <span className="muted">{audience.ok ? 'Preview to see how many connections it would reach.' : ''}</span>}
        </div>
        <button type="button" className="primary" disabled={!canSend || blocked !== null} title={blocked ?? undefined} onClick={() => void askToSend()}>
          {sending ? 'Sending…' : 'Send…'}
        </button>
      </div>

      {sent ? <SentNotice sent={sent} /> : null}

      {confirm ? (
        <ConfirmDialog
          title="Send this broadcast?" danger={false}
          confirmLabel={`Send to ${fmtInt(confirm.reach.connections)} ${confirm.reach.connections === 1 ? 'connection' : 'connections'}`}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const c = confirm;
            setConfirm(null);
            void sendBroadcast(c.audience, c.data);
          }}
        >
          <dl className="kv confirm-kv">
            <dt>To</dt><dd>{describeAudience(confirm.audience)}</dd>
            <dt>Reach</dt><dd><strong data-testid="broadcast-confirm-reach">{fmtReach(confirm.reach)}</strong></dd>
            <dt>Message</dt><dd><code className="confirm-preview">{compactJson(confirm.data, 200)}</code></dd>
          </dl>
          <UserReach perUser={confirm.reach.perUser} notConnected={confirm.reach.notConnected} testId="broadcast-confirm-users" />
          <Unanswered list={confirm.reach.unanswered} block />
          {confirm.reach.connections === 0 ? <p className="form-error">Nobody would receive it right now{confirm.audience.kind === 'channels' ? ' (channels with history still keep it)' : ''}.</p> : null}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

/** The reach leaves out supervisors that did not answer the count: said next to it. */
function Unanswered({ list, block = false }: { list: string[]; block?: boolean }) {
  const text = unansweredText(list, 'connections there are not counted');
  if (!text) return null;
  return block
    ? <p className="survey-warning" role="alert" data-testid="broadcast-unanswered">{text}.</p>
    : <span className="survey-warning" data-testid="broadcast-unanswered">{text}</span>;
}

function PastBroadcasts() {
  const records = useBroadcasts((s) => s.records);
  const loaded = useBroadcasts((s) => s.loaded);
  const error = useBroadcasts((s) => s.error);
  const you = useSession((s) => s.hello?.you);
  return (
    <section className="card past" aria-label="Past broadcasts">
      <div className="panel-head">
        <h2>Past broadcasts</h2>
        <span className="muted">{records.length > 0 ? `${fmtInt(records.length)} · newest first · the server keeps the last 100` : ''}</span>
      </div>
      {error ? <p className="form-error">Could not load broadcasts: {error}</p> : null}
      {!loaded ? <p className="muted">Loading…</p> : records.length === 0 ? (
        <div className="empty">
          <h2>No broadcasts yet</h2>
          <p>Compose one above: pick the audience, write the message, and preview its reach before you send it.</p>
        </div>
      ) : (
        <table className="data past-table">
          <thead>
            <tr><th>Time</th><th>By</th><th>Audience</th><th>Message</th><th className="num">Reach</th><th className="num">Delivered</th></tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.id} data-testid="broadcast-record">
                <td className="mono nowrap" title={fmtDateTime(r.at)}>{fmtDay(r.at)}{fmtTime(r.at)}</td>
                <td className="ellipsis" title={r.by}>{r.by === you ? 'you' : r.by}</td>
                <td className="ellipsis" title={describeAudience(r.audience)}>{describeAudience(r.audience)}</td>
                <td className="ellipsis"><code title={r.preview}>{r.preview}</code></td>
                <td className="num">{fmtReach(r)}</td>
                <td className="num" data-testid="broadcast-record-delivered"><Delivered record={r} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What the nodes reported writing, and who was not connected; publications are not counted per connection. */
function Delivered({ record }: { record: BroadcastRecord }) {
  const delivered = fmtDelivered(record);
  const missing = record.notConnected ?? [];
  return (
    <>
      {delivered ?? <span className="muted" title="Channel publications fan out through the engine: nodes do not count them per connection">not counted</span>}
      {missing.length > 0 ? (
        <span className="record-missing" title={missing.map((id) => `${id} — not connected on any node`).join('\n')}>
          {missing.length === 1 ? `${missing[0]} not connected` : `${fmtInt(missing.length)} users not connected`}
        </span>
      ) : null}
    </>
  );
}

/** "" today, else "Mar 3, ". */
function fmtDay(at: number): string {
  const d = new Date(at);
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return '';
  return `${d.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })}, `;
}
