/** Who is typing now: any publication in a typing channel is a signal from its user, shown for 3 s. */
import type { TypingEntry } from '../../stores/channels.reducers.js';
import { typingAt } from '../../stores/channels.reducers.js';
import { fmtInt } from '../../format.js';

export function TypingPanel({ typing, signals, now }: { typing: TypingEntry[]; signals: number; now: number }) {
  const active = typingAt(typing, now);
  return (
    <section className="panel" aria-label="Typing">
      <div className="panel-head">
        <h3>Typing</h3>
        <span className="muted">{fmtInt(signals)} {signals === 1 ? 'signal' : 'signals'} since you opened the channel</span>
        <span className="live-dot">live</span>
      </div>
      <div className="typing-list" aria-live="polite">
        {active.length === 0 ? (
          <p className="muted typing-idle">Nobody is typing right now. Each publication here shows its user as typing for 3 seconds.</p>
        ) : active.map((t) => (
          <div key={t.who} className="typing-indicator" data-testid="typing-indicator" data-user={t.user}>
            <span className="typing-dots" aria-hidden="true"><i /><i /><i /></span>
            <span><b>{t.user || 'anonymous'}</b> is typing…</span>
            {t.user === '' ? <span className="mono muted">{t.client}</span> : null}
          </div>
        ))}
      </div>
    </section>
  );
}
