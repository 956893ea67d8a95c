/**
 * Capacity ("how far can this go"): from the per-connection memory and per-delivery CPU the cluster
 * measures, the machine's memory and cores and the nodes' open-file limit, the projected maximum
 * connections and deliveries/s of this machine, which limit binds first, and what N nodes on each
 * of M machines (on the Redis engine) would carry — with the assumptions shown. Refreshes every 5 s.
 */
import { useEffect, useMemo, useState } from 'react';
import { CAPACITY_LIMITS } from '../../../shared/admin/capacity-model.js';
import type { CapacityEstimate } from '../../../shared/admin/capacity-model.js';
import { Tile } from '../components/Tile.js';
import { fmtInt } from '../format.js';
import { useCapacity } from '../stores/capacity.store.js';
import { chartPoints, figure, fitEvidence, kb, limitName, mb, measuredAtText, micros, parseWhole } from '../stores/capacity.model.js';
import { CapacityChart } from './capacity/CapacityChart.js';
import { CapacityTable } from './capacity/CapacityTable.js';
import './CapacityView.css';

const REFRESH_MS = 5000;

export function CapacityView() {
  useEffect(() => {
    void useCapacity.getState().refresh();
    const t = setInterval(() => void useCapacity.getState().refresh(), REFRESH_MS);
    return () => clearInterval(t);
  }, []);
  const estimate = useCapacity((s) => s.estimate);
  const error = useCapacity((s) => s.error);
  return (
    <section className="capacity-view" aria-labelledby="capacity-title">
      <header className="view-header">
        <h1 id="capacity-title" tabIndex={-1}>Capacity</h1>
        <span className="muted">How far this can go: projected from what each node is measured to cost.</span>
      </header>
      {error !== null && estimate === null ? <p className="card bad-text" role="alert">The estimate could not be read: {error}</p> : null}
      {estimate === null ? (error === null ? <p className="card muted">Measuring…</p> : null) : <CapacityBody e={estimate} />}
    </section>
  );
}

function CapacityBody({ e }: { e: CapacityEstimate }) {
  const c = e.current;
  return (
    <>
      <div className="tiles" data-testid="capacity-headline">
        <Tile label="Max connections, this machine" value={figure(c.maxConnections)} testId="capacity-max-connections"
          sub={`${e.machine.nodes} ${e.machine.nodes === 1 ? 'node' : 'nodes'} now; ${fmtInt(e.costs.at.connections)} connected`} />
        <Tile label="Binds first" value={<span className="capacity-binding">{limitName(c.binding)}</span>} testId="capacity-binding"
          sub={c.binding === null ? 'no limit known yet' : `then ${otherLimits(e)}`} />
        <Tile label="Max deliveries/s, this machine" value={figure(c.maxDeliveriesPerSec)} testId="capacity-max-deliveries"
          sub={`${fmtInt(e.costs.at.deliveriesPerSec)}/s now`} />
        <Tile label="This machine" value={`${e.machine.cores} cores`} sub={`${mb(e.machine.totalMemory)} RAM, ${mb(e.machine.freeMemory)} free · load ${e.machine.loadAverage[0]}`} />
      </div>
      <div className="capacity-grid">
        <MeasuredCosts e={e} />
        <Assumptions e={e} />
      </div>
      <WhatIf e={e} />
    </>
  );
}

/** The other known limits, smallest first: "open files at 39,872". */
function otherLimits(e: CapacityEstimate): string {
  const rest = Object.entries(e.current.limits).filter(([k, v]) => k !== e.current.binding && v !== null) as [string, number][];
  const unmeasured = e.costs.memory === null ? ['memory not measured yet'] : [];
  const known = rest.sort((a, b) => a[1] - b[1]).map(([k, v]) => `${k} at ${fmtInt(v)}`);
  return [...known, ...unmeasured].join(', ') || 'no other limit known';
}

function MeasuredCosts({ e }: { e: CapacityEstimate }) {
  const { memory, cpu, idleCpu } = e.costs;
  return (
    <div className="card" data-testid="capacity-costs">
      <h2>Measured costs <span className="muted capacity-at">{measuredAtText(e)}</span></h2>
      <dl className="capacity-costs">
        <dt>Memory per connection</dt>
        <dd>{memory ? <><b>{memory.method === 'bound' ? 'at most ' : ''}{kb(memory.slope)}</b> · idle node {mb(memory.intercept)}
          <span className="muted"> ({fitEvidence(memory, mb, 'connections per node')})</span></> : <span className="muted">not enough data yet</span>}</dd>
        <dt>CPU per delivery</dt>
        <dd>{cpu ? <><b>{micros(cpu.slope)}</b> · fixed {cpu.intercept.toFixed(1)}% of a core per node
          <span className="muted"> ({fitEvidence(cpu, (n) => `${n.toFixed(1)}%`, 'deliveries/s per node')})</span></> : <span className="muted">not enough data yet</span>}</dd>
        <dt>CPU per idle connection</dt>
        <dd>{idleCpu ? <><b>{micros(idleCpu.slope)}</b>/s <span className="muted">({fitEvidence(idleCpu, (n) => `${n.toFixed(1)}%`, 'connections per node')})</span></>
          : <span className="muted">not measured</span>}</dd>
        <dt>Supervisor</dt>
        <dd>{e.costs.supervisorCpuPercent}% of a core · {mb(e.costs.supervisorRss)}</dd>
        <dt>Open-file limit</dt>
        <dd>{e.machine.maxConnectionsPerNode === null ? <span className="muted">unknown or unlimited</span> : `${fmtInt(e.machine.maxConnectionsPerNode)} connections per node`}</dd>
      </dl>
      {e.costs.missing.length > 0 ? (
        <ul className="capacity-notes" data-testid="capacity-missing">{e.costs.missing.map((m) => <li key={m}>{m}</li>)}</ul>
      ) : null}
      <p className="muted capacity-samples">{fmtInt(e.costs.samples)} node samples over the last {e.costs.windowSeconds}s.</p>
    </div>
  );
}

function Assumptions({ e }: { e: CapacityEstimate }) {
  return (
    <div className="card" data-testid="capacity-assumptions">
      <h2 id="capacity-assumptions-title">Assumptions</h2>
      <ul className="capacity-assumptions" aria-labelledby="capacity-assumptions-title">
        {e.assumptions.map((a) => <li key={a}>{a}</li>)}
      </ul>
    </div>
  );
}

function WhatIf({ e }: { e: CapacityEstimate }) {
  const points = useMemo(() => chartPoints(e.table), [e.table]);
  const now = useMemo(() => ({ nodes: e.machine.nodes, connections: e.costs.at.connections }), [e.machine.nodes, e.costs.at.connections]);
  return (
    <div className="card capacity-whatif">
      <div className="capacity-whatif-head">
        <h2 id="capacity-whatif-title">What if: N nodes on each of M machines</h2>
        <WhatIfInputs nodesNow={e.nodesPerMachine} />
      </div>
      {e.machines > 1 ? <p className="muted capacity-redis">Several machines run on the Redis engine: each runs its own supervisor and nodes; Redis carries publications between them.</p> : null}
      <div className="capacity-whatif-body">
        <CapacityTable rows={e.table} currentNodes={e.machine.nodes} />
        <CapacityChart points={points} now={now} machines={e.machines} />
      </div>
    </div>
  );
}

function WhatIfInputs({ nodesNow }: { nodesNow: number }) {
  const machines = useCapacity((s) => s.machines);
  const setWhatIf = useCapacity((s) => s.setWhatIf);
  return (
    <div className="capacity-inputs" role="group" aria-labelledby="capacity-whatif-title">
      <WholeField label="Nodes per machine" id="capacity-nodes" initial={nodesNow} limits={CAPACITY_LIMITS.nodesPerMachine} hint="1–64"
        onValue={(n) => setWhatIf({ nodesPerMachine: n })} />
      <WholeField label="Machines" id="capacity-machines" initial={machines} limits={CAPACITY_LIMITS.machines} hint="1–100, on Redis"
        onValue={(n) => setWhatIf({ machines: n })} />
    </div>
  );
}

/** A whole-number input within `limits`: a valid value goes to `onValue` as typed; an invalid one is explained in place of the hint. */
function WholeField({ label, id, initial, limits, hint, onValue }: {
  label: string; id: string; initial: number; limits: { min: number; max: number }; hint: string; onValue: (n: number) => void;
}) {
  const [text, setText] = useState(String(initial));
  const parsed = parseWhole(text, limits);
  const bad = 'error' in parsed;
  return (
    <label>
      {label}
      <input type="number" inputMode="numeric" min={limits.min} max={limits.max} value={text}
        data-testid={id} aria-invalid={bad} aria-describedby={`${id}-hint`}
        onChange={(ev) => {
          setText(ev.target.value);
          const p = parseWhole(ev.target.value, limits);
          if ('value' in p) onValue(p.value);
        }} />
      <span id={`${id}-hint`} className={bad ? 'bad-text hint' : 'muted hint'}>{bad ? parsed.error : hint}</span>
    </label>
  );
}
