/** Publishes to the open channel: JSON checked as it is typed; plain text goes as a JSON string. */
import { useId, useState } from 'react';
import { publishTo } from '../../stores/channels.store.js';
import { useActionBlock } from '../../stores/staleness.js';
import { parseMessage } from '../message-input.js';

export function PublishBox({ channel, typing }: { channel: string; typing: boolean }) {
  const blocked = useActionBlock();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  const parsed = parseMessage(text, 'auto');
  const invalid = !parsed.ok && !parsed.empty;
  const send = async (): Promise<void> => {
    if (!parsed.ok || busy) return;
    setBusy(true);
    try {
      await publishTo(channel, parsed.data);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel publish-box" aria-label="Publish">
      <div className="panel-head"><h3><label htmlFor={id}>Publish to this channel</label></h3></div>
      <textarea
        id={id} rows={3} spellCheck={false} value={text} aria-invalid={invalid} aria-describedby={`${id}-hint`}
        className={invalid ? 'invalid' : ''}
        placeholder={typing ? '{"typing": true}   — or any JSON; it shows as typing from the console' : '{"text": "hello"}   — JSON, or plain text (sent as a JSON string)'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <div className="publish-foot">
        <span id={`${id}-hint`} className={invalid ? 'form-error' : 'muted hint'} role={invalid ? 'alert' : undefined} data-testid="publish-hint">
          {parsed.ok ? parsed.summary : parsed.empty ? 'JSON or plain text · Ctrl+Enter publishes' : parsed.error}
        </span>
        <button type="button" className="primary" disabled={!parsed.ok || busy || blocked !== null} title={blocked ?? undefined} onClick={() => void send()}>
          {busy ? 'Publishing…' : 'Publish'}
        </button>
      </div>
    </section>
  );
}
