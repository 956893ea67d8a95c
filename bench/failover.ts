/**
 * Workload 3, failover (Switchboard only): clients spread over channels on a 3-node cluster, a
 * backend publishing continuously through the HTTP API, one node SIGKILLed by pid. Its clients
 * reconnect and resubscribe like centrifuge-js (backoff with jitter, `recover` with offset and
 * epoch). Measured: time from the kill until each affected client is subscribed again with
 * `recovered: true` (its missed publications applied), publications lost, duplicates delivered.
 */
import { GeneratorProcess, sleep } from './children.js';
import type { Cpus } from './children.js';
import type { FailoverOptions } from './options.js';
import { BENCH_SECRETS, PEERS, startPeer } from './peers.js';
import { CpuWindow, DISTURBED_CORES, signal } from './proc.js';
import { nowUs, payload, Publisher } from './publisher.js';
import { median } from './stats.js';

export interface FailoverRun {
  rep: number;
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
  connectRate: number;
  /** Server CPU over the window (1 = one core busy), and the window's length. */
  serverCores: number;
  windowMs: number;
  foreignCores: number;
  disturbed: boolean;
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

export async function runFailover(rep: number, o: FailoverOptions, cpus: { server: Cpus; generator: Cpus }, log: (s: string) => void): Promise<FailoverRun> {
  const peer = o.nodes === 3 ? PEERS.sb3 : { ...PEERS.sb3, args: { ...PEERS.sb3.args, nodes: o.nodes } };
  const run: FailoverRun = {
    rep, clients: o.clients, connected: 0, victim: '', affected: 0, recovered: 0, notRecovered: 0, recoveryMs: [],
    phases: { lost: Number.NaN, reopened: Number.NaN, reconnected: Number.NaN },
    published: 0, publishErrors: 0, lost: 0, duplicates: 0, outOfOrder: 0, reconnectAttempts: 0, connectErrors: 0,
    connectRate: 0, serverCores: 0, windowMs: 0, foreignCores: 0, disturbed: false,
  };
  const server = await startPeer(peer, cpus.server);
  const gen = GeneratorProcess.start(cpus.generator);
  const publisher = new Publisher(server.info);
  let stream: Stream | null = null;
  try {
    const channels = Array.from({ length: o.channels }, (_, i) => `feed:fo${i}`);
    const c = await gen.connect({
      kind: 'sb', url: server.info.clientUrl, count: o.clients, concurrency: o.concurrency, channels,
      tokenSecret: BENCH_SECRETS.tokenSecret, reconnect: o.reconnect,
    });
    run.connected = c.connected;
    run.connectRate = c.connected / (c.ms / 1000);
    if (c.failed > 0) throw new Error(`${c.failed} of ${o.clients} clients failed to connect: ${c.failures.join('; ')}`);
    await sleep(500);
    const { nodes } = await server.refresh();
    // Server pids change during the run (the killed node goes, a restarted one comes): sampled as it goes.
    const cpu = new CpuWindow(() => server.pids, () => [gen.pid, process.pid]);
    stream = new Stream(publisher, channels, o.publishRate);
    await sleep(o.beforeKillMs);
    const victim = nodes.find((n) => n.state === 'healthy') ?? nodes[0]!;
    run.victim = victim.id;
    const victimRef = server.ref(victim.pid);
    if (!victimRef) throw new Error(`node ${victim.id} (pid ${victim.pid}) is not running`);
    await gen.armFailover(0);
    cpu.sample();
    const killedAtUs = nowUs();
    if (!signal(victimRef, 'SIGKILL')) throw new Error(`could not SIGKILL node ${victim.id} (pid ${victim.pid})`);
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
    Object.assign(run, {
      affected: r.affected, recovered: r.recovered, notRecovered: r.notRecovered, recoveryMs: r.recoveryMs,
      lost: r.lost, duplicates: r.duplicates, outOfOrder: r.outOfOrder, reconnectAttempts: r.reconnectAttempts,
      connectErrors: r.connectErrors, foreignCores: w.foreignCores, disturbed: w.foreignCores > DISTURBED_CORES,
      serverCores: w.serverUs / (w.wallMs * 1000), windowMs: w.wallMs,
      phases: { lost: median(r.phasesMs.lost), reopened: median(r.phasesMs.reopened), reconnected: median(r.phasesMs.reconnected) },
    });
    log(`    failover rep ${rep + 1}: ${r.affected} affected, ${r.recovered} recovered, ${r.notRecovered} not; lost ${r.lost}, dup ${r.duplicates}; ${stream.sent} published; `
      + `median ms after the kill: lost ${run.phases.lost.toFixed(0)}, socket open ${run.phases.reopened.toFixed(0)}, connected ${run.phases.reconnected.toFixed(0)}, `
      + `recovered ${median(r.recoveryMs).toFixed(0)}; ${r.reconnectAttempts} reconnect attempts, ${r.connectErrors} error replies; `
      + `server ${run.serverCores.toFixed(2)} cores, foreign ${w.foreignCores.toFixed(2)} cores over ${(w.wallMs / 1000).toFixed(0)} s`);
  } catch (e) {
    run.error = String((e as Error).message ?? e);
    log(`    failover: ${run.error}`);
  } finally {
    await stream?.stop();
    publisher.close();
    await gen.stop();
    await server.stop();
  }
  return run;
}
