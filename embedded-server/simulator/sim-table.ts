/** How `switchboard simulate` prints the fleet's counts: one compact row every few seconds, then a summary. */
import type { SimulatorStatus } from '../../shared/admin/simulator-model.js';

const COLUMNS: [title: string, width: number][] = [
  ['time', 6], ['state', 9], ['conn', 7], ['subs', 7], ['sent', 8], ['recv', 10], ['lost', 6], ['dup', 5], ['ooo', 5],
  ['recov/not', 10], ['reconn', 7], ['p50 ms', 8], ['p99 ms', 8],
];

/** 1234567 → "1.23M"; smaller numbers as they are. */
export function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e7) return `${(n / 1e6).toFixed(2)}M`;
  return String(n);
}

const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

function line(cells: string[]): string {
  return cells.map((c, i) => (i < 2 ? c.padEnd(COLUMNS[i]![1]) : c.padStart(COLUMNS[i]![1]))).join(' ');
}

export function tableHeader(): string {
  return line(COLUMNS.map(([title]) => title));
}

export function tableRow(s: SimulatorStatus): string {
  const c = s.counts;
  return line([
    `${Math.round(s.elapsedMs / 1000)}s`, s.state, compact(c.connected), compact(c.subscribed), compact(c.sent), compact(c.received),
    compact(c.lost), compact(c.duplicated), compact(c.outOfOrder), `${compact(c.recovered)}/${compact(c.notRecovered)}`,
    compact(c.reconnects), ms(c.latencyRecent.samples > 0 ? c.latencyRecent.p50Ms : c.latency.p50Ms),
    ms(c.latencyRecent.samples > 0 ? c.latencyRecent.p99Ms : c.latency.p99Ms),
  ]);
}

/** The final counts, every one of them, with what a consistent run would show. */
export function finalSummary(s: SimulatorStatus): string {
  const c = s.counts;
  const p = s.params;
  const perChannel = p.clients / Math.max(1, p.channels);
  const lines = [
    `${s.state === 'failed' ? 'failed' : 'finished'} after ${(s.elapsedMs / 1000).toFixed(1)}s: ${p.clients} ${p.profile} clients, ${p.channels} channels, ${p.rate}/s per channel`,
    `  publications   sent ${c.sent}, received ${c.received} (${Number.isInteger(perChannel) ? `sent × ${perChannel} subscribers = ${c.sent * perChannel}` : 'uneven channels'})`,
    `  delivery       lost ${c.lost}, duplicated ${c.duplicated}, out of order ${c.outOfOrder}`,
    `  recovery       recovered ${c.recovered}, not recovered ${c.notRecovered}, reconnects ${c.reconnects}, drops ${c.drops}, slow closes ${c.slowCloses}`,
    `  other          refused ${c.refused}, errors ${c.errors}, typing sent/received ${c.typingSent}/${c.typingReceived}, joins ${c.joins}, leaves ${c.leaves}`,
    `  latency        p50 ${ms(c.latency.p50Ms)} ms, p99 ${ms(c.latency.p99Ms)} ms, max ${ms(c.latency.maxMs)} ms (${c.latency.samples} live publications)`,
  ];
  if (s.message !== undefined) lines.push(`  ${s.message}`);
  return lines.join('\n');
}
