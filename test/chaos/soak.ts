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
    return await soak(opts, serve, admin, sides, log);
  } finally {
    await Promise.all(sides.map((s) => s.fleet.stop()));
    admin?.close();
    await serve.stop();
  }
}

async function soak(opts: SoakOptions, serve: ServeProcess, admin: AdminClient, sides: Side[], log: (line: string) => void): Promise<SoakReport> {
  log(`chaos: seed ${opts.seed}, ${Math.round(opts.durationMs / 1000)} s of faults, ${opts.bots} bots (chat + feed), supervisor pid ${serve.pid}`);
  let supervisorExit: string | null = null;
  void serve.exited.then((e) => { supervisorExit = `exited (code ${e.code}, signal ${e.signal})`; });
  await Promise.all(sides.map((s) => s.fleet.start()));
  const running = (): boolean => sides.every((s) => s.fleet.status().state === 'running');
  for (let waited = 0; !running() && waited < 40_000; waited += 200) await sleep(200);
  if (!running()) throw new Error(`the fleet did not start publishing: ${sides.map((s) => `${s.params.profile} ${s.fleet.status().state}`).join(', ')}`);

  const startedAt = Date.now();
  const fleetPids = sides.flatMap((s) => s.fleet.status().pids.slice(1));
  const rssStart = rssOf(serve.pid);
  const ringStart = await eventRingSize(admin);
  let rssMax = rssStart;
  let nodesDown = 0;
  let nodesOut = 0;
  const schedule = opts.schedule ?? buildSchedule(opts.seed, opts.durationMs);
  const injector = new Injector(admin, startedAt);
  const check = new ConsoleCheck(startedAt);
  const deaths = new DeathWatch(startedAt);
  const startedPids = admin.snapshot.nodes.map((n) => n.pid);

  // Once a second: the console against the fleet, process ends, RSS; the schedule in between.
  let next = 0;
  const tick = async (faults: boolean): Promise<void> => {
    const fleetNow = counts(sides);
    const snap = await admin.request('cluster.snapshot', {});
    check.sample(Date.now(), {
      connections: { fleet: fleetNow.connected, console: snap.totals.connections },
      subscriptions: { fleet: fleetNow.subscribed, console: snap.totals.subscriptions },
    }, snap.nodes.map((n) => `${n.id} ${n.state} ${n.connections}/${n.subscriptions}`).join(', '));
    deaths.consume(admin.events);
    rssMax = Math.max(rssMax, rssOf(serve.pid));
    const own = snap.nodes.filter((n) => !n.id.includes('/'));
    nodesDown = Math.max(nodesDown, own.filter((n) => DOWN.has(n.state)).length);
    nodesOut = Math.max(nodesOut, own.filter((n) => n.state !== 'healthy').length);
    // Steps due by the end of the soak go out; none while it settles.
    while (next < schedule.length && schedule[next]!.atMs <= Math.min(Date.now() - startedAt, faults ? Infinity : opts.durationMs)) {
      const step = schedule[next++]!;
      log(`chaos: +${(step.atMs / 1000).toFixed(1)} s ${step.faults.map((f) => `${f.kind}#${f.target}${f.seconds ? ` ${f.seconds}s` : ''}`).join(' + ')}`);
      injector.apply(step, snap);
    }
  };
  while (Date.now() - startedAt < opts.durationMs) {
    const t0 = Date.now();
    await tick(true);
    await sleep(Math.max(0, 1000 - (Date.now() - t0)));
  }
  await tick(false);
  await injector.settle();
  log(`chaos: faults over after ${injector.injected} injected; settling`);

  // Healing: every node up and every bot connected and subscribed again, while publishing goes on.
  const totalBots = sides.reduce((n, s) => n + s.params.clients, 0);
  const totalSubs = sides.reduce((n, s) => n + s.expectedSubs, 0);
  let healedAfterMs: number | null = null;
  const settleFrom = Date.now();
  while (Date.now() - settleFrom < (SETTLE_SECONDS - 2) * 1000) {
    await tick(false);
    const c = counts(sides);
    const snap = admin.snapshot;
    const nodesUp = snap.nodes.every((n) => n.state === 'healthy');
    if (healedAfterMs === null && nodesUp && c.connected === totalBots && c.subscribed === totalSubs) healedAfterMs = Date.now() - settleFrom;
    if (sides.some((s) => s.fleet.status().state !== 'running')) break;
    await sleep(1000);
  }
  for (let waited = 0; sides.some((s) => s.fleet.status().state === 'running') && waited < 30_000; waited += 200) await sleep(200);
  await sleep(3_000); // publications in flight when the drain began arrive
  const tops = await Promise.all(sides.map((s) => streamTops(admin, s.params.profile, s.params.clients, s.params.channels)));
  const rssEnd = rssOf(serve.pid);
  const ringEnd = await eventRingSize(admin);
  deaths.consume(admin.events);
  const fleetDeaths = fleetPids.filter((pid) => !processAlive(pid));
  const finals: SimulatorStatus[] = await Promise.all(sides.map((s) => s.fleet.stop()));
  const misses = new Map<string, number>();
  for (const e of admin.events) {
    if (e.type !== 'subscription.recovered' || e.recovered || e.at < startedAt) continue;
    misses.set(e.miss ?? 'unknown', (misses.get(e.miss ?? 'unknown') ?? 0) + 1);
  }
  return {
    seed: opts.seed,
    minutes: opts.durationMs / 60_000,
    bots: totalBots,
    steps: schedule.length,
    faults: injector.byKind,
    injections: injector.log,
    fleets: sides.map((s, i) => ({
      profile: s.profile, params: s.params, final: finals[i]!, tops: tops[i]!,
      allSubscribedBeforePublishing: s.subscribedAtRun >= s.expectedSubs,
    })),
    console: { samples: check.samples, mismatchedSamples: check.mismatchedSamples, longestMismatchMs: check.longestMs, violations: check.violations },
    deaths: [
      ...deaths.uninjected(injector.endsGiven),
      ...(supervisorExit ? [{ atMs: Date.now() - startedAt, what: `the supervisor ${supervisorExit}` }] : []),
      ...fleetDeaths.map((pid) => ({ atMs: Date.now() - startedAt, what: `fleet process ${pid} ended early` })),
    ],
    nodeEnds: deaths.nodeEnds,
    nodesAtOnce: { down: nodesDown, notHealthy: nodesOut },
    startedNodePids: startedPids,
    healedAfterMs,
    notRecoveredWhy: Object.fromEntries(misses),
    supervisor: { pid: serve.pid, rssStart, rssEnd, rssMax, ringStart, ringEnd },
  };
}
