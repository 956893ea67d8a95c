/**
 * The one way a view says its figures are not current (stores/staleness.ts): `StaleArea` wraps the
 * view, greys its figures and puts the "last seen N s ago" label above it.
 */
import type { ReactNode } from 'react';
import { useStaleness } from '../stores/staleness.js';

export function StaleArea({ children }: { children: ReactNode }) {
  const s = useStaleness();
  return (
    <div className={`stale-area${s.stale ? ' is-stale' : ''}`} data-stale={s.stale ? s.reason ?? 'yes' : undefined} data-testid="stale-area">
      {s.label ? (
        <div className="stale-label" role="status" data-testid="stale-label" title={s.blocked ?? undefined}>
          <span className="dot" aria-hidden="true" />{s.label} · figures are not live{s.blocked ? ', actions are off' : ''}
        </div>
      ) : null}
      {children}
    </div>
  );
}
