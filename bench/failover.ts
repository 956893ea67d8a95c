/**
 * Workload 3, failover (Switchboard only): clients spread over channels on a 3-node cluster, a
 * backend publishing continuously through the HTTP API, one node SIGKILLed by pid. Its clients
 * reconnect and resubscribe like centrifuge-js (backoff with jitter, `recover` with offset and
 * epoch). Measured: time from the kill until each affected client is subscribed again with
 * `recovered: true` (its missed publications applied), publications lost, duplicates delivered.
 *
 * On the Redis engine (`o.supervisors` set, workload 5): the clients are split over the supervisors'
 * client ports, the backend publishes through the first supervisor's HTTP API, and the LAST
 * supervisor is SIGKILLed by pid (its nodes go with it). Its clients reconnect, with the same client
 * model, to the next address in their list — the other supervisor's client port, directly — and
 * recover from Redis.
 */
import { GeneratorProcess, sleep } from './children.js';
import type { Cpus } from './children.js';
import type { FailoverOptions } from './options.js';
import type { BenchServer, NodeInfo } from './children.js';
import { BENCH_SECRETS, PEERS, startPeer } from './peers.js';
import type { Peer } from './peers.js';
import type { ProcessRef } from './proc.js';
import { RedisCluster } from './redis-cluster.js';
import { cpuMicros, CpuWindow, DISTURBED_CORES, signal } from './proc.js';
import { recoveryBreakdown } from './failover-breakdown.js';
import type { RecoveryBreakdown } from './failover-breakdown.js';
import { generatorFigures } from './fanout.js';
import type { ConnectTimeouts, GeneratorLag } from './generator.js';
import { nowUs, payload, Publisher } from './publisher.js';
import { median } from './stats.js';

export interface FailoverRun {
  rep: number;
  /** What was SIGKILLed: one node (memory engine) or one supervisor with its nodes (Redis engine). */
  killed: 'node' | 'supervisor';
  clients: number;
  connected: number;
  victim: string;
  affected: number;
  recovered: number;
  notRecovered: number;
  recoveryMs: number[];
  /** Medians over affected clients, ms from the kill: connection lost, socket open again, connect reply. */
  phases: { lost: number; reopened: number; reconnected: number };
  published: number;
  publishErrors: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  reconnectAttempts: number;
  connectErrors: number;
  /** `unsubscribe` pushes the clients got (each with a code ≥ 2500 was resubscribed with `recover`); absent in results older than this field. */
  serverUnsubscribes?: number;
  connectRate: number;
  /** Server CPU over the window (1 = one core busy; redis-server included), and the window's length. */
  serverCores: number;
  /** Redis engine: redis-server's CPU over the window (1 = one core busy); null on the memory engine. */
  redisCores: number | null;
  windowMs: number;
  foreignCores: number;
  disturbed: boolean;
  /** The largest foreign processes over the window ("comm (pid) ms"). */
  foreignTop?: string[];
  /** The generator's CPU over the window (cores), whether it reached GENERATOR_LIMITED_CORES, and its event-loop lag (absent in older results). */
  generatorCores?: number;
  generatorLimited?: boolean;
  generatorLag?: GeneratorLag;
  /** Reconnect attempts closed by centrifuge-js's 5 s connect timeout, by what had not arrived. */
  timeouts?: ConnectTimeouts;
  /** The phases of every recovered client's way back: p50/p99 each, and the tail's medians. */
  breakdown?: RecoveryBreakdown;
  error?: string;
}

/** A backend publishing round robin over channels until stopped; seqs count per channel from 1. */
class Stream {
  readonly seqs: number[];
  sent = 0;
  errors = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly t0 = performance.now();

  constructor(private readonly publisher: Publisher, private readonly channels: string[], private readonly rate: number) {
    this.seqs = channels.map(() => 0);
    this.timer = setInterval(() => this.tick(), 5);
  }

  private tick(): void {
    const due = Math.floor(((performance.now() - this.t0) / 1000) * this.rate);
    while (this.sent < due) {
      const i = this.sent++ % this.channels.length;
      const seq = ++this.seqs[i]!;
      this.inFlight++;
      void this.publisher.publish(this.channels[i]!, payload(seq, nowUs())).then((ok) => {
        this.inFlight--;
        if (!ok) this.errors++;
      });
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const deadline = Date.now() + 10_000;
    while (this.inFlight > 0 && Date.now() < deadline) await sleep(10);
  }
}

/** The cluster a failover runs on: `o.nodes` nodes under one supervisor, or `o.supervisors` supervisors on Redis. */
function failoverPeer(o: FailoverOptions): Peer {
  if (o.supervisors !== undefined) {
    const p = PEERS['sb2-redis'];
    return { ...p, args: { ...p.args, nodes: o.nodes }, redisSupervisors: o.supervisors };
  }
  return o.nodes === 3 ? PEERS.sb3 : { ...PEERS.sb3, args: { ...PEERS.sb3.args, nodes: o.nodes } };
}

/** Memory engine: a healthy node. Redis engine: the last supervisor (publications go to the first), whose nodes die with it. */
function pickVictim(server: BenchServer, nodes: NodeInfo[]): { id: string; pid: number; ref: ProcessRef | null } {
  if (server instanceof RedisCluster) {
    const s = server.supervisors.at(-1)!;
    return { id: `supervisor ${server.supervisors.length}`, pid: s.pid, ref: server.ref(s.pid) };
  }
  const victim = nodes.find((n) => n.state === 'healthy') ?? nodes[0]!;
  return { id: victim.id, pid: victim.pid, ref: server.ref(victim.pid) };
}

export async function runFailover(
  rep: number, o: FailoverOptions, cpus: { server: Cpus; generator: Cpus }, log: (s: string) => void,
  /** Told every process the run started, once it ended (the smoke test checks they all ended). */
  onProcesses: (refs: ProcessRef[]) => void = () => undefined,
): Promise<FailoverRun> {
  const peer = failoverPeer(o);
  const run: FailoverRun = {
    rep, killed: o.supervisors === undefined ? 'node' : 'supervisor', clients: o.clients, connected: 0, victim: '', affected: 0, recovered: 0, notRecovered: 0, recoveryMs: [],
    phases: { lost: Number.NaN, reopened: Number.NaN, reconnected: Number.NaN },
    published: 0, publishErrors: 0, lost: 0, duplicates: 0, outOfOrder: 0, reconnectAttempts: 0, connectErrors: 0, serverUnsubscribes: 0,
    connectRate: 0, serverCores: 0, redisCores: null, windowMs: 0, foreignCores: 0, disturbed: false,
  };
  const server = await startPeer(peer, cpus.server);
  const gen = GeneratorProcess.start(cpus.generator);
  const publisher = new Publisher(server.info);
  let stream: Stream | null = null;
  try {
    const channels = Array.from({ length: o.channels }, (_, i) => `feed:fo${i}`);
    const c = await gen.connect({
      kind: 'sb', url: server.info.clientUrl, urls: server.info.clientUrls, count: o.clients, concurrency: o.concurrency, channels,
      tokenSecret: BENCH_SECRETS.tokenSecret, reconnect: o.reconnect,
    });
    run.connected = c.connected;
    run.connectRate = c.connected / (c.ms / 1000);
    if (c.failed > 0) throw new Error(`${c.failed} of ${o.clients} clients failed to connect: ${c.failures.join('; ')}`);
    await sleep(500);
    const { nodes } = await server.refresh();
    // Server pids change during the run (the killed node goes, a restarted one comes): sampled as it goes.
    const cpu = new CpuWindow(() => server.pids, () => [gen.pid, process.pid]);
    const redis0 = server.redisPid === null ? null : cpuMicros(server.redisPid);
    const t0 = performance.now();
    stream = new Stream(publisher, channels, o.publishRate);
    await sleep(o.beforeKillMs);
    const victim = pickVictim(server, nodes);
    run.victim = victim.id;
    if (!victim.ref) throw new Error(`${run.killed} ${victim.id} (pid ${victim.pid}) is not running`);
    await gen.armFailover(0);
    cpu.sample();
    const killedAtUs = nowUs();
    if (!signal(victim.ref, 'SIGKILL')) throw new Error(`could not SIGKILL ${run.killed} ${victim.id} (pid ${victim.pid})`);
    await gen.armFailover(killedAtUs);
    const deadline = Date.now() + o.recoverTimeoutMs;
    for (;;) {
      await sleep(200);
      await server.refresh();
      cpu.sample();
      const s = await gen.failoverStatus();
      const settled = s.affected > 0 && s.recovered + s.notRecovered >= s.affected && s.open === s.clients;
      if ((settled && (nowUs() - killedAtUs) / 1000 > 1500) || Date.now() > deadline) break;
    }
    await sleep(o.afterRecoveryMs);
    await stream.stop();
    run.published = stream.sent;
    run.publishErrors = stream.errors;
    const r = await gen.failoverCheck(stream.seqs.slice(), 10_000);
    const w = cpu.end();
    const redis1 = server.redisPid === null ? null : cpuMicros(server.redisPid);
    if (redis0 !== null && redis1 !== null) run.redisCores = (redis1 - redis0) / ((performance.now() - t0) * 1000);
    Object.assign(run, {
      affected: r.affected, recovered: r.recovered, notRecovered: r.notRecovered, recoveryMs: r.recoveryMs,
      lost: r.lost, duplicates: r.duplicates, outOfOrder: r.outOfOrder, reconnectAttempts: r.reconnectAttempts,
      connectErrors: r.connectErrors, serverUnsubscribes: r.serverUnsubscribes, foreignCores: w.foreignCores, disturbed: w.foreignCores > DISTURBED_CORES,
      serverCores: w.serverUs / (w.wallMs * 1000), windowMs: w.wallMs,
      phases: { lost: median(r.phasesMs.lost), reopened: median(r.phasesMs.reopened), reconnected: median(r.phasesMs.reconnected) },
      foreignTop: w.foreignTop, ...generatorFigures(w.usOf(gen.pid), w.wallMs, r.lag), timeouts: r.timeouts, breakdown: recoveryBreakdown(r.tracks),
    });
    log(`    failover rep ${rep + 1} (${run.killed} ${run.victim} killed): ${r.affected} affected, ${r.recovered} recovered, ${r.notRecovered} not; lost ${r.lost}, dup ${r.duplicates}; ${stream.sent} published; `
      + `median ms after the kill: lost ${run.phases.lost.toFixed(0)}, socket open ${run.phases.reopened.toFixed(0)}, connected ${run.phases.reconnected.toFixed(0)}, `
      + `recovered ${median(r.recoveryMs).toFixed(0)}; ${r.reconnectAttempts} reconnect attempts, ${r.connectErrors} error replies, ${r.serverUnsubscribes} unsubscribe pushes; `
      + `server ${run.serverCores.toFixed(2)} cores${run.redisCores === null ? '' : ` (redis ${run.redisCores.toFixed(2)})`}, foreign ${w.foreignCores.toFixed(2)} cores over ${(w.wallMs / 1000).toFixed(0)} s; `
      + `generator ${run.generatorCores?.toFixed(2)} cores, lag p99 ${r.lag.p99Ms.toFixed(0)} max ${r.lag.maxMs.toFixed(0)} ms; `
      + `connect timeouts ${r.timeouts.open} open / ${r.timeouts.connect} connect / ${r.timeouts.subscribe} subscribe`);
  } catch (e) {
    run.error = String((e as Error).message ?? e);
    log(`    failover: ${run.error}`);
  } finally {
    await stream?.stop();
    publisher.close();
    await gen.stop();
    await server.stop();
    onProcesses([...server.allRefs(), ...(gen.ref ? [gen.ref] : [])]);
  }
  return run;
}
