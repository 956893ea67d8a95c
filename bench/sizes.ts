/**
 * The message-size sweep (issue 12, item 5b): one channel, `subscribers` subscribers, payloads of
 * 100 B, 1 KB, 8 KB and 64 KB, each at a fixed offered delivery rate (64 KB at a lower one: the
 * generator parses every delivery, and 64 KB × 25k/s would be 1.6 GB/s over loopback). Every size
 * runs whether the previous one kept up or not.
 */
import { GeneratorProcess, sleep } from './children.js';
import type { Cpus } from './children.js';
import { KEEP_UP } from './fanout.js';
import type { SizesOptions } from './options.js';
import type { Peer } from './peers.js';
import { BENCH_SECRETS, startPeer } from './peers.js';
import { cpuMicros, CpuWindow } from './proc.js';
import { nowUs, payloadOf, Publisher } from './publisher.js';

export interface SizeRecord {
  bytes: number;
  /** Offered deliveries/s. */
  rate: number;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  deliveredPerSec: number;
  /** Payload bytes delivered per second (MB/s, 10^6). */
  mbPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerDelivery: number;
  cpuUsPerKb: number;
  generatorCores: number;
  keepsUp: boolean;
}

export interface SizesRun {
  peer: Peer['id'];
  rep: number;
  steps: SizeRecord[];
  error?: string;
}

export async function runSizes(peer: Peer, rep: number, o: SizesOptions, cpus: { server: Cpus; generator: Cpus }, log: (s: string) => void): Promise<SizesRun> {
  const run: SizesRun = { peer: peer.id, rep, steps: [] };
  const server = await startPeer(peer, cpus.server);
  const gen = GeneratorProcess.start(cpus.generator);
  const publisher = new Publisher(server.info);
  const channel = peer.channel('sizes');
  let seq = 0;
  try {
    const r = await gen.connect({
      kind: peer.kind, url: server.info.clientUrl, urls: server.info.clientUrls, count: o.subscribers, concurrency: o.concurrency,
      channels: [channel], tokenSecret: BENCH_SECRETS.tokenSecret,
    });
    if (r.failed > 0) throw new Error(`${r.failed} of ${o.subscribers} subscribers failed to connect: ${r.failures.join('; ')}`);
    await sleep(300);
    const step = async (bytes: number, rate: number, ms: number): Promise<SizeRecord> => {
      const pubRate = rate / o.subscribers;
      const count = Math.max(1, Math.round((pubRate * ms) / 1000));
      const first = seq + 1;
      seq += count;
      const { pids } = await server.refresh();
      const startUs = nowUs() + 30_000;
      const windowUs = (count / pubRate) * 1e6;
      await gen.beginStep(first, count, startUs, startUs + windowUs + KEEP_UP.graceMs * 1000);
      const cpu = new CpuWindow(() => pids, () => [gen.pid, process.pid]);
      const gen0 = cpuMicros(gen.pid) ?? 0;
      const pr = await publisher.paced({
        count, rate: pubRate, channel: () => channel, seq: (i) => first + i, graceMs: 10_000, startAtUs: startUs,
        data: (i, t) => payloadOf({ seq: first + i, t }, bytes),
      });
      const res = await gen.endStep(o.drainMs);
      const w = cpu.end();
      const gen1 = cpuMicros(gen.pid) ?? 0;
      const spanS = Math.max(windowUs, res.spanUs) / 1e6;
      const lost = res.expected - res.delivered;
      const perDel = res.delivered > 0 ? w.serverUs / res.delivered : Number.NaN;
      const rec: SizeRecord = {
        bytes, rate, expected: res.expected, delivered: res.delivered, lost, duplicates: res.duplicates,
        deliveredPerSec: res.delivered / spanS, mbPerSec: (res.delivered * bytes) / spanS / 1e6,
        p50Ms: res.p50Us / 1000, p99Ms: res.p99Us / 1000, cpuUsPerDelivery: perDel, cpuUsPerKb: perDel / (bytes / 1024),
        generatorCores: (gen1 - gen0) / (w.wallMs * 1000), keepsUp: false,
      };
      const publishErrors = pr.errors + (count - pr.answered);
      rec.keepsUp = lost === 0 && res.duplicates === 0 && publishErrors === 0 && res.inTime >= KEEP_UP.inTimeShare * res.expected && rec.p99Ms <= KEEP_UP.p99Ms;
      return rec;
    };
    await step(o.sizes[0]!.bytes, o.sizes[0]!.rate, o.warmupMs);
    for (const { bytes, rate } of o.sizes) {
      const rec = await step(bytes, rate, o.stepMs);
      run.steps.push(rec);
      log(`    ${peer.id} ${bytes} B @${rate / 1000}k/s: delivered ${Math.round(rec.deliveredPerSec)}/s (${rec.mbPerSec.toFixed(1)} MB/s), p50 ${rec.p50Ms.toFixed(1)} p99 ${rec.p99Ms.toFixed(1)} ms, lost ${rec.lost}, cpu ${rec.cpuUsPerDelivery.toFixed(2)} µs/del, generator ${rec.generatorCores.toFixed(2)} cores${rec.keepsUp ? '' : ' — does not keep up'}`);
      if (!rec.keepsUp) await gen.quiet(500, o.quietMaxMs);
    }
  } catch (e) {
    run.error = String((e as Error).message ?? e);
    log(`    ${peer.id}: ${run.error}`);
  } finally {
    publisher.close();
    await gen.stop();
    await server.stop();
  }
  return run;
}
