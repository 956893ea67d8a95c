/**
 * The chaos soak (issue 11 §1): `switchboard serve` with 3 nodes in its own process group, a mixed
 * fleet of the simulator's bots (chat: bots publish over the protocol; feed: the HTTP API
 * publishes), and the seeded fault schedule applied through the admin API. Once a second the
 * console's figures are checked against the fleet's counts and the event stream is read for process
 * ends; after the soak the faults stop, the cluster must heal, and the fleet's own counts give the
 * verdict (soak-verdict.ts). Every process it starts ends by pid before it answers.
 */
import { randomBytes } from 'node:crypto';
import type { SimulatorParams, SimulatorStatus } from '../../shared/admin/simulator-model.js';
import { Fleet } from '../../embedded-server/testing.js';
import type { SimTarget } from '../../embedded-server/testing.js';
import { AdminClient } from '../support/admin-client.js';
import { startServe } from '../support/serve-process.js';
import type { ServeProcess } from '../support/serve-process.js';
import { processAlive } from '../support/serve-process.js';
import { sleep } from '../support/test-cluster.js';
import { eventRingSize, rssOf, streamTops } from './cluster-probe.js';
import { ConsoleCheck } from './console-check.js';
import { DeathWatch } from './death-watch.js';
import { Injector } from './injector.js';
import { buildSchedule } from './schedule.js';
import type { ChaosStep } from './schedule.js';
import type { SoakReport } from './soak-report.js';

export interface SoakOptions {
  seed: number;
  /** How long faults are injected. */
  durationMs: number;
  /** Bots in all (half chat, half feed); 10 per channel. */
  bots: number;
  /** Publications per second per channel. */
  rate?: number;
  /** Steps to apply instead of the seeded schedule (a regression test's exact sequence). */
  schedule?: ChaosStep[];
  /** Progress lines (none by default). */
  log?: (line: string) => void;
}

const RAMP_SECONDS = 3;
/** After the last fault: time for the cluster to heal while publishing goes on (silent holes show as gaps). */
const SETTLE_SECONDS = 15;
/** Fleet time besides ramp, soak and settle: waiting for subscriptions, then the drain. */
const FLEET_MARGIN_SECONDS = 15;
const BOTS_PER_CHANNEL = 10;
/** Node states without a serving process. */
const DOWN: ReadonlySet<string> = new Set(['down', 'restarting', 'starting']);

interface Side {
  profile: 'chat' | 'feed';
  fleet: Fleet;
  params: SimulatorParams;
  /** State changes seen, with the subscription count at the moment it started publishing. */
  subscribedAtRun: number;
  expectedSubs: number;
}

function side(profile: 'chat' | 'feed', clients: number, rate: number, seconds: number, target: SimTarget): Side {
  const params: SimulatorParams = {
    profile, clients, channels: Math.max(1, Math.round(clients / BOTS_PER_CHANNEL)), rate, rampSeconds: RAMP_SECONDS, durationSeconds: seconds,
  };
  const s: Side = { profile, fleet: null as unknown as Fleet, params, subscribedAtRun: -1, expectedSubs: profile === 'chat' ? clients * 2 : clients };
  s.fleet = new Fleet({
    id: `chaos-${profile}`, params, target,
    onStatus: (st) => { if (st.state === 'running' && s.subscribedAtRun < 0) s.subscribedAtRun = st.counts.subscribed; },
  });
  return s;
}

const counts = (sides: Side[]): { connected: number; subscribed: number } => {
  let connected = 0;
  let subscribed = 0;
  for (const s of sides) {
    const c = s.fleet.status().counts;
    connected += c.connected;
    subscribed += c.subscribed;
  }
  return { connected, subscribed };
};

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? (() => undefined);
  const tokenSecret = randomBytes(24).toString('hex');
  const apiKey = randomBytes(24).toString('hex');
  const serve = await startServe(['--nodes', '3', '--port', '0', '--admin-port', '0'], {
    env: { SWITCHBOARD_TOKEN_SECRET: tokenSecret, SWITCHBOARD_API_KEY: apiKey },
  });
  let admin: AdminClient | null = null;
  const sides: Side[] = [];
  try {
    admin = await AdminClient.connect({ adminUrl: serve.adminUrl, adminToken: serve.adminToken });
    const target: SimTarget = { url: serve.clientUrl, apiUrl: serve.apiUrl, apiKey, tokenSecret };
    const fleetSeconds = RAMP_SECONDS + Math.ceil(opts.durationMs / 1000) + SETTLE_SECONDS + FLEET_MARGIN_SECONDS;
    const chatBots = Math.ceil(opts.bots / 2);
    sides.push(side('chat', chatBots, opts.rate ?? 2, fleetSeconds, target), side('feed', opts.bots - chatBots, opts.rate ?? 2, fleetSeconds, target));
    return await new SoakRun(opts, serve, admin, sides, log).run();
  } finally {
    await Promise.all(sides.map((s) => s.fleet.stop()));
    admin?.close();
    await serve.stop();
  }
}

/** One soak in its phases: start the fleet, inject faults, settle, then gather the report. */
class SoakRun {
  private startedAt = 0;
  private schedule: ChaosStep[] = [];
  private next = 0;
  private injector!: Injector;
  private check!: ConsoleCheck;
  private deaths!: DeathWatch;
  private supervisorExit: string | null = null;
  private readonly at = { rssStart: 0, rssMax: 0, ringStart: 0, nodesDown: 0, nodesOut: 0 };
  private startedPids: number[] = [];
  private fleetPids: number[] = [];

  constructor(
    private readonly opts: SoakOptions, private readonly serve: ServeProcess, private readonly admin: AdminClient,
    private readonly sides: Side[], private readonly log: (line: string) => void,
  ) {}

  async run(): Promise<SoakReport> {
    await this.startFleet();
    while (Date.now() - this.startedAt < this.opts.durationMs) {
      const t0 = Date.now();
      await this.tick(true);
      await sleep(Math.max(0, 1000 - (Date.now() - t0)));
    }
    await this.tick(false);
    await this.injector.settle();
    this.log(`chaos: faults over after ${this.injector.injected} injected; settling`);
    const healedAfterMs = await this.settle();
    return this.conclude(healedAfterMs);
  }

  /** Starts both fleets and waits until they publish; takes the readings at the start. */
  private async startFleet(): Promise<void> {
    const { opts, serve, admin, sides } = this;
    this.log(`chaos: seed ${opts.seed}, ${Math.round(opts.durationMs / 1000)} s of faults, ${opts.bots} bots (chat + feed), supervisor pid ${serve.pid}`);
    void serve.exited.then((e) => { this.supervisorExit = `exited (code ${e.code}, signal ${e.signal})`; });
    await Promise.all(sides.map((s) => s.fleet.start()));
    const running = (): boolean => sides.every((s) => s.fleet.status().state === 'running');
    for (let waited = 0; !running() && waited < 40_000; waited += 200) await sleep(200);
    if (!running()) throw new Error(`the fleet did not start publishing: ${sides.map((s) => `${s.params.profile} ${s.fleet.status().state}`).join(', ')}`);
    this.startedAt = Date.now();
    this.fleetPids = sides.flatMap((s) => s.fleet.status().pids.slice(1));
    this.at.rssStart = this.at.rssMax = rssOf(serve.pid);
    this.at.ringStart = await eventRingSize(admin);
    this.schedule = opts.schedule ?? buildSchedule(opts.seed, opts.durationMs);
    this.injector = new Injector(admin, this.startedAt);
    this.check = new ConsoleCheck(this.startedAt);
    this.deaths = new DeathWatch(this.startedAt);
    this.startedPids = admin.snapshot.nodes.map((n) => n.pid);
  }

  /** Once a second: the console against the fleet, process ends, RSS; then the steps that are due (all left, once `faults` is false). */
  private async tick(faults: boolean): Promise<void> {
    const fleetNow = counts(this.sides);
    const snap = await this.admin.request('cluster.snapshot', {});
    this.check.sample(Date.now(), {
      connections: { fleet: fleetNow.connected, console: snap.totals.connections },
      subscriptions: { fleet: fleetNow.subscribed, console: snap.totals.subscriptions },
    }, snap.nodes.map((n) => `${n.id} ${n.state} ${n.connections}/${n.subscriptions}`).join(', '));
    this.deaths.consume(this.admin.events);
    const at = this.at;
    at.rssMax = Math.max(at.rssMax, rssOf(this.serve.pid));
    const own = snap.nodes.filter((n) => !n.id.includes('/'));
    at.nodesDown = Math.max(at.nodesDown, own.filter((n) => DOWN.has(n.state)).length);
    at.nodesOut = Math.max(at.nodesOut, own.filter((n) => n.state !== 'healthy').length);
    const due = faults ? Date.now() - this.startedAt : this.opts.durationMs;
    while (this.next < this.schedule.length && this.schedule[this.next]!.atMs <= due) {
      const step = this.schedule[this.next++]!;
      this.log(`chaos: +${(step.atMs / 1000).toFixed(1)} s ${step.faults.map((f) => `${f.kind}#${f.target}${f.seconds ? ` ${f.seconds}s` : ''}`).join(' + ')}`);
      this.injector.apply(step, snap);
    }
  }

  /**
   * Faults over: publishing goes on while the cluster heals (every node healthy, every bot connected
   * and subscribed); answers how long that took (null: not before the fleet drained). Returns once
   * the fleet drained and publications in flight arrived.
   */
  private async settle(): Promise<number | null> {
    const { sides } = this;
    const totalBots = sides.reduce((n, s) => n + s.params.clients, 0);
    const totalSubs = sides.reduce((n, s) => n + s.expectedSubs, 0);
    const publishing = (): boolean => sides.every((s) => s.fleet.status().state === 'running');
    let healedAfterMs: number | null = null;
    const from = Date.now();
    while (Date.now() - from < (SETTLE_SECONDS - 2) * 1000 && publishing()) {
      await this.tick(false);
      const c = counts(sides);
      const healthy = this.admin.snapshot.nodes.every((n) => n.state === 'healthy');
      if (healedAfterMs === null && healthy && c.connected === totalBots && c.subscribed === totalSubs) healedAfterMs = Date.now() - from;
      await sleep(1000);
    }
    for (let waited = 0; sides.some((s) => s.fleet.status().state === 'running') && waited < 30_000; waited += 200) await sleep(200);
    await sleep(3_000); // publications in flight when the drain began arrive
    return healedAfterMs;
  }

  /** The readings at the end, the fleet's final counts, and the report. */
  private async conclude(healedAfterMs: number | null): Promise<SoakReport> {
    const { sides, admin, opts, startedAt } = this;
    const tops = await Promise.all(sides.map((s) => streamTops(admin, s.params.profile, s.params.clients, s.params.channels)));
    const rssEnd = rssOf(this.serve.pid);
    const ringEnd = await eventRingSize(admin);
    this.deaths.consume(admin.events);
    const fleetDeaths = this.fleetPids.filter((pid) => !processAlive(pid));
    const finals: SimulatorStatus[] = await Promise.all(sides.map((s) => s.fleet.stop()));
    const now = Date.now() - startedAt;
    return {
      seed: opts.seed,
      minutes: opts.durationMs / 60_000,
      bots: sides.reduce((n, s) => n + s.params.clients, 0),
      steps: this.schedule.length,
      faults: this.injector.byKind,
      injections: this.injector.log,
      fleets: sides.map((s, i) => ({
        profile: s.profile, params: s.params, final: finals[i]!, tops: tops[i]!,
        allSubscribedBeforePublishing: s.subscribedAtRun >= s.expectedSubs,
      })),
      console: { samples: this.check.samples, mismatchedSamples: this.check.mismatchedSamples, longestMismatchMs: this.check.longestMs, violations: this.check.violations },
      deaths: [
        ...this.deaths.uninjected(this.injector.endsGiven),
        ...(this.supervisorExit ? [{ atMs: now, what: `the supervisor ${this.supervisorExit}` }] : []),
        ...fleetDeaths.map((pid) => ({ atMs: now, what: `fleet process ${pid} ended early` })),
      ],
      nodeEnds: this.deaths.nodeEnds,
      nodesAtOnce: { down: this.at.nodesDown, notHealthy: this.at.nodesOut },
      startedNodePids: this.startedPids,
      healedAfterMs,
      notRecoveredWhy: notRecoveredWhy(admin, startedAt),
      supervisor: { pid: this.serve.pid, rssStart: this.at.rssStart, rssEnd, rssMax: this.at.rssMax, ringStart: this.at.ringStart, ringEnd },
    };
  }
}

/** `recovered: false` answers since `from`, by the supervisor's reason. */
function notRecoveredWhy(admin: AdminClient, from: number): Record<string, number> {
  const misses: Record<string, number> = {};
  for (const e of admin.events) {
    if (e.type !== 'subscription.recovered' || e.recovered || e.at < from) continue;
    const why = e.miss ?? 'unknown';
    misses[why] = (misses[why] ?? 0) + 1;
  }
  return misses;
}
