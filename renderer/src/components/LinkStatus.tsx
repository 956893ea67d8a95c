/** The admin link's state, always visible: connected / reconnecting / token refused. */
import { useSession } from '../stores/session.store.js';

const LABELS = {
  idle: 'Starting…',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  'token-refused': 'Token refused',
  'no-token': 'Token needed',
} as const;

export function LinkStatus() {
  const link = useSession((s) => s.link);
  const version = useSession((s) => s.hello?.serverVersion);
  return (
    <div className={`link-status link-${link}`} role="status" aria-live="polite" data-testid="link-status">
      <span className="dot" aria-hidden="true" />
      <span>{LABELS[link]}</span>
      {version && link === 'connected' ? <span className="muted"> · v{version}</span> : null}
    </div>
  );
}
