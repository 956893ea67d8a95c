/**
 * The metrics history under `<dataDir>/metrics/`: one directory per tier (`1s`, `10s`, `1m`) of
 * append-only NDJSON segments, one file per block of time (10 min, 4 h, 1 day) named by the block's
 * start, plus `markers/` (one file per day). The 1 Hz samples go to the 1 s tier as they come; the
 * 10 s and 1 min steps are rolled up in memory from the same samples and appended when their step
 * closes. Segments past their tier's retention are deleted. Time is the samples' own (`at`), so a
 * replay of simulated hours (bench/history-write.ts) ages the store as real time would.
 */
import { mkdirSync } from 'node:fs';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterSnapshot } from '../../../shared/admin/admin-model.js';
import type { HistoryMarker, HistoryTier, MetricsHistory } from '../../../shared/admin/metrics-history-model.js';
import { HISTORY_TIERS } from '../../../shared/admin/metrics-history-model.js';
import { AppendQueue } from './append-queue.js';
import type { Acc, StepRecord } from './history-record.js';
import { addAcc, addSample, decodeLine, emptyAcc, encodeSample, encodeStep, toPoint } from './history-record.js';
import { releaseLock, takeLock } from './history-lock.js';
import { blockOf, chooseTier, stepOf } from './tiers.js';

const MARKER_BLOCK_MS = 24 * 3600_000;
const MARKER_RETENTION_MS = 30 * 24 * 3600_000;
/** A second sample closer than this to the previous one (an extra snapshot) is not a new second. */
const MIN_SAMPLE_GAP_MS = 500;
const SEGMENT = /^(\d+)\.ndjson$/;

export interface HistoryQuery {
  from: number;
  to: number;
  /** Only this node beside the total; every node when absent. */
  node?: string;
  maxPoints: number;
}

export class MetricsHistoryStore {
  private readonly queue: AppendQueue;
  private readonly open = new Map<HistoryTier, StepRecord>();
  private readonly lastBlock = new Map<string, number>();
  private lastSampleAt = -Infinity;
  /** Deletions of expired segments, one after the other. */
  private pruning: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(readonly dir: string, private readonly warn: (text: string) => void, private readonly tiers: readonly HistoryTier[]) {
    this.queue = new AppendQueue(warn);
  }

  /**
   * Opens (creating) the store in `dir`; null, with a warning, when the directory cannot be made or
   * another running process writes to it (the cluster then runs without history).
   */
  static open(dir: string, warn: (text: string) => void, tiers: readonly HistoryTier[] = HISTORY_TIERS): MetricsHistoryStore | null {
    try {
      for (const t of tiers) mkdirSync(join(dir, t.name), { recursive: true });
      mkdirSync(join(dir, 'markers'), { recursive: true });
    } catch (e) {
      warn(`cannot use ${dir}: ${(e as Error).message}; metrics are kept for the live 5 minutes only`);
      return null;
    }
    const holder = takeLock(dir);
    if (holder !== null) {
      warn(`${dir} is in use by process ${holder} (another cluster on this data directory); this one keeps no history`);
      return null;
    }
    return new MetricsHistoryStore(dir, warn, tiers);
  }

  /** Takes one 1 Hz snapshot: the 1 s line now, rollup lines as their steps close. */
  record(s: ClusterSnapshot): void {
    if (this.closed || s.at - this.lastSampleAt < MIN_SAMPLE_GAP_MS) return;
    this.lastSampleAt = s.at;
    const samples = samplesOf(s);
    for (const tier of this.tiers) {
      if (tier.stepMs <= 1000) {
        this.appendTo(tier, s.at, encodeSample(s.at, samples));
        continue;
      }
      const at = stepOf(s.at, tier.stepMs);
      let step = this.open.get(tier);
      if (step && step.at !== at) this.closeStep(tier, step);
      if (!step || step.at !== at) this.open.set(tier, (step = { at, series: new Map() }));
      for (const [id, values] of samples) {
        let acc = step.series.get(id);
        if (!acc) step.series.set(id, (acc = emptyAcc()));
        addSample(acc, values);
      }
    }
  }

  /** Keeps a marker (an event worth drawing on the time axis). */
  mark(m: HistoryMarker): void {
    if (this.closed) return;
    const block = blockOf(m.at, MARKER_BLOCK_MS);
    this.queue.append(join(this.dir, 'markers', `${block}.ndjson`), JSON.stringify(m));
    this.pruneOnNewBlock('markers', block, MARKER_BLOCK_MS, MARKER_RETENTION_MS);
  }

  /** A range at the finest tier that keeps it, at most `maxPoints` steps, with its markers. */
  async query(q: HistoryQuery, now: number): Promise<MetricsHistory> {
    await this.queue.flush();
    const { tier, stepMs } = chooseTier(q.from, q.to, now, q.maxPoints, this.tiers);
    const steps = new Map<number, Map<string, Acc>>();
    const take = (rec: StepRecord): void => {
      if (rec.at < q.from || rec.at > q.to) return;
      const at = stepOf(rec.at, stepMs);
      let series = steps.get(at);
      if (!series) steps.set(at, (series = new Map()));
      for (const [id, acc] of rec.series) {
        if (q.node !== undefined && id !== 'total' && id !== q.node) continue;
        let into = series.get(id);
        if (!into) series.set(id, (into = emptyAcc()));
        addAcc(into, acc);
      }
    };
    for (const line of await this.readLines(tier.name, tier.blockMs, q.from, q.to)) {
      const rec = decodeLine(line);
      if (rec) take(rec);
    }
    const open = this.open.get(tier);
    if (open) take(open);
    const history: MetricsHistory = { from: q.from, to: q.to, tier: tier.name, intervalMs: stepMs, total: [], nodes: {}, markers: await this.markers(q) };
    for (const at of [...steps.keys()].sort((a, b) => a - b)) {
      for (const [id, acc] of steps.get(at)!) {
        if (id === 'total') history.total.push(toPoint(at, acc));
        else (history.nodes[id] ??= []).push(toPoint(at, acc));
      }
    }
    return history;
  }

  /** Resolves once everything recorded so far is on disk (or given up) and expired segments are gone. */
  async flush(): Promise<void> {
    await this.queue.flush();
    await this.pruning;
  }

  /** Writes the steps still open (partial: their sample counts say so), waits for the disk, frees the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [tier, step] of this.open) this.closeStep(tier, step);
    this.open.clear();
    await this.flush();
    releaseLock(this.dir);
  }

  private async markers(q: HistoryQuery): Promise<HistoryMarker[]> {
    const out: HistoryMarker[] = [];
    for (const line of await this.readLines('markers', MARKER_BLOCK_MS, q.from, q.to)) {
      const m = parseMarker(line);
      if (m && m.at >= q.from && m.at <= q.to && (q.node === undefined || m.node === undefined || m.node === q.node)) out.push(m);
    }
    return out.sort((a, b) => a.at - b.at);
  }

  private closeStep(tier: HistoryTier, step: StepRecord): void {
    this.appendTo(tier, step.at, encodeStep(step));
  }

  private appendTo(tier: HistoryTier, at: number, line: string): void {
    const block = blockOf(at, tier.blockMs);
    this.queue.append(join(this.dir, tier.name, `${block}.ndjson`), line);
    this.pruneOnNewBlock(tier.name, block, tier.blockMs, tier.retentionMs);
  }

  /** The lines of every segment of `sub` whose block overlaps [from, to], oldest first. */
  private async readLines(sub: string, blockMs: number, from: number, to: number): Promise<string[]> {
    const lines: string[] = [];
    for (const start of await this.segments(sub)) {
      if (start + blockMs <= from || start > to) continue;
      try {
        lines.push(...(await readFile(join(this.dir, sub, `${start}.ndjson`), 'utf8')).split('\n'));
      } catch {
        // deleted by retention meanwhile: nothing to read
      }
    }
    return lines;
  }

  private async segments(sub: string): Promise<number[]> {
    try {
      return (await readdir(join(this.dir, sub))).flatMap((f) => SEGMENT.exec(f)?.[1] ?? []).map(Number).sort((a, b) => a - b);
    } catch {
      return [];
    }
  }

  /** A new block began: segments whose whole block is older than the retention go. */
  private pruneOnNewBlock(sub: string, block: number, blockMs: number, retentionMs: number): void {
    if (this.lastBlock.get(sub) === block) return;
    this.lastBlock.set(sub, block);
    // After what is queued: a segment still waiting for its first append is not on disk to be seen.
    this.pruning = this.pruning.then(() => this.queue.flush()).then(() => this.prune(sub, block, blockMs, retentionMs));
  }

  /** `now`: the start of the newest block (never later than the newest sample), so nothing younger than the retention goes. */
  private async prune(sub: string, now: number, blockMs: number, retentionMs: number): Promise<void> {
    for (const start of await this.segments(sub)) {
      if (start + blockMs > now - retentionMs) continue;
      await unlink(join(this.dir, sub, `${start}.ndjson`)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') this.warn(`cannot delete an expired segment: ${e.message}`);
      });
    }
  }
}

/** The 8 sampled figures (AVG_FIELDS order) of the cluster (`total`) and of each node. */
function samplesOf(s: ClusterSnapshot): Map<string, number[]> {
  const t = s.totals;
  const out = new Map<string, number[]>();
  out.set('total', [
    t.connections, t.messagesInPerSec, t.messagesOutPerSec, t.bytesInPerSec, t.bytesOutPerSec,
    s.nodes.reduce((a, n) => a + n.cpuPercent, 0), s.nodes.reduce((a, n) => Math.max(a, n.loopDelayP99Ms), 0), s.nodes.reduce((a, n) => a + n.rss, 0),
  ]);
  for (const n of s.nodes) {
    out.set(n.id, [n.connections, n.messagesInPerSec, n.messagesOutPerSec, n.bytesInPerSec, n.bytesOutPerSec, n.cpuPercent, n.loopDelayP99Ms, n.rss]);
  }
  return out;
}

function parseMarker(line: string): HistoryMarker | null {
  try {
    const m = JSON.parse(line) as Partial<HistoryMarker> | null;
    if (!m || typeof m.at !== 'number' || typeof m.type !== 'string' || typeof m.text !== 'string') return null;
    return { at: m.at, type: m.type, ...(typeof m.node === 'string' ? { node: m.node } : {}), text: m.text };
  } catch {
    return null;
  }
}
