/**
 * The report's sections for the connection workloads: the connect storm (bench/storm.ts) and idle
 * memory at high levels (bench/idle-memory.ts). Medians over the repetitions with min–max.
 */
import type { IdleLevel, IdleMemoryRun } from './idle-memory.js';
import type { PeerId } from './peers.js';
import { PEERS } from './peers.js';
import { DISTURBED_CORES } from './proc.js';
import { byRep, table } from './report-common.js';
import type { BenchResults } from './report.js';
import type { StormRun } from './storm.js';
import { fmtRate, fmtSpread, spread } from './stats.js';

function stormSection(res: BenchResults): string {
  const o = res.options.storm;
  const runs = res.storm ?? [];
  if (!o || runs.length === 0) return '';
  const v = (p: PeerId, f: (r: StormRun) => number): string => fmtSpread(spread(byRep(runs, p, res.options.reps, (r) => (r.error ? Number.NaN : f(r)), (r) => r.peer)), 0);
  const v2 = (p: PeerId, f: (r: StormRun) => number): string => fmtSpread(spread(byRep(runs, p, res.options.reps, (r) => (r.error ? Number.NaN : f(r)), (r) => r.peer)), 2);
  const rows = o.peers.map((p) => [
    PEERS[p].label,
    v(p, (r) => r.admitted),
    v2(p, (r) => r.allConnectedMs / 1000),
    `${v(p, (r) => r.open.p50)} / ${v(p, (r) => r.open.p99)}`,
    `${v(p, (r) => r.ready.p50)} / ${v(p, (r) => r.ready.p99)}`,
    v(p, (r) => r.total.p99),
    v(p, (r) => r.attempts - r.admitted - r.failed),
    v(p, (r) => r.failed),
    v2(p, (r) => r.serverCpuUs / 1e6),
    v2(p, (r) => r.serverCores),
    v2(p, (r) => r.clientCores),
  ]);
  const refusals = o.peers.map((p) => {
    const all: Record<string, number> = {};
    for (const r of runs.filter((x) => x.peer === p)) for (const [k, n] of Object.entries(r.refusals)) all[k] = (all[k] ?? 0) + n;
    const list = Object.entries(all).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, n]) => `${n}× ${k}`);
    return list.length === 0 ? '' : `- ${PEERS[p].label}: ${list.join(', ')} (all repetitions)`;
  }).filter((s) => s !== '');
  const disturbed = runs.filter((r) => r.disturbed).length;
  return [
    `## 6. Connect storm (${fmtRate(o.clients)} clients at once)`,
    '',
    `${o.clients.toLocaleString('en-US')} clients split over ${o.processes} client processes (\`bench/connect-storm-child.ts\`, each from its own loopback source address), `
      + `${o.concurrency === 0 ? 'all handshakes started at once (no cap)' : `at most ${o.concurrency} handshakes in flight per process`} — the same for every peer. `
      + 'A failed attempt (error, close, HTTP refusal, no reply in 5 s) is retried with centrifuge-js\'s backoff (500 ms … 20 s); '
      + `a client not connected after ${o.giveUpMs / 1000} s counts as failed. **open**: the successful attempt's TCP connect + HTTP upgrade; `
      + '**ready**: until the peer\'s handshake is done (Switchboard: the connect reply; Socket.IO: the namespace connect; raw ws: open); '
      + '**first try → ready**: per client, from its first attempt, retries and backoff included. Server CPU: user+sys of every server process from the start to the last client ready. '
      + 'Client processes\' CPU is their own (each can use at most one core): near 1 core per process means the clients, not the server, set the pace.',
    '',
    table(['peer', 'connected', 'all connected (s)', 'open p50 / p99 (ms)', 'ready p50 / p99 (ms)', 'first try → ready p99 (ms)', 'retries', 'failed',
      'server CPU (s)', 'server cores (avg)', 'client cores (avg)'], rows),
    '',
    ...(refusals.length === 0 ? ['No attempt failed.'] : ['Why attempts failed:', '', ...refusals]),
    '',
    `Storms disturbed by other work (> ${DISTURBED_CORES} core): ${disturbed} of ${runs.length}.`,
    ...runs.filter((r) => r.error).map((r) => `- error: ${PEERS[r.peer].label} rep ${r.rep + 1}: ${r.error}`),
  ].join('\n');
}

function levelOf(r: IdleMemoryRun, level: number): IdleLevel | undefined {
  return r.levels.find((l) => l.level === level && l.failed === 0);
}

/** The highest level a run held fully (0: none). */
function highestHeld(r: IdleMemoryRun): number {
  return r.levels.filter((l) => l.failed === 0).reduce((m, l) => Math.max(m, l.level), 0);
}

function idleWhy(r: IdleMemoryRun): string {
  if (r.error) return `error: ${r.error}`;
  if (!r.stoppedAt) return '';
  const last = r.levels.at(-1)!;
  const files = last.openFiles.map((f) => `pid ${f.pid}: ${f.open.toLocaleString('en-US')} of ${f.limit.toLocaleString('en-US')} open files`).join(', ');
  return `${fmtRate(r.stoppedAt.level)} not reached, ${last.connected.toLocaleString('en-US')} held: ${r.stoppedAt.reason} (${last.refusals.join('; ')}); server ${files}`;
}

function idleMemorySection(res: BenchResults): string {
  const o = res.options.idleMemory;
  const runs = res.idleMemory ?? [];
  if (!o || runs.length === 0) return '';
  const reps = res.options.reps;
  const val = (p: PeerId, f: (r: IdleMemoryRun) => number, digits: number): string =>
    fmtSpread(spread(byRep(runs, p, reps, f, (r) => r.peer)), digits);
  const kb = (level: number, f: (l: IdleLevel) => number) => (r: IdleMemoryRun): number => {
    const l = levelOf(r, level);
    return l ? f(l) / 1024 : Number.NaN;
  };
  const rows = o.peers.map((p) => [
    PEERS[p].label,
    ...o.levels.map((level) => val(p, kb(level, (l) => l.bytesPerConn), 1)),
    val(p, (r) => highestHeld(r), 0),
    val(p, (r) => {
      const l = r.levels.filter((x) => x.failed === 0).at(-1);
      return l ? l.rootDeltaBytes / 1024 / l.connected : Number.NaN;
    }, 1),
    val(p, (r) => {
      const l = r.levels.at(-1);
      return l ? l.clientBytesPerConn / 1024 : Number.NaN;
    }, 1),
  ]);
  const nf = res.openFiles;
  const why = runs.map((r) => [r, idleWhy(r)] as const).filter(([, w]) => w !== '').map(([r, w]) => `- ${PEERS[r.peer].label} rep ${r.rep + 1}: ${w}`);
  return [
    `## 7. Idle memory at ${o.levels.map(fmtRate).join(' and ')} connections (2 subscriptions each)`,
    '',
    'RSS Δ per connection = (RSS of every server process with N connections open − RSS before the first) / N, in KB; '
      + 'every client subscribed to 2 channels (one all clients share, one of 1,000); every server process is asked for a full GC before each reading (bench/gc.ts). '
      + `Clients are held by processes of at most ${o.perProcess.toLocaleString('en-US')} sockets, each from its own loopback source address (127.0.0.2, …). `
      + 'A level not fully reached ends the peer\'s series; "highest held" is the highest level with every client connected.',
    '',
    ...(nf ? [`Open-file limit asked for every bench process: ${nf.wanted.toLocaleString('en-US')}; in force: ${nf.limit.toLocaleString('en-US')}${nf.note ? ` — ${nf.note}` : ''}.`, ''] : []),
    table(['peer', ...o.levels.map((l) => `KB/conn @${fmtRate(l)}`), 'highest held', 'of which root KB/conn', 'client process KB/conn'], rows),
    '',
    ...(why.length === 0 ? [] : ['Where a level was not reached, and why:', '', ...why]),
  ].join('\n');
}

/** Sections 6 and 7 (empty when neither workload ran). */
export function connectionSections(res: BenchResults): string {
  return [stormSection(res), idleMemorySection(res)].filter((s) => s !== '').join('\n\n');
}
