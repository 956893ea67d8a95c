/**
 * `npm run bench:history [-- --hours=25 --nodes=3]`: what the metrics history costs. Replays
 * simulated hours of 1 Hz snapshots of a cluster of N nodes into a fresh store (time is the
 * samples' own, so rollups close and retention deletes as in real time) and prints:
 * - CPU per 1 Hz write (the process's user + system time over the replay, the disk writes
 *   included, divided by the samples), and the synchronous part alone (what the event loop pays);
 * - bytes per line and per day of each tier, and the steady-state size on disk;
 * - the time to read the last 24 hours back (the query the console's "24 h" range makes) and the last hour.
 * Writes test-results/bench-history.json.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsHistoryStore } from '../embedded-server/index.js';
import type { ClusterSnapshot, NodeSnapshot } from '../shared/admin/admin-model.js';
import { HISTORY_TIERS } from '../shared/admin/metrics-history-model.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const HOURS = Number(args.get('hours') ?? 25);
const NODES = Number(args.get('nodes') ?? 3);
const START = Date.UTC(2026, 0, 1);
const SECONDS = Math.round(HOURS * 3600);
/** Writes go out as the cluster's do: each second's line in its own append (`--batch=60` batches them). */
const FLUSH_EVERY = Number(args.get('batch') ?? 1);

function snapshot(at: number, i: number): ClusterSnapshot {
  const wave = (k: number): number => Math.round(1000 + 800 * Math.sin(i / 600 + k));
  const nodes = Array.from({ length: NODES }, (_, k): NodeSnapshot => ({
    id: `node-${k + 1}`, pid: 1000 + k, state: 'healthy', uptimeMs: i * 1000, restarts: 0, connections: wave(k), users: wave(k), subscriptions: 2 * wave(k),
    messagesInPerSec: wave(k) / 10, messagesOutPerSec: wave(k) * 3.3, bytesInPerSec: wave(k) * 20, bytesOutPerSec: wave(k) * 410, cpuPercent: 12.3 + (i % 17),
    rss: 80_000_000 + wave(k) * 9000, heapUsed: 30_000_000, loopDelayP50Ms: 0.3, loopDelayP99Ms: 1.2 + (i % 7) / 10,
  }));
  const sum = (f: (n: NodeSnapshot) => number): number => nodes.reduce((a, n) => a + f(n), 0);
  return {
    at, nodes, strategy: 'least-connections', autoRestart: true, proxies: [],
    totals: {
      nodesUp: NODES, nodesTotal: NODES, connections: sum((n) => n.connections), users: sum((n) => n.users), channels: 50, subscriptions: sum((n) => n.subscriptions),
      messagesInPerSec: sum((n) => n.messagesInPerSec), messagesOutPerSec: sum((n) => n.messagesOutPerSec), bytesInPerSec: sum((n) => n.bytesInPerSec),
      bytesOutPerSec: sum((n) => n.bytesOutPerSec), publicationsPerSec: 30,
    },
  };
}

function tierBytes(dir: string, name: string): { bytes: number; lines: number } {
  let bytes = 0;
  let lines = 0;
  for (const f of readdirSync(join(dir, name))) {
    const path = join(dir, name, f);
    bytes += statSync(path).size;
    lines += readFileSync(path, 'utf8').split('\n').length - 1;
  }
  return { bytes, lines };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'sb-bench-history-'));
  const warnings: string[] = [];
  const store = MetricsHistoryStore.open(root, (w) => warnings.push(w))!;
  let syncNs = 0n;
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  for (let i = 0; i < SECONDS; i++) {
    const s = snapshot(START + i * 1000, i);
    const t = process.hrtime.bigint();
    store.record(s);
    syncNs += process.hrtime.bigint() - t;
    if (i % FLUSH_EVERY === FLUSH_EVERY - 1) await store.flush();
  }
  await store.flush();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
  const end = START + SECONDS * 1000;
  const timed = async (from: number): Promise<{ ms: number; points: number; tier: string }> => {
    const t = process.hrtime.bigint();
    const h = await store.query({ from, to: end, maxPoints: 1000 }, end);
    return { ms: Math.round(Number(process.hrtime.bigint() - t) / 1e4) / 100, points: h.total.length, tier: h.tier };
  };
  const read24h = await timed(end - 24 * 3600_000);
  const read1h = await timed(end - 3600_000);
  const read24hAgain = await timed(end - 24 * 3600_000);
  const tiers = HISTORY_TIERS.map((t) => {
    const { bytes, lines } = tierBytes(root, t.name);
    const perLine = lines > 0 ? bytes / lines : 0;
    const linesPerDay = 86_400_000 / t.stepMs;
    const keptLines = (t.retentionMs + t.blockMs) / t.stepMs;
    return { tier: t.name, bytesPerLine: Math.round(perLine), bytesPerDay: Math.round(perLine * linesPerDay), steadyStateBytes: Math.round(perLine * keptLines) };
  });
  const result = {
    hours: HOURS, nodes: NODES, samples: SECONDS,
    cpuMicrosPerWrite: Math.round(((cpu.user + cpu.system) / SECONDS) * 10) / 10,
    syncMicrosPerWrite: Math.round((Number(syncNs) / 1000 / SECONDS) * 10) / 10,
    replayWallMs: Math.round(wallMs),
    bytesWrittenPerDay: tiers.reduce((a, t) => a + t.bytesPerDay, 0),
    steadyStateBytesOnDisk: tiers.reduce((a, t) => a + t.steadyStateBytes, 0),
    tiers, read24h, read1h, read24hAgain, warnings,
  };
  await store.close();
  rmSync(root, { recursive: true, force: true });
  console.log(`metrics history, ${HOURS} simulated hours, ${NODES} nodes (${SECONDS} samples):`);
  console.log(`  CPU per 1 Hz write: ${result.cpuMicrosPerWrite} µs (of which synchronous, on the event loop: ${result.syncMicrosPerWrite} µs)`);
  for (const t of tiers) console.log(`  tier ${t.tier}: ${t.bytesPerLine} B per line, ${(t.bytesPerDay / 1e6).toFixed(2)} MB written per day, ${(t.steadyStateBytes / 1e6).toFixed(2)} MB kept`);
  console.log(`  written per day: ${(result.bytesWrittenPerDay / 1e6).toFixed(1)} MB; on disk once every tier is full: ${(result.steadyStateBytesOnDisk / 1e6).toFixed(1)} MB`);
  console.log(`  read the last 24 h: ${read24h.ms} ms (${read24h.points} points, tier ${read24h.tier}); the last hour: ${read1h.ms} ms (${read1h.points} points, tier ${read1h.tier}); the last 24 h again: ${read24hAgain.ms} ms`);
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/bench-history.json', `${JSON.stringify(result, null, 2)}\n`);
}

await main();
