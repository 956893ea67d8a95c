/**
 * Outcome of every action: success or the server's error. The toasts sit in a strip of their own
 * under the view (the view gets shorter while they show, so they never cover a row); each can be
 * dismissed, and expires by itself (the session store times them). The strip's height is published
 * as `--toasts-height` so overlays pinned to the window's bottom (the drawer) end above it too.
 */
import { useLayoutEffect, useRef } from 'react';
import { useSession } from '../stores/session.store.js';

export function Toasts() {
  const toasts = useSession((s) => s.toasts);
  const dismiss = useSession((s) => s.dismiss);
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const root = document.documentElement.style;
    const publish = (): void => root.setProperty('--toasts-height', `${el.offsetHeight}px`);
    publish();
    const ro = new ResizeObserver(publish);
    ro.observe(el);
    return () => {
      ro.disconnect();
      root.removeProperty('--toasts-height');
    };
  }, []);
  return (
    <div ref={ref} className={`toasts${toasts.length > 0 ? ' showing' : ''}`} aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'ok' ? 'status' : 'alert'}>
          <span>{t.text}</span>
          <button type="button" className="ghost" aria-label="Dismiss" title="Dismiss" onClick={() => dismiss(t.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
