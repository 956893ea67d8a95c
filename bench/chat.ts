/**
 * The chat shape (issue 12, item 5a): many small channels. `channels` channels with 2–10
 * subscribers each (seeded, uniform), dealt over `clients` clients from shuffled decks so every
 * client is in about the same number of channels (5,000 × 6 on average = ~30,000 subscriptions over
 * 5,000 clients: ~6 channels each). Publications go to a seeded uniformly random channel, through the
 * same HTTP publish as fan-out, at rising publications/s; each carries its channel's own seq, checked
 * per subscription. Here the per-publication cost dominates, not the socket write.
 */
import { GeneratorProcess, sleep } from './children.js';
import type { Cpus } from './children.js';
import { KEEP_UP } from './fanout.js';
import type { StepResult } from './generator.js';
import type { ChatOptions } from './options.js';
import type { Peer } from './peers.js';
import { BENCH_SECRETS, startPeer } from './peers.js';
import { cpuMicros, CpuWindow } from './proc.js';
import { nowUs, payloadOf, PAYLOAD_BYTES, Publisher } from './publisher.js';

export interface ChatStepRecord {
  /** Offered publications per second. */
  rate: number;
  publications: number;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  disconnects: number;
  publishErrors: number;
  deliveredPerSec: number;
  /** Publications answered per second by the server (the publisher's achieved rate). */
  publishedPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerDelivery: number;
  cpuUsPerPublication: number;
  /** The bench process's own CPU per publication (the HTTP publisher, mostly). */
  publisherUsPerPublication: number;
  generatorCores: number;
  foreignCores: number;
  keepsUp: boolean;
}

export interface ChatRun {
  peer: Peer['id'];
  rep: number;
  subscriptions: number;
  clients: number;
  steps: ChatStepRecord[];
  error?: string;
}

/** mulberry32: a small seeded PRNG, so every peer gets the same channels and publication order. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Channel indices of each client: every channel draws its subscribers from shuffled decks of all clients. */
export function chatLayout(o: Pick<ChatOptions, 'channels' | 'clients' | 'subscribersPerChannel' | 'seed'>): number[][] {
  const rnd = seeded(o.seed);
  const sets: number[][] = Array.from({ length: o.clients }, () => []);
  let deck: number[] = [];
  const draw = (): number => {
    if (deck.length === 0) {
      deck = Array.from({ length: o.clients }, (_, i) => i);
      for (let i = deck.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [deck[i], deck[j]] = [deck[j]!, deck[i]!];
      }
    }
    return deck.pop()!;
  };
  const { min, max } = o.subscribersPerChannel;
  for (let ch = 0; ch < o.channels; ch++) {
    const k = Math.min(o.clients, min + Math.floor(rnd() * (max - min + 1)));
    const members = new Set<number>();
    for (let tries = 0; members.size < k && tries < k * 4; tries++) members.add(draw());
    for (const m of members) sets[m]!.push(ch);
  }
  return sets;
}

export async function runChat(peer: Peer, rep: number, o: ChatOptions, cpus: { server: Cpus; generator: Cpus }, log: (s: string) => void): Promise<ChatRun> {
  const sets = chatLayout(o);
  const run: ChatRun = { peer: peer.id, rep, subscriptions: sets.reduce((n, s) => n + s.length, 0), clients: sets.filter((s) => s.length > 0).length, steps: [] };
  const names = Array.from({ length: o.channels }, (_, i) => peer.channel(`chat-${i}`));
  const server = await startPeer(peer, cpus.server);
  const gen = GeneratorProcess.start(cpus.generator);
  const publisher = new Publisher(server.info, o.publishInFlight);
  const rnd = seeded(o.seed + 1);
  const nextSeq = new Array<number>(o.channels).fill(1);
  try {
    const joined = sets.filter((s) => s.length > 0);
    const r = await gen.connect({
      kind: peer.kind, url: server.info.clientUrl, urls: server.info.clientUrls, count: joined.length, concurrency: o.concurrency,
      channelSets: joined, channelNames: names, tokenSecret: BENCH_SECRETS.tokenSecret,
    });
    if (r.failed > 0) throw new Error(`${r.failed} of ${joined.length} clients failed to connect: ${r.failures.join('; ')}`);
    await sleep(300);
    const step = async (rate: number, ms: number): Promise<ChatStepRecord> => {
      const count = Math.max(1, Math.round((rate * ms) / 1000));
      const chans = Array.from({ length: count }, () => Math.floor(rnd() * o.channels));
      const firsts = [...nextSeq];
      const counts = new Array<number>(o.channels).fill(0);
      const seqs = chans.map((c) => {
        counts[c]!++;
        return nextSeq[c]!++;
      });
      const { pids } = await server.refresh();
      const startUs = nowUs() + 30_000;
      const windowUs = (count / rate) * 1e6;
      await gen.shape({ t: 'chat.begin', firsts, counts, startUs, inTimeUs: startUs + windowUs + KEEP_UP.graceMs * 1000 });
      const cpu = new CpuWindow(() => pids, () => [gen.pid, process.pid]);
      const self0 = cpuMicros(process.pid) ?? 0;
      const gen0 = cpuMicros(gen.pid) ?? 0;
      const pr = await publisher.paced({
        count, rate, channel: (i) => names[chans[i]!]!, seq: (i) => seqs[i]!, graceMs: 10_000, startAtUs: startUs,
        data: (i, t) => payloadOf({ seq: seqs[i]!, t, c: chans[i]! }, PAYLOAD_BYTES),
      });
      const self1 = cpuMicros(process.pid) ?? 0;
      const res = await gen.shape<StepResult>({ t: 'chat.end', drainMs: o.drainMs }, o.drainMs + 60_000);
      const w = cpu.end();
      const gen1 = cpuMicros(gen.pid) ?? 0;
      const spanS = Math.max(windowUs, res.spanUs) / 1e6;
      const rec: ChatStepRecord = {
        rate, publications: count, expected: res.expected, delivered: res.delivered, lost: res.expected - res.delivered,
        duplicates: res.duplicates, outOfOrder: res.outOfOrder, disconnects: res.disconnects, publishErrors: pr.errors + (count - pr.answered),
        deliveredPerSec: res.delivered / spanS, publishedPerSec: pr.answered / Math.max(1e-3, pr.ms / 1000),
        p50Ms: res.p50Us / 1000, p99Ms: res.p99Us / 1000,
        cpuUsPerDelivery: res.delivered > 0 ? w.serverUs / res.delivered : Number.NaN,
        cpuUsPerPublication: w.serverUs / count,
        publisherUsPerPublication: (self1 - self0) / count,
        generatorCores: (gen1 - gen0) / (w.wallMs * 1000), foreignCores: w.foreignCores, keepsUp: false,
      };
      rec.keepsUp = rec.lost === 0 && rec.duplicates === 0 && rec.publishErrors === 0 && res.inTime >= KEEP_UP.inTimeShare * res.expected && rec.p99Ms <= KEEP_UP.p99Ms;
      return rec;
    };
    await step(o.rates[0]!, o.warmupMs);
    for (const rate of o.rates) {
      const rec = await step(rate, o.stepMs);
      run.steps.push(rec);
      log(`    ${peer.id} chat @${rate} pub/s: ${Math.round(rec.publishedPerSec)} pub/s answered, delivered ${Math.round(rec.deliveredPerSec)}/s, p50 ${rec.p50Ms.toFixed(1)} p99 ${rec.p99Ms.toFixed(1)} ms, lost ${rec.lost}, dup ${rec.duplicates}, ooo ${rec.outOfOrder}, cpu ${rec.cpuUsPerDelivery.toFixed(2)} µs/del ${rec.cpuUsPerPublication.toFixed(0)} µs/pub, publisher ${rec.publisherUsPerPublication.toFixed(0)} µs/pub${rec.keepsUp ? '' : ' — does not keep up'}`);
      if (!rec.keepsUp) {
        await gen.quiet(500, o.quietMaxMs);
        break;
      }
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
