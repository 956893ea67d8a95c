/**
 * Sections 6–8 of the report: the chat shape, the message-size sweep and the soak (issue 12,
 * item 5 a, b, e). Medians over repetitions with min–max; ratios pair by pair against raw ws, and
 * against the coalesced raw-ws peer (`ws-co`) whenever the run has it.
 */
import type { ChatRun, ChatStepRecord } from './chat.js';
import type { PeerId } from './peers.js';
import { PEERS } from './peers.js';
import { table, verdict } from './report-common.js';
import type { BenchResults } from './report.js';
import type { SizesRun } from './sizes.js';
import { DRIFT_LIMIT } from './soak.js';
import type { SoakRun } from './soak.js';
import { fmtNum, fmtSpread, pairedRatio, spread } from './stats.js';
import { PUBLISHER_IN_FLIGHT } from './publisher.js';

/** The raw-ws peers Switchboard is compared with, when present: the plain one and the coalesced ceiling. */
const REFS = ['ws', 'ws-co'];
const SB: PeerId[] = ['sb1', 'sb2'];

const label = (p: PeerId): string => PEERS[p]?.label ?? p;
const f = (values: number[], digits = 1): string => fmtSpread(spread(values), digits);

function perRep<R extends { peer: PeerId; rep: number }>(runs: readonly R[], peer: PeerId, reps: number, v: (r: R) => number): number[] {
  const out = Array.from({ length: reps }, () => Number.NaN);
  for (const r of runs) if (r.peer === peer && r.rep < reps) out[r.rep] = v(r);
  return out;
}

/** The chat-shape CPU per delivery at the ratio rate, per repetition (NaN where not measured). */
function chatCpu(res: BenchResults, peer: PeerId): number[] {
  const o = res.options.chat!;
  return perRep(res.chat ?? [], peer, res.options.reps, (r) => r.steps.find((s) => s.rate === o.cpuRate)?.cpuUsPerDelivery ?? Number.NaN);
}

/** Issue 12's chat-shape target for the report's target table: CPU per delivery ≤ 1.3× the coalesced raw-ws peer. */
export function chatTargetRows(res: BenchResults): string[][] {
  const o = res.options.chat;
  const runs = res.chat ?? [];
  if (!o || !runs.some((r) => r.peer === 'ws-co')) return [];
  return SB.filter((p) => runs.some((r) => r.peer === p)).map((p) => {
    const ratio = pairedRatio(chatCpu(res, p), chatCpu(res, 'ws-co'));
    return [`chat shape: server CPU/delivery at ${fmtNum(o.cpuRate, 0)} pub/s ≤ 1.3× raw ws coalesced — ${label(p)}`,
      `${f(chatCpu(res, p), 2)} µs vs ${f(chatCpu(res, 'ws-co'), 2)} µs; ratio ${fmtSpread(ratio, 2, '×')}`,
      verdict(ratio.n ? ratio.median <= 1.3 : null, `${fmtSpread(ratio, 2, '×')}`)];
  });
}

const OUT_OF_ORDER = (inFlight: number): string => `**Out of order** counts a publication that reached a subscriber after a later one of the same channel. The publisher keeps ${inFlight} requests in flight on separate keep-alive connections, and no peer orders requests that arrive on different connections: two publications sent a moment apart may be taken in either order, and each such inversion counts once per subscriber of the channel. It measures the publisher's concurrency meeting the server's scheduling, not a delivery fault (lost and duplicates are checked apart).`;

function chatSection(res: BenchResults): string {
  const o = res.options.chat;
  const runs = res.chat ?? [];
  if (!o || runs.length === 0) return '';
  const reps = res.options.reps;
  const at = (r: ChatRun, rate: number, v: (s: ChatStepRecord) => number): number => {
    const s = r.steps.find((x) => x.rate === rate);
    return s ? v(s) : Number.NaN;
  };
  const highest = (r: ChatRun): number => {
    let best = 0;
    for (const s of r.steps) {
      if (!s.keepsUp) break;
      best = s.rate;
    }
    return best;
  };
  const peers = o.peers.filter((p) => runs.some((r) => r.peer === p));
  const rows: string[][] = [];
  for (const p of peers) {
    for (const rate of o.rates) {
      const v = (g: (s: ChatStepRecord) => number): number[] => perRep(runs, p, reps, (r) => at(r, rate, g));
      if (v((s) => s.publications).every((x) => !Number.isFinite(x))) continue;
      rows.push([label(p), fmtNum(rate, 0), f(v((s) => s.publishedPerSec), 0), f(v((s) => s.deliveredPerSec), 0), f(v((s) => s.cpuUsPerDelivery), 2),
        f(v((s) => s.cpuUsPerPublication), 0), f(v((s) => s.p50Ms)), f(v((s) => s.p99Ms)),
        `${f(v((s) => s.lost), 0)} / ${f(v((s) => s.duplicates), 0)} / ${f(v((s) => s.outOfOrder), 0)}`, f(v((s) => s.generatorCores), 2),
        v((s) => (s.keepsUp ? 1 : 0)).filter((x) => x === 1).length === v((s) => s.publications).filter(Number.isFinite).length ? 'yes' : '**no**']);
    }
  }
  const summary = peers.map((p) => [label(p), f(perRep(runs, p, reps, highest), 0), f(perRep(runs, p, reps, (r) => at(r, o.cpuRate, (s) => s.cpuUsPerDelivery)), 2)]);
  const refs = REFS.filter((x) => peers.includes(x as PeerId)) as PeerId[];
  const ratioRows = peers.filter((p) => !refs.includes(p)).map((p) => [label(p), ...refs.map((ref) => {
    const cpu = (q: PeerId): number[] => perRep(runs, q, reps, (r) => at(r, o.cpuRate, (s) => s.cpuUsPerDelivery));
    const ratio = pairedRatio(cpu(p), cpu(ref));
    const target = SB.includes(p) && (ref as string) === 'ws-co' ? (ratio.n === 0 ? '' : ratio.median <= 1.3 ? ' (target ≤ 1.3×: met)' : ' (target ≤ 1.3×: **missed**)') : '';
    return `${fmtSpread(ratio, 2, '×')}${target}`;
  })]);
  const pubUs = runs.flatMap((r) => r.steps.map((s) => s.publisherUsPerPublication)).filter(Number.isFinite);
  const pubLimit = pubUs.length > 0 ? 1e6 / spread(pubUs).median : Number.NaN;
  const subs = runs[0]!;
  return [
    '## 8. Chat shape (many small channels)',
    '',
    `${fmtNum(o.channels, 0)} channels with ${o.subscribersPerChannel.min}–${o.subscribersPerChannel.max} subscribers each (seed ${o.seed}, uniform): ${fmtNum(subs.subscriptions, 0)} subscriptions over ${fmtNum(subs.clients, 0)} clients (~${(subs.subscriptions / subs.clients).toFixed(1)} channels each). `
      + `~100-byte publications, each to a seeded uniformly random channel, through the same HTTP publish as fan-out (${o.publishInFlight} requests in flight on keep-alive connections); each channel has its own seqs, checked per subscription. `
      + `Rates are offered publications/s; ${(o.stepMs / 1000).toFixed(1)} s a step; a series stops at the first step that does not keep up (fan-out's rule). CPU: every server process, user+sys, over the step and drain.`,
    '',
    `**Publisher limit:** the bench process spent ${fmtNum(spread(pubUs).median, 0)} µs of CPU per publication (median over all steps; HTTP client, scheduling, /proc sampling), so it cannot offer more than ~${fmtNum(pubLimit, 0)} publications/s on one core — compare the "answered pub/s" column with the offered rate: where it falls short the publisher, not the server, was the limit.`,
    '',
    table(['peer', 'offered pub/s', 'answered pub/s', 'delivered/s', 'CPU µs/delivery', 'CPU µs/publication', 'p50 ms', 'p99 ms', 'lost / dup / out of order', 'generator cores', 'keeps up'], rows),
    '',
    OUT_OF_ORDER(o.publishInFlight),
    '',
    `Highest publications/s that keeps up, and CPU µs/delivery at ${fmtNum(o.cpuRate, 0)} pub/s:`,
    '',
    table(['peer', 'highest keeps up (pub/s)', `CPU µs/delivery @${fmtNum(o.cpuRate, 0)} pub/s`], summary),
    ...(refs.length > 0 && ratioRows.length > 0 ? ['', `CPU µs/delivery @${fmtNum(o.cpuRate, 0)} pub/s ÷ the raw-ws peers, pair by pair (issue 12 target for Switchboard: ≤ 1.3× the coalesced raw-ws peer${refs.includes('ws-co' as PeerId) ? '' : ', which this run does not have: shown against plain raw ws only'}):`, '',
      table(['peer', ...refs.map((r) => `÷ ${label(r)}`)], ratioRows)] : []),
  ].join('\n');
}

function sizesSection(res: BenchResults): string {
  const o = res.options.sizes;
  const runs: SizesRun[] = res.sizes ?? [];
  if (!o || runs.length === 0) return '';
  const reps = res.options.reps;
  const rows: string[][] = [];
  for (const p of o.peers.filter((q) => runs.some((r) => r.peer === q))) {
    for (const { bytes, rate } of o.sizes) {
      const v = (g: (s: SizesRun['steps'][number]) => number): number[] => perRep(runs, p, reps, (r) => {
        const s = r.steps.find((x) => x.bytes === bytes);
        return s ? g(s) : Number.NaN;
      });
      const n = v(() => 1).filter(Number.isFinite).length;
      if (n === 0) continue;
      rows.push([label(p), fmtNum(bytes, 0), fmtNum(rate, 0), fmtNum((rate * bytes) / 1e6, 1), f(v((s) => s.deliveredPerSec), 0), f(v((s) => s.cpuUsPerDelivery), 2), f(v((s) => s.cpuUsPerKb), 2),
        f(v((s) => s.p50Ms)), f(v((s) => s.p99Ms)), f(v((s) => s.lost), 0), f(v((s) => s.generatorCores), 2),
        v((s) => (s.keepsUp ? 1 : 0)).filter((x) => x === 1).length === n ? 'yes' : '**no**']);
    }
  }
  return [
    '## 9. Message size sweep',
    '',
    `One channel, ${fmtNum(o.subscribers, 0)} subscribers; payloads of ${o.sizes.map((s) => `${fmtNum(s.bytes, 0)} B`).join(', ')} (JSON data, padded) at fixed offered delivery rates — offered MB/s is rate × size, what loopback and the generator (one JSON.parse per delivery) must carry. `
      + 'Every size runs even when the previous did not keep up. "Generator cores" near 1.0 marks a step the generator, not the server, limited.',
    '',
    table(['peer', 'bytes', 'offered deliveries/s', 'offered MB/s', 'delivered/s', 'CPU µs/delivery', 'CPU µs/KB', 'p50 ms', 'p99 ms', 'lost', 'generator cores', 'keeps up'], rows),
  ].join('\n');
}

function soakSection(res: BenchResults): string {
  const o = res.options.soak;
  const runs: SoakRun[] = res.soak ?? [];
  if (!o || runs.length === 0) return '';
  const mb = (b: number): string => fmtNum(b / 2 ** 20, 0);
  const rows = runs.map((r) => [label(r.peer), String(r.rep + 1), `${fmtNum(r.rate / 1000, 1)}k (${r.rateSource})`,
    r.windows.map((w) => `${fmtNum(w.p50Us / 1000)} / ${fmtNum(w.p99Us / 1000)}`).join('; '),
    Number.isFinite(r.drift) ? `${r.drift.toFixed(2)}×` : '—', `${mb(r.rssStartBytes)} → ${mb(r.rssEndBytes)}`,
    `${r.lost} / ${r.duplicates} / ${r.outOfOrder}`,
    r.error ? `error: ${r.error}` : !Number.isFinite(r.drift) ? 'not measured' : r.drift <= DRIFT_LIMIT && r.lost === 0 ? 'stable' : `**drifts**${r.lost > 0 ? ' (lost)' : ''}`]);
  return [
    '## 10. Soak',
    '',
    `One channel, ${fmtNum(o.subscribers, 0)} subscribers, ${(o.durationMs / 1000).toFixed(0)} s of publishing at ${o.fanoutShare}× the highest rate the same run's fan-out kept up with at ${fmtNum(o.subscribers, 0)} subscribers (median over its repetitions), or ${fmtNum(o.defaultRate / 1000, 0)}k deliveries/s without one. `
      + `p50 / p99 in ms per ${(o.windowMs / 1000).toFixed(0)} s window of publication time; drift = last window's p99 ÷ the first's (stable: ≤ ${DRIFT_LIMIT}× and nothing lost); RSS of every server process, summed, at the start and end (MB). At most ${o.reps} repetition(s).`,
    '',
    table(['peer', 'rep', 'deliveries/s', 'p50 / p99 ms per window', 'drift', 'RSS MB', 'lost / dup / out of order', 'verdict'], rows),
    '',
    OUT_OF_ORDER(PUBLISHER_IN_FLIGHT),
  ].join('\n');
}

/** Sections 6–8, or '' when none of the shapes ran. */
export function shapesSection(res: BenchResults): string {
  return [chatSection(res), sizesSection(res), soakSection(res)].filter((s) => s !== '').join('\n\n');
}
