/**
 * The current (or last) run: its state and progress with a Stop button, the fleet's own counts
 * beside the cluster's figures, and every other count the fleet keeps. Re-renders once a second,
 * with each `simulator` push; the final counts stay after the run ends.
 */
import type { SimulatorCounts, SimulatorState, SimulatorStatus } from '../../../../shared/admin/simulator-model.js';
import { Tile } from '../../components/Tile.js';
import { fmtInt, fmtMs, fmtRate, fmtTime } from '../../format.js';
import { useCluster } from '../../stores/cluster.store.js';
import { stopFleet, useSimulatorForm } from '../../stores/simulator-form.store.js';
import {
  agreement, agreementSentence, countTone, expectedReceived, isActive, PHASE_HINTS, receivedPerSec, runProgress,
} from '../../stores/simulator-run.model.js';
import { describeParams, fmtSeconds } from '../../stores/simulator.model.js';
import { useSimulator } from '../../stores/simulator.store.js';
import { useActionBlock } from '../../stores/staleness.js';

export function RunPanel() {
  const status = useSimulator((s) => s.status);
  if (!status) return <NoRunYet />;
  return (
    <>
      <RunHeader status={status} />
      <div className="sim-compare">
        <ClusterAgreement title="Connections" metric="connections" fleetCount={status.counts.connected} fleetWord="connected" state={status.state} />
        <ClusterAgreement title="Subscriptions" metric="subscriptions" fleetCount={status.counts.subscribed} fleetWord="subscribed" state={status.state} />
      </div>
      <DeliveryTiles status={status} />
      <OtherCounts counts={status.counts} />
    </>
  );
}

function NoRunYet() {
  return (
    <section className="card sim-none" aria-label="Fleet run">
      <div className="empty">
        <h2>No fleet has run since the console connected</h2>
        <p>Start one above. Its own counts appear here once a second, beside the cluster&apos;s figures, and stay after it ends.</p>
        <p className="muted">A fleet started with <code>switchboard simulate</code> runs outside the cluster&apos;s control: it shows below, read-only.</p>
      </div>
    </section>
  );
}

export function SimStateBadge({ state }: { state: SimulatorState }) {
  return <span className={`badge sim-state-${state}`} data-testid="sim-state">{state}</span>;
}

function RunHeader({ status }: { status: SimulatorStatus }) {
  const stopping = useSimulatorForm((s) => s.stopping);
  const blocked = useActionBlock();
  const active = isActive(status.state);
  const { fraction, leftMs } = runProgress(status);
  const elapsed = fmtSeconds(Math.floor(status.elapsedMs / 1000));
  return (
    <section className="card sim-run" aria-labelledby="sim-run-title" data-testid="sim-run" data-run={status.id} data-state={status.state}>
      <div className="sim-card-head">
        <div className="sim-run-title">
          <h2 id="sim-run-title">Run {status.id}</h2>
          <SimStateBadge state={status.state} />
        </div>
        {active ? (
          <button type="button" className="danger" disabled={stopping || blocked !== null} title={blocked ?? undefined} onClick={() => void stopFleet()}>
            {stopping ? 'Stopping…' : 'Stop fleet'}
          </button>
        ) : null}
      </div>
      <p className="sim-run-params">{describeParams(status.params)} · started {fmtTime(status.startedAt)}</p>
      <div className="sim-progress-row">
        <div className={`sim-progress${active ? '' : ' over'}`} role="progressbar" aria-label="Run progress"
          aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
          <span style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
        </div>
        <span className="num sim-elapsed" data-testid="sim-elapsed">
          {active ? '' : 'ended after '}{elapsed} of {fmtSeconds(status.params.durationSeconds)}
        </span>
      </div>
      <p className="sim-phase">
        <strong>{PHASE_HINTS[status.state]}</strong>
        {active && leftMs > 0 ? <span className="muted"> · ends in about {fmtSeconds(Math.ceil(leftMs / 1000))}</span> : null}
        {active ? <span className="muted"> · {describePids(status.pids)}</span> : null}
      </p>
      {status.message ? <p className="form-error" role="alert">{status.message}</p> : null}
    </section>
  );
}

/** The fleet's count beside the cluster's own figure for the same thing, and whether they agree. */
function ClusterAgreement({ title, metric, fleetCount, fleetWord, state }: {
  title: string; metric: 'connections' | 'subscriptions'; fleetCount: number; fleetWord: string; state: SimulatorState;
}) {
  const consoleCount = useCluster((s) => s.snapshot?.totals[metric]);
  const a = agreement(consoleCount, fleetCount, state);
  const sentence = agreementSentence(consoleCount, fleetCount, metric.slice(0, -1), fleetWord);
  return (
    <div className={`tile sim-agreement tone-${a.tone}`} data-testid={`sim-agreement-${metric}`}>
      <div className="label">{title}</div>
      <div className="sim-pair">
        <div>
          <div className="value" data-testid={`sim-fleet-${metric}`}>{fmtInt(fleetCount)}</div>
          <div className="sub">fleet: {fleetWord}, its own count</div>
        </div>
        <div className="sim-vs" aria-hidden="true">{a.tone === 'ok' ? '=' : '≠'}</div>
        <div>
          <div className="value" data-testid={`sim-console-${metric}`}>{consoleCount === undefined ? '—' : fmtInt(consoleCount)}</div>
          <div className="sub">console: the cluster&apos;s {metric}</div>
        </div>
      </div>
      <div className="sim-verdict" data-testid={`sim-verdict-${metric}`}>
        <span className="sim-verdict-mark" aria-hidden="true" />
        <span>{sentence[0]!.toUpperCase() + sentence.slice(1)} — {a.text}</span>
      </div>
    </div>
  );
}

/** "pid 8879 (fleet), bots 8891, 8892". */
function describePids(pids: number[]): string {
  const [fleet, ...bots] = pids;
  return bots.length === 0 ? `pid ${fleet} (fleet)` : `pid ${fleet} (fleet), bots ${bots.join(', ')}`;
}

const latency = (ms: number, samples: number): string => (samples === 0 ? '—' : fmtMs(ms));
const tone = (key: keyof SimulatorCounts, value: number): 'warn' | 'bad' | undefined => {
  const t = countTone(key, value);
  return t === 'warn' || t === 'bad' ? t : undefined;
};

function DeliveryTiles({ status }: { status: SimulatorStatus }) {
  const previous = useSimulator((s) => s.previous);
  const c = status.counts;
  const perSec = receivedPerSec(previous, status);
  const expected = expectedReceived(status.params, c.sent);
  const receivedSub = isActive(status.state)
    ? (perSec === null ? 'distinct deliveries' : `${fmtRate(perSec)}/s now`)
    : expected === null ? 'distinct deliveries' : c.received === expected ? 'every bot got every publication' : `expected ${fmtInt(expected)}`;
  return (
    <div className="tiles sim-tiles">
      <Tile label="Sent" testId="sim-sent" value={fmtInt(c.sent)} sub={c.typingSent > 0 ? `+ ${fmtInt(c.typingSent)} typing` : 'publications accepted'} />
      <Tile label="Received" testId="sim-received" value={fmtInt(c.received)} sub={receivedSub} />
      <Tile label="Lost" testId="sim-lost" value={fmtInt(c.lost)} tone={tone('lost', c.lost)} sub="offsets never delivered" />
      <Tile label="Duplicated" testId="sim-duplicated" value={fmtInt(c.duplicated)} tone={tone('duplicated', c.duplicated)} sub="delivered twice" />
      <Tile label="Out of order" testId="sim-out-of-order" value={fmtInt(c.outOfOrder)} tone={tone('outOfOrder', c.outOfOrder)} sub="after a higher offset" />
      <Tile label="Recovered / not" testId="sim-recovered" tone={tone('notRecovered', c.notRecovered)}
        value={<>{fmtInt(c.recovered)}<span className="unit"> / {fmtInt(c.notRecovered)}</span></>} sub={`${fmtInt(c.reconnects)} reconnects`} />
      <Tile label="Latency p50" testId="sim-p50" value={latency(c.latency.p50Ms, c.latency.samples)}
        sub={`last 5 s: ${latency(c.latencyRecent.p50Ms, c.latencyRecent.samples)}`} />
      <Tile label="Latency p99" testId="sim-p99" value={latency(c.latency.p99Ms, c.latency.samples)}
        sub={`last 5 s: ${latency(c.latencyRecent.p99Ms, c.latencyRecent.samples)}`} />
    </div>
  );
}

const OTHER: { keys: (keyof SimulatorCounts)[]; label: string; title: string; wide?: true }[] = [
  { keys: ['reconnects'], label: 'Reconnects', title: 'Connection attempts after a bot\'s first one' },
  { keys: ['drops'], label: 'Drops', title: 'Sockets the flaky profile terminated on purpose' },
  { keys: ['slowCloses'], label: 'Slow closes', title: 'Closes with 3008 "slow" from the server, or cut while the bot was not reading' },
  { keys: ['refused'], label: 'Refused', title: 'Terminal closes and connects answered with a final error: such a bot stops' },
  { keys: ['errors'], label: 'Errors', title: 'Error replies to publish or subscribe, failed HTTP publishes, replies that never came' },
  { keys: ['typingSent', 'typingReceived'], label: 'Typing sent / received', title: 'Typing publications accepted, and delivered', wide: true },
  { keys: ['joins', 'leaves'], label: 'Joins / leaves', title: 'Join and leave pushes delivered (they depend on the order bots subscribe in)' },
];

function OtherCounts({ counts }: { counts: SimulatorCounts }) {
  return (
    <section className="card sim-other" aria-labelledby="sim-other-title">
      <div className="sim-card-head">
        <h2 id="sim-other-title">Everything else the fleet counts</h2>
        <span className="muted">{fmtInt(counts.latency.samples)} deliveries timed · max latency {latency(counts.latency.maxMs, counts.latency.samples)}</span>
      </div>
      <dl className="sim-other-counts">
        {OTHER.map((o) => {
          const alarm = o.keys.map((k) => countTone(k, counts[k] as number)).find((t) => t !== null);
          const classes = [o.wide ? 'wide' : '', alarm ? `tone-${alarm}` : ''].filter(Boolean).join(' ');
          return (
            <div key={o.label} title={o.title} className={classes || undefined}>
              <dt>{o.label}</dt>
              <dd data-testid={`sim-count-${o.keys.join('-')}`}>{o.keys.map((k) => fmtInt(counts[k] as number)).join(' / ')}</dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
