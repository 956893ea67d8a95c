/**
 * Simulator: start a fleet of simulated clients on the real protocol, watch its own counts once a
 * second beside the cluster's figures (they must agree), stop it; the final counts stay. Below,
 * read-only, the fleets started elsewhere with `switchboard simulate`.
 */
import { useEffect } from 'react';
import { loadExternalFleets } from '../stores/external-fleets.load.js';
import { loadSimulatorStatus } from '../stores/simulator-form.store.js';
import { useSession } from '../stores/session.store.js';
import { ExternalFleets } from './simulator/ExternalFleets.js';
import { RunPanel } from './simulator/RunPanel.js';
import { StartForm } from './simulator/StartForm.js';
import './SimulatorView.css';

export function SimulatorView() {
  const connected = useSession((s) => s.link === 'connected');
  useEffect(() => {
    if (!connected) return;
    void loadSimulatorStatus();
    void loadExternalFleets();
  }, [connected]);
  return (
    <section className="simulator-view" aria-labelledby="simulator-title">
      <header className="view-header">
        <h1 id="simulator-title" tabIndex={-1}>Simulator</h1>
        <span className="muted">A fleet of simulated clients on the real protocol: its own counts are the ground truth for the console&apos;s figures.</span>
      </header>
      <StartForm />
      <RunPanel />
      <ExternalFleets />
    </section>
  );
}
