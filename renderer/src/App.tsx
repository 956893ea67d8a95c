/**
 * The shell: navigation, the admin link's state, the current view, and under it the toasts, which
 * take their own room at the bottom rather than cover the view. A view whose figures are not live
 * (the admin link down, or no recent snapshot) is greyed under a "last seen" label (StaleArea).
 */
import { useEffect, useState } from 'react';
import { VIEWS, viewFromHash } from './routes.js';
import type { ViewId } from './routes.js';
import { LinkStatus } from './components/LinkStatus.js';
import { StaleArea } from './components/Stale.js';
import { TokenGate } from './components/TokenGate.js';
import { Toasts } from './components/Toasts.js';
import { useSession } from './stores/session.store.js';
import { OverviewView } from './views/OverviewView.js';
import { NodesView } from './views/NodesView.js';
import { ConnectionsView } from './views/ConnectionsView.js';
import { ChannelsView } from './views/ChannelsView.js';
import { BroadcastView } from './views/BroadcastView.js';
import { EventsView } from './views/EventsView.js';
import { SimulatorView } from './views/SimulatorView.js';
import { AuditView } from './views/AuditView.js';
import { CapacityView } from './views/CapacityView.js';
import { AlertsView } from './views/AlertsView.js';
import { AlertBanner } from './components/AlertBanner.js';

function useHashView(): ViewId {
  const [view, setView] = useState<ViewId>(() => viewFromHash(window.location.hash));
  useEffect(() => {
    const onHash = (): void => setView(viewFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return view;
}

/** Alt+1…9 and Alt+0 switch views (the keys of VIEWS); focus moves to the view's heading for keyboard users. */
function useViewKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const v = VIEWS.find((x) => x.key === e.key);
      if (!v) return;
      e.preventDefault();
      window.location.hash = `#/${v.id}`;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function App() {
  const view = useHashView();
  useViewKeys();
  const link = useSession((s) => s.link);
  const needsToken = link === 'no-token' || link === 'token-refused';
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Views">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>Switchboard</span>
        </div>
        <ul>
          {VIEWS.map((v) => (
            <li key={v.id}>
              <a href={`#/${v.id}`} className={v.id === view ? 'active' : ''} aria-current={v.id === view ? 'page' : undefined}
                title={`${v.label} (Alt+${v.key})`}>
                {v.label}
              </a>
            </li>
          ))}
        </ul>
        <LinkStatus />
      </nav>
      <div className="main-column">
        <main className="content">
          {needsToken ? null : <AlertBanner onAlertsView={view === 'alerts'} />}
          {needsToken ? <TokenGate refused={link === 'token-refused'} /> : <StaleArea><CurrentView view={view} /></StaleArea>}
        </main>
        <Toasts />
      </div>
    </div>
  );
}

function CurrentView({ view }: { view: ViewId }) {
  switch (view) {
    case 'overview': return <OverviewView />;
    case 'nodes': return <NodesView />;
    case 'connections': return <ConnectionsView />;
    case 'channels': return <ChannelsView />;
    case 'broadcast': return <BroadcastView />;
    case 'events': return <EventsView />;
    case 'simulator': return <SimulatorView />;
    case 'audit': return <AuditView />;
    case 'alerts': return <AlertsView />;
    case 'capacity': return <CapacityView />;
  }
}
