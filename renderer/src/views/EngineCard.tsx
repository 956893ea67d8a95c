/**
 * The engine tile of the Nodes view: which engine this supervisor runs on and how its link to it
 * is — address, link state, round trip, reconnects, and how long ago the supervisor heard its own
 * heartbeat on the control bus. Each figure is what the supervisor reports, or "—" where it reports none.
 */
import { useCluster } from '../stores/cluster.store.js';
import { engineFigures } from './supervisors.model.js';

export function EngineCard() {
  const engine = useCluster((s) => s.snapshot?.engine);
  const at = useCluster((s) => s.snapshot?.at ?? 0);
  if (!engine) return null;
  const figures = engineFigures(engine, at);
  return (
    <section className="card nodes-engine" aria-labelledby="nodes-engine-title" data-testid="engine-tile">
      <div className="nodes-engine-head">
        <h2 id="nodes-engine-title">Engine</h2>
        {engine.supervisor ? <span className="muted nodes-engine-of">as supervisor <span className="mono">{engine.supervisor}</span> sees it</span> : null}
      </div>
      <dl className="nodes-engine-figures">
        {figures.map((f) => (
          <div key={f.key} className={`nodes-engine-figure${f.warn ? ' warn' : ''}`} title={f.hint}>
            <dt>{f.label}</dt>
            <dd data-testid={`engine-${f.key}`}>
              {f.key === 'link' && f.value !== '—' ? <span className={`badge link-${f.value}`}>{f.value}</span> : f.value}
            </dd>
          </div>
        ))}
      </dl>
      {engine.kind === 'memory' ? (
        <p className="muted nodes-engine-note">No engine server: streams, presence and the control bus live in this supervisor&apos;s memory, so there is no link to watch. Run several supervisors on one Redis to scale out.</p>
      ) : null}
    </section>
  );
}
