/**
 * The soak (issue 12, item 5e): one channel, `subscribers` subscribers, one long step at a steady
 * rate — the highest rate the same run's fan-out found the peer keeps up with at that subscriber
 * count × 0.8, or a fixed default without one. p50/p99 per window of publication time, server CPU
 * and RSS (every server process, summed) per window, and the drift: last window's p99 ÷ the first's.
 */
import { GeneratorProcess, sleep } from './children.js';
import type { Cpus } from './children.js';
import { KEEP_UP } from './fanout.js';
import type { WindowStats } from './generator.js';
import type { SoakOptions } from './options.js';
import type { Peer } from './peers.js';
import { BENCH_SECRETS, startPeer } from './peers.js';
import { CpuWindow, sumRss } from './proc.js';
import { nowUs, Publisher } from './publisher.js';

/** p99 of the last window ÷ the first at most this: "stable". */
export const DRIFT_LIMIT = 1.5;

export interface SoakWindow extends WindowStats {
  /** Server RSS (all processes) and CPU cores at the end of the window, read by the bench. */
  rssBytes: number;
  serverCores: number;
}

export interface SoakRun {
  peer: Peer['id'];
  rep: number;
  /** Offered deliveries/s, and where it came from. */
  rate: number;
  rateSource: 'fan-out × share' | 'default';
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  windows: SoakWindow[];
  rssStartBytes: number;
  rssEndBytes: number;
  /** Last window's p99 ÷ first window's. */
  drift: number;
  error?: string;
}

export async function runSoak(
  peer: Peer, rep: number, o: SoakOptions, fanoutRate: number | null, cpus: { server: Cpus; generator: Cpus }, log: (s: string) => void,
): Promise<SoakRun> {
  const rate = fanoutRate !== null && fanoutRate > 0 ? fanoutRate * o.fanoutShare : o.defaultRate;
  const run: SoakRun = {
    peer: peer.id, rep, rate, rateSource: fanoutRate !== null && fanoutRate > 0 ? 'fan-out × share' : 'default',
    expected: 0, delivered: 0, lost: 0, duplicates: 0, outOfOrder: 0, windows: [], rssStartBytes: 0, rssEndBytes: 0, drift: Number.NaN,
  };
  const server = await startPeer(peer, cpus.server);
  const gen = GeneratorProcess.start(cpus.generator);
  const publisher = new Publisher(server.info);
  const channel = peer.channel('soak');
  let sampler: NodeJS.Timeout | null = null;
  try {
    const r = await gen.connect({
      kind: peer.kind, url: server.info.clientUrl, urls: server.info.clientUrls, count: o.subscribers, concurrency: o.concurrency,
      channels: [channel], tokenSecret: BENCH_SECRETS.tokenSecret,
    });
    if (r.failed > 0) throw new Error(`${r.failed} of ${o.subscribers} subscribers failed to connect: ${r.failures.join('; ')}`);
    await sleep(300);
    const pubRate = rate / o.subscribers;
    const count = Math.max(1, Math.round((pubRate * o.durationMs) / 1000));
    const { pids } = await server.refresh();
    const startUs = nowUs() + 30_000;
    const windowUs = (count / pubRate) * 1e6;
    await gen.shape({ t: 'soak.begin', first: 1, count, startUs, inTimeUs: startUs + windowUs + KEEP_UP.graceMs * 1000, windowUs: o.windowMs * 1000 });
    run.rssStartBytes = sumRss(pids);
    const bench: { rssBytes: number; serverCores: number }[] = [];
    let cpu = new CpuWindow(() => pids, () => [gen.pid, process.pid]);
    const sample = (): void => {
      const w = cpu.end();
      bench.push({ rssBytes: sumRss(pids), serverCores: w.serverUs / (w.wallMs * 1000) });
      cpu = new CpuWindow(() => pids, () => [gen.pid, process.pid]);
    };
    setTimeout(() => {
      sampler = setInterval(sample, o.windowMs);
    }, Math.max(0, (startUs - nowUs()) / 1000)).unref();
    const pr = await publisher.paced({ count, rate: pubRate, channel: () => channel, seq: (i) => 1 + i, graceMs: 10_000, startAtUs: startUs });
    if (sampler) clearInterval(sampler);
    const res = await gen.endStep(o.drainMs);
    run.rssEndBytes = sumRss(pids);
    const windows = await gen.shape<WindowStats[]>({ t: 'soak.windows' });
    run.windows = windows.map((w, i) => ({ ...w, rssBytes: bench[i]?.rssBytes ?? Number.NaN, serverCores: bench[i]?.serverCores ?? Number.NaN }));
    Object.assign(run, { expected: res.expected, delivered: res.delivered, lost: res.expected - res.delivered, duplicates: res.duplicates, outOfOrder: res.outOfOrder });
    if (pr.errors > 0) run.error = `${pr.errors} publish errors`;
    const most = Math.max(0, ...run.windows.map((w) => w.delivered));
    const full = run.windows.filter((w) => w.delivered >= most / 2); // a sliver of a window at the end is not one
    run.drift = full.length >= 2 ? full[full.length - 1]!.p99Us / full[0]!.p99Us : Number.NaN;
    log(`    ${peer.id} soak @${(rate / 1000).toFixed(1)}k/s (${run.rateSource}): ${run.windows.map((w) => `${(w.p50Us / 1000).toFixed(1)}/${(w.p99Us / 1000).toFixed(1)}`).join(' ')} ms p50/p99; drift ${run.drift.toFixed(2)}×, RSS ${(run.rssStartBytes / 2 ** 20).toFixed(0)} → ${(run.rssEndBytes / 2 ** 20).toFixed(0)} MB, lost ${run.lost}, dup ${run.duplicates}`);
  } catch (e) {
    run.error = String((e as Error).message ?? e);
    log(`    ${peer.id}: ${run.error}`);
  } finally {
    if (sampler) clearInterval(sampler);
    publisher.close();
    await gen.stop();
    await server.stop();
  }
  return run;
}
