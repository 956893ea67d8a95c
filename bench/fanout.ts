/**
 * Workload 2 (and 4, the console cost): fan-out. One server per peer and repetition; N subscribers
 * on one channel; ~100-byte publications at rising rates (deliveries/s offered = publications/s ×
 * subscribers), each step measured for delivered/s, publish→receive latency, lost/duplicated, and
 * server CPU µs per delivery (user+sys of every server process over the step). A peer's series
 * stops at the first step it does not keep up with; then the subscriber count rises on the same
 * server and the series starts again from the lowest rate.
 */
import { GeneratorProcess, sleep } from './children.js';
import type { Cpus } from './children.js';
import { ConsoleWatcher } from './console-client.js';
import type { FanoutOptions } from './options.js';
import type { Peer } from './peers.js';
import { BENCH_SECRETS, startPeer } from './peers.js';
import type { GeneratorLag } from './generator.js';
import { cpuMicros, CpuWindow, DISTURBED_CORES, GENERATOR_LIMITED_CORES } from './proc.js';
import type { ProcessRef } from './proc.js';
import { nowUs, Publisher } from './publisher.js';

/** A step keeps up when nothing is missing, ≥ 95 % arrived in time, and p99 ≤ 500 ms. */
export const KEEP_UP = { inTimeShare: 0.95, p99Ms: 500, graceMs: 500 };
export const LOW_LATENCY_P99_MS = 100;

export interface StepRecord {
  /** Offered deliveries per second. */
  rate: number;
  subscribers: number;
  publications: number;
  expected: number;
  delivered: number;
  inTime: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  disconnects: number;
  /** Subscriptions the server ended with an `unsubscribe` push (the thin client does not resubscribe). */
  serverUnsubscribes: number;
  publishErrors: number;
  deliveredPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** User+sys of every server process over the step (redis-server included on the Redis engine). */
  serverCpuUs: number;
  cpuUsPerDelivery: number;
  /** Redis engine: redis-server's own CPU µs over the step (part of `serverCpuUs`); null on other peers. */
  redisCpuUs: number | null;
  /** Server CPU in cores (1 = one core busy) over the step. */
  serverCores: number;
  foreignCores: number;
  disturbed: boolean;
  /** The generator process's CPU over the step, cores (absent in results older than this field). */
  generatorCores?: number;
  /** `generatorCores` ≥ GENERATOR_LIMITED_CORES: the step's ceiling may be the generator's. */
  generatorLimited?: boolean;
  /** The generator's event-loop lag over the step. */
  generatorLag?: GeneratorLag;
  /** The largest foreign processes of the step ("comm (pid) ms"), and the cost of one /proc scan, ms. */
  foreignTop?: string[];
  procScanMs?: number;
  keepsUp: boolean;
  lowLatency: boolean;
}

export interface FanoutRun {
  peer: Peer['id'];
  rep: number;
  /** Steps per subscriber count, and the server's CPU (cores) with the subscribers connected and nothing published. */
  series: { subscribers: number; idleCores: number; idleRedisCores: number | null; steps: StepRecord[] }[];
  console?: { queries: number; answers: number; errors: number; pushes: number };
  error?: string;
}

const CHANNEL = 'bench';

/** The generator's CPU over a window (cores), whether that made it the limit, and its event-loop lag. */
export function generatorFigures(us: number | null, wallMs: number, lag: GeneratorLag): Pick<StepRecord, 'generatorCores' | 'generatorLimited' | 'generatorLag'> {
  const cores = us === null ? Number.NaN : us / (wallMs * 1000);
  return { generatorCores: cores, generatorLimited: cores >= GENERATOR_LIMITED_CORES, generatorLag: lag };
}

export async function runFanout(
  peer: Peer, rep: number, o: FanoutOptions, cpus: { server: Cpus; generator: Cpus }, log: (s: string) => void,
  /** Told every process the run started, once it ended (the smoke test checks they all ended). */
  onProcesses: (refs: ProcessRef[]) => void = () => undefined,
): Promise<FanoutRun> {
  const run: FanoutRun = { peer: peer.id, rep, series: [] };
  const server = await startPeer(peer, cpus.server, o.v8Flags);
  const gen = GeneratorProcess.start(cpus.generator);

  const publisher = new Publisher(server.info);
  let watcher: ConsoleWatcher | null = null;
  const channel = peer.channel(CHANNEL);
  let seq = 0;
  try {
    if (peer.console) watcher = await ConsoleWatcher.open(server.info.adminUrl!, server.info.adminToken!);
    for (const subscribers of peer.console ? o.consoleSubscribers : o.subscribers) {
      const have = await gen.alive();
      if (have.alive < subscribers) {
        const r = await gen.connect({
          kind: peer.kind, url: server.info.clientUrl, urls: server.info.clientUrls, count: subscribers - have.alive, concurrency: o.concurrency,
          channels: [channel], tokenSecret: BENCH_SECRETS.tokenSecret,
        });
        if (r.failed > 0) throw new Error(`${r.failed} of ${subscribers - have.alive} subscribers failed to connect: ${r.failures.join('; ')}`);
      }
      const now = await gen.alive();
      if (now.alive !== subscribers) throw new Error(`${now.alive} subscribers alive, wanted ${subscribers}`);
      await sleep(300);
      const idle = new CpuWindow(() => server.pids, () => [gen.pid, process.pid]);
      const idleRedis0 = server.redisPid === null ? null : cpuMicros(server.redisPid);
      await sleep(o.idleMs);
      const w0 = idle.end();
      const idleRedis1 = server.redisPid === null ? null : cpuMicros(server.redisPid);
      const idleRedisCores = idleRedis0 === null || idleRedis1 === null ? null : (idleRedis1 - idleRedis0) / (w0.wallMs * 1000);
      const idleCores = w0.serverUs / (w0.wallMs * 1000);
      const step = async (rate: number, ms: number): Promise<StepRecord> => {
        const pubRate = rate / subscribers;
        const count = Math.max(1, Math.round((pubRate * ms) / 1000));
        const first = seq + 1;
        seq += count;
        const { pids } = await server.refresh();
        const startUs = nowUs() + 30_000;
        const windowUs = (count / pubRate) * 1e6;
        await gen.beginStep(first, count, startUs, startUs + windowUs + KEEP_UP.graceMs * 1000);
        const cpu = new CpuWindow(() => pids, () => [gen.pid, process.pid]);
        const redis0 = server.redisPid === null ? null : cpuMicros(server.redisPid);
        const pr = await publisher.paced({ count, rate: pubRate, channel: () => channel, seq: (i) => first + i, graceMs: 10_000, startAtUs: startUs });
        const r = await gen.endStep(o.drainMs);
        const w = cpu.end();
        const redis1 = server.redisPid === null ? null : cpuMicros(server.redisPid);
        const lost = r.expected - r.delivered;
        const spanS = Math.max(windowUs, r.spanUs) / 1e6;
        const p99Ms = r.p99Us / 1000;
        const rec: StepRecord = {
          rate, subscribers: r.subscribers, publications: count, expected: r.expected, delivered: r.delivered, inTime: r.inTime,
          lost, duplicates: r.duplicates, outOfOrder: r.outOfOrder, disconnects: r.disconnects, serverUnsubscribes: r.serverUnsubscribes,
          publishErrors: pr.errors + (count - pr.answered),
          deliveredPerSec: r.delivered / spanS,
          p50Ms: r.p50Us / 1000, p99Ms, maxMs: r.maxUs / 1000,
          serverCpuUs: w.serverUs,
          cpuUsPerDelivery: r.delivered > 0 ? w.serverUs / r.delivered : Number.NaN,
          redisCpuUs: redis0 === null || redis1 === null ? null : redis1 - redis0,
          serverCores: w.serverUs / (w.wallMs * 1000),
          foreignCores: w.foreignCores,
          disturbed: w.foreignCores > DISTURBED_CORES,
          ...generatorFigures(w.usOf(gen.pid), w.wallMs, r.lag),
          foreignTop: w.foreignTop,
          procScanMs: w.scanMs,
          keepsUp: false,
          lowLatency: false,
        };
        const clean = lost === 0 && r.duplicates === 0 && rec.publishErrors === 0 && r.subscribers === subscribers;
        rec.keepsUp = clean && r.inTime >= KEEP_UP.inTimeShare * r.expected && p99Ms <= KEEP_UP.p99Ms;
        rec.lowLatency = clean && p99Ms <= LOW_LATENCY_P99_MS;
        return rec;
      };
      // Warm-up (JIT, buffers), not reported.
      await step(o.rates[0]!, o.warmupMs);
      const steps: StepRecord[] = [];
      run.series.push({ subscribers, idleCores, idleRedisCores, steps });
      for (const rate of [...o.rates, ...(o.extraRates[subscribers] ?? [])]) {
        const rec = await step(rate, o.stepMs);
        steps.push(rec);
        log(`    ${peer.id} ${subscribers} subs @${rate / 1000}k/s: delivered ${Math.round(rec.deliveredPerSec)}/s p50 ${rec.p50Ms.toFixed(1)} p99 ${rec.p99Ms.toFixed(1)} max ${rec.maxMs.toFixed(0)} ms, lost ${rec.lost}, dup ${rec.duplicates}${rec.serverUnsubscribes > 0 ? `, ${rec.serverUnsubscribes} unsubscribed by the server` : ''}, cpu ${rec.cpuUsPerDelivery.toFixed(2)} µs/del, generator ${rec.generatorCores?.toFixed(2)} cores${rec.generatorLimited ? ' (generator-limited)' : ''}${rec.redisCpuUs === null ? '' : ` (redis ${(rec.redisCpuUs / rec.publications).toFixed(0)} µs/pub)`}${rec.disturbed ? ' (disturbed)' : ''}${rec.keepsUp ? '' : ' — does not keep up'}`);
        if (!rec.keepsUp) {
          await gen.quiet(500, o.quietMaxMs); // let a backlog drain before anything else is measured
          break;
        }
      }
    }
    if (watcher) run.console = { queries: watcher.queries, answers: watcher.answers, errors: watcher.errors, pushes: watcher.pushes };
  } catch (e) {
    run.error = String((e as Error).message ?? e);
    log(`    ${peer.id}: ${run.error}`);
  } finally {
    watcher?.close();
    publisher.close();
    await gen.stop();
    await server.stop();
    onProcesses([...server.allRefs(), ...(gen.ref ? [gen.ref] : [])]);
  }
  return run;
}
