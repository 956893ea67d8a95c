/**
 * Simulator: start a fleet of simulated clients on the real protocol, watch its own counts once a
 * second beside the cluster's figures (they must agree), stop it; the final counts stay.
 */
import { useEffect } from 'react';
import { loadSimulatorStatus } from '../stores/simulator-form.store.js';
import { useSession } from '../stores/session.store.js';
import { RunPanel } from './simulator/RunPanel.js';
import { StartForm } from './simulator/StartForm.js';
import './SimulatorView.css';

export function SimulatorView() {
  const connected = useSession((s) => s.link === 'connected');
  useEffect(() => {
    if (connected) void loadSimulatorStatus();
  }, [connected]);
  return (
    <section className="simulator-view" aria-labelledby="simulator-title">
      <header className="view-header">
        <h1 id="simulator-title" tabIndex={-1}>Simulator</h1>
        <span className="muted">A fleet of simulated clients on the real protocol: its own counts are the ground truth for the console&apos;s figures.</span>
      </header>
      <StartForm />
      <RunPanel />
    </section>
  );
}
