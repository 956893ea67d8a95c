/**
 * The Redis engine's fan-out rows (issue 10): the memory engine (1 supervisor × 2 nodes) against
 * the Redis engine (2 supervisors × 1 node) on the same ladder — latency, peak deliveries/s and its
 * ratio, CPU per delivery with redis-server counted, and redis-server's CPU per publication.
 */
import type { FanoutRun, StepRecord } from './fanout.js';
import type { PeerId } from './peers.js';
import { PEERS, REDIS_BASELINE } from './peers.js';
import type { BenchResults } from './report.js';
import { byRep, fanoutMetrics, fmtRateSpread, stepsOf, table, verdict } from './report-common.js';
import { fmtNum, fmtRate, fmtSpread, pairedRatio, spread } from './stats.js';

const REDIS: PeerId = 'sb2-redis';
/** Issue 10: the Redis engine's peak deliveries/s at least 0.8× the memory engine's. */
export const REDIS_PEAK_RATIO_TARGET = 0.8;

function compared(res: BenchResults): boolean {
  const o = res.options.fanout;
  return !!o && o.peers.includes(REDIS) && o.peers.includes(REDIS_BASELINE) && res.fanout.some((r) => r.peer === REDIS);
}

/**
 * Per repetition, over every reported step of the series (warm-up excluded): redis-server's CPU ÷
 * publications, or its share of all server CPU. Summed over the series because /proc counts CPU in
 * 10 ms ticks: one step holds only a few of redis-server's.
 */
function redisPerRep(res: BenchResults, subscribers: number, f: (redisUs: number, pubs: number, serverUs: number) => number): number[] {
  const value = (r: FanoutRun): number => {
    const steps = stepsOf(r, subscribers);
    if (!steps || steps.length === 0 || steps.some((s) => s.redisCpuUs === null)) return Number.NaN;
    const sum = (g: (s: StepRecord) => number): number => steps.reduce((t, s) => t + g(s), 0);
    return f(sum((s) => s.redisCpuUs!), sum((s) => s.publications), sum((s) => s.serverCpuUs));
  };
  return byRep(res.fanout, REDIS, res.options.reps, value, (r) => r.peer);
}

function idleRedis(res: BenchResults, subscribers: number): number[] {
  const value = (r: FanoutRun): number => (r.series.find((s) => s.subscribers === subscribers)?.idleRedisCores ?? Number.NaN) * 100;
  return byRep(res.fanout, REDIS, res.options.reps, value, (r) => r.peer);
}

/** The tables of the fan-out part of section 5 (empty without both engines in the run). */
export function redisFanoutPart(res: BenchResults): string[] {
  if (!compared(res)) return [];
  const o = res.options.fanout!;
  const parts: string[] = [];
  for (const subscribers of o.subscribers) {
    const mem = fanoutMetrics(res, REDIS_BASELINE, subscribers);
    const red = fanoutMetrics(res, REDIS, subscribers);
    const perPub = redisPerRep(res, subscribers, (redis, pubs) => redis / pubs);
    const share = redisPerRep(res, subscribers, (redis, _pubs, server) => (100 * redis) / server);
    const head = ['engine', `p50 ms @${fmtRate(o.latencyRate)}`, `p99 ms @${fmtRate(o.latencyRate)}`, 'peak delivered/s', 'highest keeps up',
      ...o.cpuRates.map((r) => `CPU µs/delivery @${fmtRate(r)} (redis incl.)`), 'Redis CPU µs/publication (series)', 'Redis share of server CPU (series)',
      'Redis idle CPU %'];
    const row = (label: string, m: typeof mem, redis: boolean): string[] => [
      label, fmtSpread(spread(m.p50), 1), fmtSpread(spread(m.p99), 1), fmtRateSpread(spread(m.peak)), fmtRateSpread(spread(m.keepsUp)),
      ...o.cpuRates.map((r) => fmtSpread(spread(m.cpu[r]!), 2)),
      redis ? fmtSpread(spread(perPub), 0) : '—',
      redis ? `${fmtSpread(spread(share), 0)} %` : '—',
      redis ? fmtSpread(spread(idleRedis(res, subscribers)), 1) : '—',
    ];
    const ratio = (a: number[], b: number[]): string => fmtSpread(pairedRatio(a, b), 2, '×');
    parts.push(
      '',
      `### ${subscribers.toLocaleString('en-US')} subscribers`,
      '',
      table(head, [
        row(PEERS[REDIS_BASELINE].label, mem, false),
        row(PEERS[REDIS].label, red, true),
        ['Redis ÷ memory, pair by pair', ratio(red.p50, mem.p50), ratio(red.p99, mem.p99), ratio(red.peak, mem.peak), ratio(red.keepsUp, mem.keepsUp),
          ...o.cpuRates.map((r) => ratio(red.cpu[r]!, mem.cpu[r]!)), '', '', ''],
      ]),
    );
  }
  parts.push(
    '',
    `Peak delivered/s: the most deliveries per second any step of the series delivered (the ladder stops at the first step that does not keep up). `
      + `Target (issue 10): Redis ÷ memory ≥ ${REDIS_PEAK_RATIO_TARGET}×. Every step of both engines is in the per-step tables of section 2. `
      + 'Redis CPU µs/publication and share: redis-server\'s CPU summed over every reported step of the series (drains included) ÷ the publications '
      + '(or ÷ all server CPU) — /proc counts in 10 ms ticks, too coarse for one step; it includes redis-server\'s fixed cost (its own timer, '
      + 'the supervisors\' heartbeats and position checks), shown alone as its idle CPU (% of a core, subscribers connected, nothing published). '
      + 'A step where the server unsubscribed subscribers (`unsubscribe` push, e.g. 2500 insufficient state) counts what they missed afterwards as lost: '
      + 'the thin client does not resubscribe.',
  );
  return parts;
}

/** The issue-10 target rows: peak deliveries/s, Redis ÷ memory, at each subscriber count. */
export function redisTargetRows(res: BenchResults): string[][] {
  if (!compared(res)) return [];
  const o = res.options.fanout!;
  return o.subscribers.map((subscribers) => {
    const r = pairedRatio(fanoutMetrics(res, REDIS, subscribers).peak, fanoutMetrics(res, REDIS_BASELINE, subscribers).peak);
    return [`Redis engine: peak delivered/s ≥ ${REDIS_PEAK_RATIO_TARGET}× the memory engine's (${subscribers.toLocaleString('en-US')} subs)`,
      `${fmtSpread(r, 2, '×')}`, verdict(r.n ? r.median >= REDIS_PEAK_RATIO_TARGET : null, `${fmtNum(r.median, 2)}×`)];
  });
}
