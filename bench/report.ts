/**
 * Results → Markdown: one table per workload with medians over the repetitions (min–max), ratios
 * against raw ws and Socket.IO cluster computed pair by pair (per repetition, then the median of the
 * ratios), the targets of issue 6 with how far each is met or missed, the machine and versions.
 */
import type { CapacityRun } from './capacity.js';
import type { FailoverRun } from './failover.js';
import type { FanoutRun, StepRecord } from './fanout.js';
import type { FanoutMetrics } from './report-common.js';
import { byRep, fanoutMetrics, fmtRateSpread, pct, stepsOf, table, verdict } from './report-common.js';
import { redisFanoutPart, redisTargetRows } from './report-redis.js';
import { connectionSections } from './report-storm.js';
import type { OpenFileLimit } from './children.js';
import type { IdleMemoryRun } from './idle-memory.js';
import type { StormRun } from './storm.js';
import { chatTargetRows, shapesSection } from './report-shapes.js';
import type { ChatRun } from './chat.js';
import type { SizesRun } from './sizes.js';
import type { SoakRun } from './soak.js';
import type { BenchOptions } from './options.js';
import type { PeerId } from './peers.js';
import { PEERS } from './peers.js';
import type { MachineInfo } from './proc.js';
import { DISTURBED_CORES, GENERATOR_LIMITED_CORES } from './proc.js';
import { breakdownTable } from './failover-breakdown.js';
import { generatorLimitLines, keepsUpMark } from './report-common.js';
import { fmtNum, fmtRate, fmtSpread, pairedRatio, spread } from './stats.js';

export interface BenchResults {
  options: BenchOptions;
  machine: MachineInfo;
  loadAfter: [number, number, number];
  versions: Record<string, string>;
  startedAt: string;
  wallMs: number;
  capacity: CapacityRun[];
  fanout: FanoutRun[];
  failover: FailoverRun[];
  /** Workload 5: the failover on the Redis engine (a supervisor killed). */
  redisFailover: FailoverRun[];
  /** Things said plainly: skipped repetitions, errors. */
  notes: string[];
  pinned: boolean;
  /** Workload `storm`: a connect storm per peer (bench/storm.ts). Absent in results from before it. */
  storm?: StormRun[];
  /** Workload `idle-memory`: RSS per idle connection at 50k/100k (bench/idle-memory.ts). */
  idleMemory?: IdleMemoryRun[];
  /** The open-file limit the idle-memory run asked for and got. */
  openFiles?: OpenFileLimit;
  /** The shapes (issue 12, item 5 a, b, e); absent when not run. */
  chat?: ChatRun[];
  sizes?: SizesRun[];
  soak?: SoakRun[];
}

const REF_CLUSTER: PeerId = 'sio-cluster';
/** Every figure against raw ws is given against both raw ws peers: the baseline and the coalesced ceiling. */
const RAW_REFS: readonly PeerId[] = ['ws', 'ws-co'];
const REF_SHORT: Partial<Record<PeerId, string>> = { ws: 'raw ws', 'ws-co': 'raw ws coalesced', 'sio-cluster': 'SIO cluster' };

// ─── capacity ───────────────────────────────────────────────────────────────────────────────

function capacitySection(res: BenchResults): string {
  const o = res.options.capacity;
  if (!o || res.capacity.length === 0) return '';
  const reps = res.options.reps;
  const peers = o.peers;
  const top = o.levels.at(-1)!;
  const kbAt = (level: number) => (r: CapacityRun): number => {
    const l = r.levels.find((x) => x.level === level);
    return l && l.failed === 0 ? l.bytesPerConn / 1024 : Number.NaN;
  };
  const rate = (r: CapacityRun): number => {
    const ms = r.levels.reduce((s, l) => s + l.batchMs, 0);
    const n = r.levels.reduce((s, l) => s + l.batchConnected, 0);
    return ms > 0 ? n / (ms / 1000) : Number.NaN;
  };
  const cpuPerConnect = (r: CapacityRun): number => {
    const n = r.levels.reduce((s, l) => s + l.batchConnected, 0);
    return n > 0 ? r.levels.reduce((s, l) => s + l.cpuUsPerConnect * l.batchConnected, 0) / n : Number.NaN;
  };
  const peerOf = (r: CapacityRun): PeerId => r.peer;
  const vals = (peer: PeerId, f: (r: CapacityRun) => number): number[] => byRep(res.capacity, peer, reps, f, peerOf);
  const rows = peers.map((p) => [
    PEERS[p].label,
    ...o.levels.map((l) => fmtSpread(spread(vals(p, kbAt(l))), 1)),
    fmtSpread(spread(vals(p, (r) => {
      const l = r.levels.find((x) => x.level === top);
      return l && l.failed === 0 ? l.rootDeltaBytes / 1024 / l.connected : Number.NaN;
    })), 1),
    fmtSpread(spread(vals(p, rate)), 0),
    fmtSpread(spread(vals(p, cpuPerConnect)), 0),
    fmtSpread(spread(vals(p, (r) => r.baselineRss / 2 ** 20)), 0),
    fmtSpread(spread(vals(p, (r) => {
      const l = r.levels.find((x) => x.level === top);
      return l && l.failed === 0 ? l.rssDeltaBeforeGcBytes / 1024 / l.connected : Number.NaN;
    })), 1),
  ]);
  const refs = [...RAW_REFS, REF_CLUSTER].filter((r) => peers.includes(r));
  const ratio = (p: PeerId, ref: PeerId, f: (r: CapacityRun) => number): string => (p === ref ? '1' : fmtSpread(pairedRatio(vals(p, f), vals(ref, f)), 2, '×'));
  const ratioRows = refs.length === 0 ? [] : peers.filter((p) => !RAW_REFS.includes(p) || refs.length > 1).map((p) => [
    PEERS[p].label,
    ...refs.map((ref) => ratio(p, ref, kbAt(top))),
    ...refs.map((ref) => ratio(p, ref, rate)),
  ]);
  const disturbed = res.capacity.flatMap((r) => r.levels).filter((l) => l.disturbed).length;
  const all = res.capacity.flatMap((r) => r.levels).length;
  const errors = res.capacity.filter((r) => r.error).map((r) => `${PEERS[r.peer].label} rep ${r.rep + 1}: ${r.error}`);
  return [
    '## 1. Capacity and memory (idle connections)',
    '',
    'RSS Δ per connection = (RSS of every server process with N connections open − RSS before the first) / N, in KB (1024 B).',
    `Connect rate: connections opened per second by the generator (${o.concurrency} handshakes in flight; Switchboard: connect with a token through the gateway).`,
    '',
    table(['peer', ...o.levels.map((l) => `KB/conn @${fmtRate(l)}`), `of which root process @${fmtRate(top)}`, 'connect rate (conn/s)', 'server CPU µs/connect', 'baseline RSS (MB)',
      `KB/conn before GC @${fmtRate(top)}`], rows),
    '',
    'Root process: the one the bench started — Switchboard\'s supervisor (gateway, registry), Socket.IO cluster\'s primary (sticky); the rest is in the nodes or workers.',
    '',
    'Every RSS reading (the baseline too) follows a forced full GC in every server process — nodes and workers included — answered by each before the reading '
      + `(SIGUSR2 to a \`--expose-gc\` preload, bench/gc.ts); the last column is the same Δ as found, before the GC. Server processes that could not be asked or did not answer: ${res.capacity.flatMap((r) => r.levels).reduce((n, l) => n + (l.gcMissed ?? 0), 0)}.`,
    '',
    ...(ratioRows.length === 0 ? [] : [
      `Ratios, pair by pair (per repetition, then the median): KB/conn at ${fmtRate(top)} and connect rate.`,
      '',
      table(['peer', ...refs.map((r) => `KB/conn ÷ ${REF_SHORT[r]}`), ...refs.map((r) => `connect rate ÷ ${REF_SHORT[r]}`)], ratioRows),
      '',
    ]),
    `Measurement windows disturbed by other work (> ${DISTURBED_CORES} core): ${disturbed} of ${all}.`,
    ...errors.map((e) => `- error: ${e}`),
  ].join('\n');
}

// ─── fan-out ────────────────────────────────────────────────────────────────────────────────

function fanoutSection(res: BenchResults): string {
  const o = res.options.fanout;
  if (!o || res.fanout.length === 0) return '';
  const peers: PeerId[] = o.peers.filter((p) => p !== 'sb2-console');
  const parts: string[] = [
    '## 2. Fan-out (one channel, ~100-byte JSON publications, rising rates)',
    '',
    `Rates are offered deliveries per second (publications/s × subscribers); ${o.stepMs / 1000} s a step, ${o.drainMs / 1000} s drain. `
      + 'A peer\'s series stops at the first step it does not keep up with. **Keeps up**: nothing lost or duplicated, '
      + '≥ 95 % delivered by the last publication\'s due time + 0.5 s, p99 ≤ 500 ms. **p99 ≤ 100 ms**: the same without the 95 % rule, '
      + 'p99 ≤ 100 ms. "Highest" counts the unbroken run of steps from the lowest rate; 0 = not even the first step; '
      + `the top of the ladder (${fmtRate(o.rates.at(-1)!)}${Object.entries(o.extraRates).map(([n, r]) => `, ${fmtRate(r.at(-1)!)} at ${Number(n).toLocaleString('en-US')} subscribers`).join('')}) means it kept up with every step. `
      + 'CPU µs/delivery: user+sys of every server process over the step (drain included) ÷ deliveries.',
  ];
  for (const subscribers of o.subscribers) {
    const m = Object.fromEntries(peers.map((p) => [p, fanoutMetrics(res, p, subscribers)])) as Record<PeerId, FanoutMetrics>;
    const rows = peers.map((p) => [
      PEERS[p].label,
      ...o.cpuRates.map((r) => fmtSpread(spread(m[p].cpu[r]!), 2)),
      fmtSpread(spread(m[p].p50), 1),
      fmtSpread(spread(m[p].p99), 1),
      fmtRateSpread(spread(m[p].lowLatency)),
      `${fmtRateSpread(spread(m[p].keepsUp))}${keepsUpMark(res, p, subscribers)}`,
      fmtRateSpread(spread(m[p].peak)),
      fmtSpread(spread(m[p].idle.map((x) => x * 100)), 1),
    ]);
    const ratioRow = (p: PeerId, refs: readonly PeerId[]): string[] => [
      PEERS[p].label,
      ...o.cpuRates.flatMap((r) => refs.map((ref) => (p === ref ? '1' : fmtSpread(pairedRatio(m[p].cpu[r]!, m[ref].cpu[r]!), 2, '×')))),
      ...refs.map((ref) => (p === ref ? '1' : fmtSpread(pairedRatio(m[p].p99, m[ref].p99), 2, '×'))),
      ...refs.map((ref) => (p === ref ? '1' : fmtSpread(pairedRatio(m[p].keepsUp, m[ref].keepsUp), 2, '×'))),
      ...refs.map((ref) => (p === ref ? '1' : fmtSpread(pairedRatio(m[p].peak, m[ref].peak), 2, '×'))),
    ];
    const ratioHead = (refs: readonly PeerId[]): string[] => ['peer',
      ...o.cpuRates.flatMap((r) => refs.map((ref) => `CPU/delivery @${fmtRate(r)} ÷ ${REF_SHORT[ref]}`)),
      ...refs.map((ref) => `p99 @${fmtRate(o.latencyRate)} ÷ ${REF_SHORT[ref]}`),
      ...refs.map((ref) => `highest keeps up ÷ ${REF_SHORT[ref]}`),
      ...refs.map((ref) => `peak delivered/s ÷ ${REF_SHORT[ref]}`)];
    const rawRefs = RAW_REFS.filter((r) => peers.includes(r));
    parts.push(
      '',
      `### ${subscribers.toLocaleString('en-US')} subscribers`,
      '',
      table(['peer', ...o.cpuRates.map((r) => `CPU µs/delivery @${fmtRate(r)}`), `p50 ms @${fmtRate(o.latencyRate)}`, `p99 ms @${fmtRate(o.latencyRate)}`,
        'highest p99 ≤ 100 ms', 'highest keeps up', 'peak delivered/s', 'idle server CPU %'], rows),
      '',
      `Idle server CPU: % of one core used by all server processes with the subscribers connected and nothing published (${o.idleMs / 1000} s; 10 ms resolution) — `
        + 'the fixed cost (timers, pings, stats) that the CPU per delivery at low rates includes.',
      '',
      ...generatorLimitLines(res, peers, subscribers),
      '',
      ...(rawRefs.length > 0 ? [
        'Ratios against raw ws — the baseline (one frame per publication) and, where measured, the coalesced ceiling (one frame per socket per turn) — '
          + 'pair by pair (lower is better for CPU and p99, higher for rates):',
        '',
        table(ratioHead(rawRefs), peers.filter((p) => !rawRefs.includes(p) || rawRefs.length > 1).map((p) => ratioRow(p, rawRefs))),
        '',
      ] : []),
      ...(peers.includes(REF_CLUSTER) ? [
        'Ratios against Socket.IO cluster, pair by pair:',
        '',
        table(ratioHead([REF_CLUSTER]), peers.filter((p) => p !== REF_CLUSTER).map((p) => ratioRow(p, [REF_CLUSTER]))),
        '',
      ] : []),
      `<details><summary>Every step, ${subscribers.toLocaleString('en-US')} subscribers (medians over the repetitions that reached the step)</summary>`,
      '',
      stepsTable(res, [...peers, ...(o.peers.includes('sb2-console') ? ['sb2-console' as PeerId] : [])], subscribers),
      '',
      '</details>',
    );
  }
  const errors = res.fanout.filter((r) => r.error).map((r) => `${PEERS[r.peer].label} rep ${r.rep + 1}: ${r.error}`);
  if (errors.length > 0) parts.push('', ...errors.map((e) => `- error: ${e}`));
  return parts.join('\n');
}

function stepsTable(res: BenchResults, peers: PeerId[], subscribers: number): string {
  const o = res.options.fanout!;
  const rows: string[][] = [];
  for (const p of peers) {
    const runs = res.fanout.filter((r) => r.peer === p);
    for (const rate of [...o.rates, ...(o.extraRates[subscribers] ?? [])]) {
      const steps = runs.map((r) => stepsOf(r, subscribers)?.find((s) => s.rate === rate)).filter((s): s is StepRecord => s !== undefined);
      if (steps.length === 0) continue;
      const s = (f: (x: StepRecord) => number, d = 1): string => fmtSpread(spread(steps.map(f)), d);
      rows.push([
        PEERS[p].label, fmtRate(rate), `${steps.length}`, s((x) => x.deliveredPerSec, 0), s((x) => x.p50Ms), s((x) => x.p99Ms), s((x) => x.maxMs, 0),
        s((x) => x.lost, 0), s((x) => x.duplicates, 0), s((x) => x.serverUnsubscribes ?? 0, 0), s((x) => x.cpuUsPerDelivery, 2), s((x) => x.serverCores, 2),
        `${steps.filter((x) => x.keepsUp).length}/${steps.length}`, `${steps.filter((x) => x.disturbed).length}`,
        s((x) => x.generatorCores ?? Number.NaN, 2), `${steps.filter((x) => x.generatorLimited).length}`, s((x) => x.generatorLag?.p99Ms ?? Number.NaN, 0),
      ]);
    }
  }
  return table(['peer', 'offered/s', 'runs', 'delivered/s', 'p50 ms', 'p99 ms', 'max ms', 'lost', 'dup', 'unsubscribed by server', 'CPU µs/del', 'server cores', 'kept up', 'disturbed',
    'generator cores', 'generator-limited', 'generator lag p99 ms'], rows);
}

// ─── console ────────────────────────────────────────────────────────────────────────────────

/**
 * The console's cost in capacity: the highest rate at which both variants kept up in every
 * repetition, and the CPU per delivery of each there, per repetition. With the server the bottleneck
 * (all its processes share one core here), capacity goes as 1 ÷ CPU per delivery, so
 * 1 − (without ÷ with) is the share of throughput the console takes — a steadier figure than the
 * peak delivered/s, which near the ceiling moves by ±15 % from one repetition to the next.
 */
function consoleCapacityCost(res: BenchResults, subscribers: number): { rate: number; without: number[]; with: number[] } | null {
  const o = res.options.fanout!;
  const reps = res.options.reps;
  const ladder = [...o.rates, ...(o.extraRates[subscribers] ?? [])];
  const runsOf = (peer: PeerId): (FanoutRun | undefined)[] => Array.from({ length: reps }, (_, i) => res.fanout.find((r) => r.peer === peer && r.rep === i));
  const a = runsOf('sb2');
  const b = runsOf('sb2-console');
  const keptAt = (run: FanoutRun | undefined, rate: number): StepRecord | undefined => {
    const st = run ? stepsOf(run, subscribers)?.find((x) => x.rate === rate) : undefined;
    return st?.keepsUp ? st : undefined;
  };
  const present = a.map((x, i) => (x && b[i] ? i : -1)).filter((i) => i >= 0);
  if (present.length === 0) return null;
  for (const rate of [...ladder].reverse()) {
    if (present.every((i) => keptAt(a[i], rate) && keptAt(b[i], rate))) {
      return {
        rate,
        without: a.map((x) => keptAt(x, rate)?.cpuUsPerDelivery ?? Number.NaN),
        with: b.map((x) => keptAt(x, rate)?.cpuUsPerDelivery ?? Number.NaN),
      };
    }
  }
  return null;
}

function consoleSection(res: BenchResults): string {
  const o = res.options.fanout;
  if (!o || !o.peers.includes('sb2-console') || !o.peers.includes('sb2')) return '';
  const parts = [
    '## 4. Console cost',
    '',
    'The same fan-out on Switchboard with 2 nodes, with an admin API client attached (the pushes every console gets: a snapshot a second, '
      + 'series, events; and the first page of the connections list, 100 rows, asked for every second) versus none, interleaved in the same repetitions. '
      + 'Cost = 1 − (with console ÷ without), pair by pair; for CPU, p99 and idle CPU the extra share.',
  ];
  for (const subscribers of o.consoleSubscribers) {
    const a = fanoutMetrics(res, 'sb2', subscribers);
    const b = fanoutMetrics(res, 'sb2-console', subscribers);
    const cost = (x: number[], y: number[]): string => {
      const r = pairedRatio(x, y);
      if (r.n === 0) return '—';
      const pct = (v: number): string => `${((1 - v) * 100).toFixed(1)} %`;
      return r.n === 1 || r.min === r.max ? pct(r.median) : `${pct(r.median)} (${pct(r.max)} … ${pct(r.min)})`;
    };
    const extra = (x: number[], y: number[]): string => {
      const r = pairedRatio(x, y);
      if (r.n === 0) return '—';
      const pct = (v: number): string => `${((v - 1) * 100).toFixed(1)} %`;
      return r.n === 1 || r.min === r.max ? pct(r.median) : `${pct(r.median)} (${pct(r.min)} … ${pct(r.max)})`;
    };
    const cpuRate = o.cpuRates.at(-1)!;
    const cap = consoleCapacityCost(res, subscribers);
    const capHead = cap ? [`CPU µs/delivery @${fmtRate(cap.rate)} (highest both kept up with every time)`] : [];
    parts.push(
      '',
      `### ${subscribers.toLocaleString('en-US')} subscribers`,
      '',
      table(['variant', ...capHead, 'peak delivered/s', 'highest keeps up', `CPU µs/delivery @${fmtRate(cpuRate)}`, `p99 ms @${fmtRate(o.latencyRate)}`, 'idle server CPU %'], [
        [PEERS.sb2.label, ...(cap ? [fmtSpread(spread(cap.without), 2)] : []), fmtRateSpread(spread(a.peak)), fmtRateSpread(spread(a.keepsUp)),
          fmtSpread(spread(a.cpu[cpuRate]!), 2), fmtSpread(spread(a.p99), 1), fmtSpread(spread(a.idle.map((x) => x * 100)), 1)],
        [PEERS['sb2-console'].label, ...(cap ? [fmtSpread(spread(cap.with), 2)] : []), fmtRateSpread(spread(b.peak)), fmtRateSpread(spread(b.keepsUp)),
          fmtSpread(spread(b.cpu[cpuRate]!), 2), fmtSpread(spread(b.p99), 1), fmtSpread(spread(b.idle.map((x) => x * 100)), 1)],
        ['cost of the console', ...(cap ? [cost(cap.without, cap.with)] : []), cost(b.peak, a.peak), cost(b.keepsUp, a.keepsUp),
          extra(b.cpu[cpuRate]!, a.cpu[cpuRate]!), extra(b.p99, a.p99), ''],
      ]),
      '',
      cap
        ? `Throughput cost = 1 − (CPU per delivery without ÷ with) at ${fmtRate(cap.rate)}/s: with the server the bottleneck, capacity goes as 1 ÷ CPU per delivery. `
          + 'The peak delivered/s is shown too, but near the ceiling it moves by ±15 % between repetitions — more than the cost being measured.'
        : 'No rate was kept up with by both variants in every repetition: only the peak delivered/s compares them.',
    );
  }
  const watched = res.fanout.filter((r) => r.console).map((r) => r.console!);
  if (watched.length > 0) {
    parts.push('', `Admin client per run: ${watched.map((c) => `${c.answers}/${c.queries} queries answered, ${c.pushes} pushes`).join('; ')}.`);
  }
  return parts.join('\n');
}

// ─── failover ───────────────────────────────────────────────────────────────────────────────

/** The per-repetition failover table with its median row (both engines). */
export function failoverTable(runs: readonly FailoverRun[]): string {
  const rows = runs.map((r) => [
    `${r.rep + 1}`, `${r.connected.toLocaleString('en-US')}`, `${r.affected}`,
    fmtNum(pct(r.recoveryMs, 50), 0), fmtNum(pct(r.recoveryMs, 99), 0), fmtNum(pct(r.recoveryMs, 100), 0),
    `${r.notRecovered + Math.max(0, r.affected - r.recovered - r.notRecovered)}`, `${r.lost}`, `${r.duplicates}`, `${r.outOfOrder}`,
    `${fmtNum(r.phases.lost, 0)} / ${fmtNum(r.phases.reopened, 0)} / ${fmtNum(r.phases.reconnected, 0)}`,
    `${r.serverUnsubscribes ?? 0}`, `${r.published}`, `${r.publishErrors}`, r.disturbed ? `yes (${r.foreignCores.toFixed(2)})` : 'no',
    ...failoverGeneratorCells(r), r.error ?? '',
  ]);
  const s = (f: (r: FailoverRun) => number, d = 0): string => fmtSpread(spread(runs.map(f)), d);
  rows.push([
    '**median (min–max)**', '', s((r) => r.affected), s((r) => pct(r.recoveryMs, 50)), s((r) => pct(r.recoveryMs, 99)), s((r) => pct(r.recoveryMs, 100)),
    s((r) => r.notRecovered + Math.max(0, r.affected - r.recovered - r.notRecovered)), s((r) => r.lost), s((r) => r.duplicates), s((r) => r.outOfOrder),
    `${s((r) => r.phases.lost)} / ${s((r) => r.phases.reopened)} / ${s((r) => r.phases.reconnected)}`, s((r) => r.serverUnsubscribes ?? 0), '', '', '',
    s((r) => r.generatorCores ?? Number.NaN, 2), `${s((r) => r.generatorLag?.p99Ms ?? Number.NaN)} / ${s((r) => r.generatorLag?.maxMs ?? Number.NaN)}`,
    s((r) => (r.timeouts ? r.timeouts.open + r.timeouts.connect + r.timeouts.subscribe : Number.NaN)), '',
  ]);
  return table(['rep', 'clients', 'affected', 'recovered p50 ms', 'p99 ms', 'max ms', 'not recovered', 'lost', 'duplicates', 'out of order',
    'median ms to: loss seen / socket open / connected', 'unsubscribed by server', 'published', 'publish errors', 'disturbed',
    'generator cores', 'generator lag p99 / max ms', 'connect timeouts (open/connect/subscribe)', 'error'], rows);
}

/** The generator's side of a failover run: its CPU (limited?), its event-loop lag, the connect timeouts. */
function failoverGeneratorCells(r: FailoverRun): string[] {
  const t = r.timeouts;
  return [
    r.generatorCores === undefined ? '—' : `${r.generatorCores.toFixed(2)}${r.generatorLimited ? ' (limited)' : ''}`,
    r.generatorLag ? `${fmtNum(r.generatorLag.p99Ms, 0)} / ${fmtNum(r.generatorLag.maxMs, 0)}` : '—',
    t ? `${t.open + t.connect + t.subscribe} (${t.open}/${t.connect}/${t.subscribe})` : '—',
  ];
}

function failoverSection(res: BenchResults): string {
  const o = res.options.failover;
  if (!o || res.failover.length === 0) return '';
  return [
    '## 3. Failover (Switchboard only)',
    '',
    `${o.clients.toLocaleString('en-US')} clients on ${o.nodes} nodes, ${o.channels} channels (\`feed:\` namespace, history and recovery), `
      + `a backend publishing ${o.publishRate}/s round robin through the HTTP API; ${o.beforeKillMs / 1000} s after publishing starts one node is SIGKILLed by pid. `
      + `Its clients reconnect like centrifuge-js (backoff ${o.reconnect.minDelayMs} ms + full jitter, so the first retry comes 0.5–1 s after the loss) `
      + 'and resubscribe with `recover`, `offset` and `epoch` (also after an `unsubscribe` push with a code ≥ 2500, e.g. 2500 "insufficient state", as centrifuge-js does; those pushes are counted). Time to recovered = from the kill until the subscribe reply with `recovered: true` '
      + 'arrived and its publications were applied. Lost = publications some client never got; duplicates = the same publication delivered twice to a client.',
    '',
    failoverTable(res.failover),
    '',
    'The phases are medians over the affected clients, from the kill: the client saw its connection close; its new WebSocket was open '
      + '(the gateway had handed the socket to a node and the node answered 101); the connect reply arrived. Recovered (the subscribe '
      + 'reply with `recovered: true`) follows. Generator: its CPU over the window (cores; "limited" at ≥ '
      + `${GENERATOR_LIMITED_CORES}) and its event-loop lag (how late a 10 ms timer ran), reported apart from the recovery figures it may inflate. `
      + 'Connect timeouts: reconnect attempts closed by centrifuge-js 5.8\'s 5 s `timeout` (socket not open, connect or subscribe reply not in) and redialled after the backoff.',
    '',
    '### What the recovery time is made of',
    '',
    breakdownTable(res.failover.map((r) => r.breakdown)),
  ].join('\n');
}

// ─── targets ────────────────────────────────────────────────────────────────────────────────

function targetsSection(res: BenchResults): string {
  const lines: string[] = ['## Targets (issues 6, 10 and 12)', '', table(['target', 'measured (median, min–max)', 'verdict'], targetRows(res), ['l', 'l', 'l'])];
  return lines.join('\n');
}


function targetRows(res: BenchResults): string[][] {
  const rows: string[][] = [];
  const reps = res.options.reps;
  const cap = res.options.capacity;
  if (cap) {
    const top = cap.levels.at(-1)!;
    for (const p of ['sb1', 'sb2'] as PeerId[]) {
      const v = byRep(res.capacity, p, reps, (r) => {
        const l = r.levels.find((x) => x.level === top);
        return l ? l.bytesPerConn / 1024 : Number.NaN;
      }, (r) => r.peer);
      const s = spread(v);
      rows.push([`idle memory ≤ 10 KB/conn at ${fmtRate(top)} — ${PEERS[p].label}`, `${fmtSpread(s, 1)} KB`,
        verdict(s.n ? s.median <= 10 : null, `by ${fmtNum(s.median - 10, 1)} KB (${fmtNum((s.median / 10 - 1) * 100, 0)} %)`)]);
    }
  }
  const fo = res.options.fanout;
  if (fo && RAW_REFS.some((r) => fo.peers.includes(r))) {
    const subs = fo.subscribers.at(-1)!;
    for (const ref of RAW_REFS.filter((r) => fo.peers.includes(r))) rows.push(...rawTargetRows(res, ref, subs));
    if (fo.peers.includes('sb2-console')) {
      for (const s of fo.consoleSubscribers) {
        const cap = consoleCapacityCost(res, s);
        const a = fanoutMetrics(res, 'sb2', s);
        const b = fanoutMetrics(res, 'sb2-console', s);
        const peak = pairedRatio(b.peak, a.peak);
        const r = cap ? pairedRatio(cap.without, cap.with) : peak;
        const cost = (1 - r.median) * 100;
        rows.push([`console attached costs ≤ 5 % throughput (${s.toLocaleString('en-US')} subs${cap ? `, CPU per delivery at ${fmtRate(cap.rate)}/s` : ', peak delivered/s'})`,
          r.n ? `${fmtNum(cost, 1)} % (ratio ${fmtSpread(r, 3, '×')}); peak delivered/s ratio ${fmtSpread(peak, 3, '×')}` : '—',
          verdict(r.n ? cost <= 5 : null, `by ${fmtNum(cost - 5, 1)} points`)]);
      }
    }
  }
  if (res.options.failover && res.failover.length > 0) rows.push(...failoverTargetRows(res.failover, 'failover', true));
  rows.push(...redisTargetRows(res));
  if (res.options.redisFailover && res.redisFailover.length > 0) rows.push(...failoverTargetRows(res.redisFailover, 'Redis engine, supervisor killed', false));
  rows.push(...chatTargetRows(res));
  return rows;
}

/** Switchboard against one raw ws peer (the baseline `ws`, or the coalesced ceiling `ws-co`): the targets of issue 6, each a row. */
function rawTargetRows(res: BenchResults, ref: PeerId, subs: number): string[][] {
  const fo = res.options.fanout!;
  const rows: string[][] = [];
  const name = REF_SHORT[ref]!;
  const ws = fanoutMetrics(res, ref, subs);
  for (const p of ['sb1', 'sb2'] as PeerId[]) {
    if (!fo.peers.includes(p)) continue;
    const m = fanoutMetrics(res, p, subs);
    const ku = pairedRatio(m.keepsUp, ws.keepsUp);
    rows.push([`${subs.toLocaleString('en-US')} subs: keeps up at least as far as ${name} — ${PEERS[p].label}`,
      `${fmtRateSpread(spread(m.keepsUp))} vs ${fmtRateSpread(spread(ws.keepsUp))}; ratio ${fmtSpread(ku, 2, '×')}`,
      verdict(ku.n ? ku.median >= 1 : null, `reaches ${fmtNum(ku.median * 100, 0)} % of ${name}'s rate`)]);
    const p99 = pairedRatio(m.p99, ws.p99);
    rows.push([`${subs.toLocaleString('en-US')} subs: p99 at ${fmtRate(fo.latencyRate)}/s no worse than ${name} — ${PEERS[p].label}`,
      `${fmtSpread(spread(m.p99), 1)} ms vs ${fmtSpread(spread(ws.p99), 1)} ms; ratio ${fmtSpread(p99, 2, '×')}`,
      verdict(p99.n ? p99.median <= 1 : null, `${fmtNum((p99.median - 1) * 100, 0)} % higher`)]);
    for (const rate of fo.cpuRates) {
      const c = pairedRatio(m.cpu[rate]!, ws.cpu[rate]!);
      rows.push([`${subs.toLocaleString('en-US')} subs: server CPU/delivery at ${fmtRate(rate)}/s ≤ 1.1× ${name} — ${PEERS[p].label}`,
        `${fmtSpread(spread(m.cpu[rate]!), 2)} µs vs ${fmtSpread(spread(ws.cpu[rate]!), 2)} µs; ratio ${fmtSpread(c, 2, '×')}`,
        verdict(c.n ? c.median <= 1.1 : null, `${fmtNum(c.median, 2)}× (${fmtNum((c.median / 1.1 - 1) * 100, 0)} % over the bar)`)]);
    }
  }
  return rows;
}

/** What the header says about the Node/V8 flags: the option, and the flags /proc showed for each peer's processes (capacity). */
function flagsLine(res: BenchResults): string {
  const mode = res.options.capacity?.v8Flags ?? res.options.fanout?.v8Flags ?? 'shipped';
  const seen = new Map<string, Set<PeerId>>();
  for (const r of res.capacity) {
    for (const f of r.flags ?? []) {
      const key = f.length === 0 ? '(none)' : f.join(' ');
      if (!seen.has(key)) seen.set(key, new Set());
      seen.get(key)!.add(r.peer);
    }
  }
  const what = mode === 'shipped' ? 'Switchboard\'s shipped flags (shared/v8-flags.ts) for every peer\'s server processes' : 'Node\'s defaults for every peer, Switchboard\'s supervisor and nodes included';
  const observed = seen.size === 0 ? 'not read (no capacity run)'
    : [...seen].map(([k, ps]) => `\`${k}\` (${[...ps].map((p) => PEERS[p].label).join(', ')})`).join('; ');
  return `**Runtime flags:** \`--v8-flags=${mode}\`: ${what}; the bench adds \`--expose-gc\` and its GC preload to every server process (NODE_OPTIONS). `
    + `Flags seen in /proc of every server process (root, nodes, workers): ${observed}. Failover always runs with the shipped flags.`;
}

function redisSection(res: BenchResults): string {
  const fan = redisFanoutPart(res);
  const fo = res.options.redisFailover;
  const failover = fo && res.redisFailover.length > 0;
  if (fan.length === 0 && !failover) return '';
  const parts = [
    '## 5. Redis engine (issue 10)',
    '',
    'The memory engine (1 supervisor × 2 nodes, the fan-out peer above) against the Redis engine (2 supervisors × 1 node on one redis-server '
      + 'the bench starts: Debian\'s `redis-server`, `--save \'\' --appendonly no`, on a free port, ended by pid). Both run the same fan-out ladder, '
      + 'interleaved in the same repetitions. On Redis the subscribers are split over the two supervisors (client i connects to supervisor i mod 2) '
      + 'and publications go to supervisor 1\'s HTTP API, so half of the deliveries cross Redis. CPU per delivery counts every server process, '
      + 'redis-server included (it is pinned with them); Redis CPU per publication is redis-server\'s own CPU over the series ÷ publications.',
    ...fan,
  ];
  if (failover) {
    parts.push(
      '',
      '### Failover: a supervisor SIGKILLed',
      '',
      `${fo.clients.toLocaleString('en-US')} clients split over ${fo.supervisors ?? 2} supervisors (${fo.nodes} node each) on one Redis, ${fo.channels} channels, `
        + `${fo.publishRate} publications/s through supervisor 1's HTTP API; ${fo.beforeKillMs / 1000} s after publishing starts the last supervisor is SIGKILLed by pid `
        + '(its node exits with it). Its clients, with the client model of section 3 (centrifuge-js backoff, `recover` with offset and epoch), reconnect '
        + 'directly to the next address they were given — the surviving supervisor\'s client port, no load balancer — and recover from Redis. '
        + 'Unpinned, like section 3; server CPU includes redis-server.',
      '',
      failoverTable(res.redisFailover),
      '',
      `redis-server CPU over the failover window, per repetition: ${res.redisFailover.map((r) => (r.redisCores === null ? '—' : `${(r.redisCores * 100).toFixed(1)} %`)).join(', ')} of a core.`,
    );
  }
  return parts.join('\n');
}

/** 0 lost, 0 duplicates (and, for the node failover of issue 6, p99 time to recovered ≤ 3 s). */
function failoverTargetRows(all: readonly FailoverRun[], label: string, p99Target: boolean): string[][] {
  const runs = all.filter((r) => !r.error);
  const lost = runs.map((r) => r.lost);
  const dup = runs.map((r) => r.duplicates);
  const notRec = runs.map((r) => r.notRecovered + Math.max(0, r.affected - r.recovered - r.notRecovered));
  const p99 = spread(runs.map((r) => pct(r.recoveryMs, 99)));
  const none = runs.length === 0 ? null : undefined;
  const rows = [
    [`${label}: 0 publications lost`, `${lost.join(', ')} (per repetition); not recovered: ${notRec.join(', ')}`,
      verdict(none ?? lost.every((x) => x === 0), `${Math.max(...lost)} lost`)],
    [`${label}: 0 duplicates delivered`, `${dup.join(', ')} (per repetition)`, verdict(none ?? dup.every((x) => x === 0), `${Math.max(...dup)} duplicates`)],
  ];
  if (p99Target) {
    rows.push([`${label}: p99 time to recovered ≤ 3 s`, `${fmtSpread(p99, 0)} ms`,
      verdict(p99.n ? p99.median <= 3000 && notRec.every((x) => x === 0) : null, `${fmtNum(p99.median, 0)} ms`)]);
  }
  return rows;
}

// ─── whole document ─────────────────────────────────────────────────────────────────────────

/** The largest foreign processes of the window with the most foreign load (fan-out and failover windows). */
function topForeign(res: BenchResults): string {
  const windows = [...res.fanout.flatMap((r) => r.series.flatMap((s) => s.steps)), ...res.failover, ...res.redisFailover];
  const worst = windows.reduce<(typeof windows)[number] | null>((w, x) => (w === null || x.foreignCores > w.foreignCores ? x : w), null);
  return worst?.foreignTop && worst.foreignTop.length > 0 ? ` (there: ${worst.foreignTop.join(', ')})` : '';
}

function scanCost(steps: readonly StepRecord[]): string {
  const ms = steps.map((s) => s.procScanMs).filter((x): x is number => x !== undefined);
  return ms.length === 0 ? '' : `One /proc scan (two per window) cost the bench process ${fmtNum(pct(ms, 50), 1)} ms (median; max ${fmtNum(Math.max(...ms), 1)} ms).`;
}

export function renderReport(res: BenchResults): string {
  const m = res.machine;
  const o = res.options;
  const steps = res.fanout.flatMap((r) => r.series.flatMap((s) => s.steps));
  const disturbedSteps = steps.filter((s) => s.disturbed).length;
  const maxForeign = Math.max(0, ...steps.map((s) => s.foreignCores), ...res.capacity.flatMap((r) => r.levels.map((l) => l.foreignCores)),
    ...res.failover.map((r) => r.foreignCores), ...res.redisFailover.map((r) => r.foreignCores));
  const header = [
    o.quick ? '# Switchboard benchmark — quick run (development figures, 1 repetition)' : '# Switchboard benchmark',
    '',
    `Run ${res.startedAt}, ${(res.wallMs / 60_000).toFixed(1)} min, ${o.reps} repetition${o.reps === 1 ? '' : 's'} per workload`
      + `${o.quick ? ' (quick mode: one repetition, fewer and shorter steps — not for comparison)' : ''}. Produced by \`npm run bench${o.quick ? ' -- --quick' : ''}\`; `
      + 'every figure below comes from this run. The method is in `docs/benchmark.md`.',
    '',
    `**Machine:** ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB; ${m.kernel}; Node ${m.node}. `
      + `Load average before ${m.loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after ${res.loadAfter.map((x) => x.toFixed(2)).join(' / ')}.`,
    '',
    `**Versions:** ${Object.entries(res.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
    `**Pinning:** ${res.pinned ? 'capacity and fan-out: server processes (all of them, redis-server included) on core 0, the generator on core 1 (`taskset`); failover unpinned; the bench process itself (publisher, admin client, /proc sampling) unpinned' : 'none'}.`,
    '',
    flagsLine(res),
    '',
    `**Background load:** ${disturbedSteps} of ${steps.length} fan-out steps were disturbed (other work used > ${DISTURBED_CORES} of a core on average: `
      + 'the CPU of every process outside the bench\'s own process trees, from a /proc scan at each window\'s start and end); '
      + `the most foreign load seen in any window: ${maxForeign.toFixed(2)} cores${topForeign(res)}. ${scanCost(steps)}`,
  ];
  if (res.notes.length > 0) header.push('', '**Notes:**', '', ...res.notes.map((n) => `- ${n}`));
  const sections = [targetsSection(res), capacitySection(res), fanoutSection(res), failoverSection(res), consoleSection(res), redisSection(res), connectionSections(res), shapesSection(res)].filter((s) => s !== '');
  return `${[header.join('\n'), ...sections].join('\n\n')}\n`;
}
