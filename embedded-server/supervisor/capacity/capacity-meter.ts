/**
 * Measures what one node costs from the 1 Hz cluster snapshots the supervisor already takes: RSS
 * against connections, CPU against deliveries/s and against idle connections, and the supervisor's
 * own CPU and RSS. Keeps the last 5 minutes; nothing here touches client traffic.
 */
import type { ClusterSnapshot, NodeSnapshot } from '../../../shared/admin/admin-model.js';
import type { LineFit, MeasuredCosts, MeasuredPointCheck } from '../../../shared/admin/capacity-model.js';
import { WARMUP_MS } from '../../../shared/admin/capacity-model.js';
import { predictCpu, predictRss } from '../../../shared/admin/capacity-projection.js';
import type { Point } from './line-fit.js';
import { leastSquares, slopeFromBaseline, upperBound } from './line-fit.js';

/**
 * One node in one second. `steady`: its connection count barely moved since its previous sample (no
 * connect storm in the CPU). `warm`: the node held its first connection at least WARMUP_MS ago.
 */
export interface NodeSample {
  at: number;
  pid: number;
  connections: number;
  deliveriesPerSec: number;
  cpu: number;
  rss: number;
  steady: boolean;
  warm: boolean;
}

/** The supervisor process in one second. */
export interface SupervisorSample {
  cpuPercent: number;
  rss: number;
}

const WINDOW_MS = 300_000;
/** The "measured at" point and the check against it average this recent stretch. */
const RECENT_MS = 10_000;
const MIN_SAMPLES = 10;
/** Snapshots closer than this to the last one (an extra tick when a peer leaves) are not samples. */
const MIN_GAP_MS = 500;
/** Below this many deliveries/s a node counts as idle. */
const IDLE_DELIVERIES = 1;

/** x must span this much (and a quarter of its largest value) before a slope is fitted. */
const minSpan = (points: readonly Point[], floor: number): number => Math.max(floor, 0.25 * Math.max(0, ...points.map((p) => p.x)));

export class CapacityMeter {
  private readonly samples: NodeSample[] = [];
  private readonly supervisor: SupervisorSample[] = [];
  /** Each node process's least RSS while it held no connection (its idle baseline), by pid. */
  private readonly baselines = new Map<number, number>();
  private readonly lastConnections = new Map<number, number>();
  /** When each node process first held a connection, by pid. */
  private readonly firstServed = new Map<number, number>();
  private lastAt = -Infinity;
  private nodesNow = 0;

  /** Adds one snapshot: this supervisor's healthy nodes, and the supervisor itself. */
  add(snapshot: ClusterSnapshot, self: SupervisorSample): void {
    if (snapshot.at - this.lastAt < MIN_GAP_MS) return;
    this.lastAt = snapshot.at;
    const own = snapshot.nodes.filter(isOwnNode);
    this.nodesNow = own.filter((n) => n.state !== 'down').length;
    for (const n of own) if (n.state === 'healthy') this.addNode(snapshot.at, n);
    // A process that is gone (restarted, removed) leaves no baseline behind: the maps stay as small as the node list.
    const pids = new Set(own.map((n) => n.pid));
    for (const pid of this.lastConnections.keys()) if (!pids.has(pid)) this.lastConnections.delete(pid);
    for (const pid of this.baselines.keys()) if (!pids.has(pid)) this.baselines.delete(pid);
    for (const pid of this.firstServed.keys()) if (!pids.has(pid)) this.firstServed.delete(pid);
    this.supervisor.push(self);
    if (this.supervisor.length > WINDOW_MS / 1000) this.supervisor.shift();
    const cutoff = snapshot.at - WINDOW_MS;
    while (this.samples.length > 0 && this.samples[0]!.at < cutoff) this.samples.shift();
  }

  private addNode(at: number, n: NodeSnapshot): void {
    const before = this.lastConnections.get(n.pid);
    this.lastConnections.set(n.pid, n.connections);
    if (n.connections > 0 && !this.firstServed.has(n.pid)) this.firstServed.set(n.pid, at);
    const served = this.firstServed.get(n.pid);
    const warm = served !== undefined && at - served >= WARMUP_MS;
    // The least RSS seen idle: the first idle seconds after a load still carry its garbage.
    if (warm && n.connections === 0) this.baselines.set(n.pid, Math.min(n.rss, this.baselines.get(n.pid) ?? Infinity));
    const steady = before !== undefined && Math.abs(n.connections - before) <= Math.max(2, 0.02 * before);
    this.samples.push({ at, pid: n.pid, connections: n.connections, deliveriesPerSec: n.messagesOutPerSec, cpu: n.cpuPercent, rss: n.rss, steady, warm });
  }

  /** The costs measured so far, with what is missing said in words. */
  costs(): MeasuredCosts {
    const missing: string[] = [];
    const memory = this.memoryFit(missing);
    const steady = this.samples.filter((s) => s.steady);
    const cpu = this.cpuFit(steady, missing);
    const idlePoints = steady.filter((s) => s.deliveriesPerSec < IDLE_DELIVERIES).map((s) => ({ x: s.connections, y: s.cpu }));
    const idleFit = leastSquares(idlePoints, MIN_SAMPLES, minSpan(idlePoints, 20));
    const idleCpu = idleFit && idleFit.slope > 0 ? idleFit : null;
    if (!idleCpu) missing.push('CPU per idle connection: needs a while with connections at different counts and nothing delivered.');
    const sup = this.supervisor;
    return {
      samples: this.samples.length,
      windowSeconds: this.samples.length > 0 ? Math.round((this.samples.at(-1)!.at - this.samples[0]!.at) / 1000) : 0,
      memory, cpu, idleCpu,
      supervisorCpuPercent: sup.length > 0 ? round(sup.reduce((s, x) => s + x.cpuPercent, 0) / sup.length) : 0,
      supervisorRss: sup.at(-1)?.rss ?? 0,
      at: this.recentPoint(),
      missing,
    };
  }

  private memoryFit(missing: string[]): LineFit | null {
    if (!this.samples.some((s) => s.connections > 0)) {
      missing.push('Memory per connection: not enough data yet — no node has held a connection in the last 5 minutes.');
      return null;
    }
    const points = this.samples.filter((s) => s.warm).map((s) => ({ x: s.connections, y: s.rss }));
    if (points.length === 0) {
      missing.push(`Memory per connection: not enough data yet — a node's memory is sampled from ${WARMUP_MS / 1000} s after its first connection (its startup garbage goes first).`);
      return null;
    }
    const fit = leastSquares(points, MIN_SAMPLES, minSpan(points, 20));
    if (fit && fit.slope > 0) return fit;
    const bound = fit ? upperBound(fit, points) : null;
    if (fit && bound) {
      missing.push(`Memory per connection is below the noise of RSS at this load (fit ${kb(fit.slope)} ± ${kb(fit.slopeError ?? 0)} over `
        + `${fit.xMin}–${fit.xMax} connections per node): the planner takes the upper bound, ${kb(bound.slope)}; more connections measure it better.`);
      return bound;
    }
    const base = [...this.baselines.values()];
    const byBaseline = base.length > 0 ? slopeFromBaseline(points, mean(base), MIN_SAMPLES) : null;
    if (byBaseline && byBaseline.slope > 0) return byBaseline;
    missing.push('Memory per connection: not enough data yet — needs samples at different connection counts, or an idle node to compare with.');
    return null;
  }

  private cpuFit(steady: NodeSample[], missing: string[]): LineFit | null {
    const points = steady.map((s) => ({ x: s.deliveriesPerSec, y: s.cpu }));
    if (!points.some((p) => p.x >= IDLE_DELIVERIES)) {
      missing.push('CPU per delivery: not enough data yet — nothing has been delivered in the last 5 minutes.');
      return null;
    }
    const fit = leastSquares(points, MIN_SAMPLES, minSpan(points, 20));
    if (fit && fit.slope > 0) return fit;
    const idle = points.filter((p) => p.x < IDLE_DELIVERIES);
    const byBaseline = idle.length > 0 ? slopeFromBaseline(points.filter((p) => p.x >= IDLE_DELIVERIES), mean(idle.map((p) => p.y)), MIN_SAMPLES) : null;
    if (byBaseline && byBaseline.slope > 0) return byBaseline;
    missing.push('CPU per delivery: not enough data yet — needs samples at different delivery rates (an idle stretch counts).');
    return null;
  }

  /** Means per node over the last 10 s, and the cluster's totals there. */
  private recent(): NodeSample[] {
    const last = this.samples.at(-1)?.at ?? 0;
    return this.samples.filter((s) => s.at > last - RECENT_MS);
  }

  private recentPoint(): MeasuredCosts['at'] {
    const r = this.recent();
    const connectionsPerNode = r.length > 0 ? mean(r.map((s) => s.connections)) : 0;
    const deliveriesPerNodePerSec = r.length > 0 ? mean(r.map((s) => s.deliveriesPerSec)) : 0;
    return {
      nodes: this.nodesNow,
      connections: Math.round(connectionsPerNode * this.nodesNow),
      deliveriesPerSec: Math.round(deliveriesPerNodePerSec * this.nodesNow),
      connectionsPerNode: round(connectionsPerNode),
      deliveriesPerNodePerSec: round(deliveriesPerNodePerSec),
    };
  }

  /** The fits evaluated at the last 10 s's own load, beside what the nodes reported there. */
  check(costs: MeasuredCosts): MeasuredPointCheck | null {
    const r = this.recent();
    if (r.length === 0) return null;
    const { connectionsPerNode, deliveriesPerNodePerSec } = costs.at;
    return {
      connectionsPerNode, deliveriesPerNodePerSec,
      observedRssPerNode: Math.round(mean(r.map((s) => s.rss))),
      predictedRssPerNode: nullableRound(predictRss(costs, connectionsPerNode)),
      observedCpuPerNode: round(mean(r.map((s) => s.cpu))),
      predictedCpuPerNode: nullableRound(predictCpu(costs, deliveriesPerNodePerSec), 10),
    };
  }
}

/** Another supervisor's node is `<supervisor>/node-N` (NodeSnapshot.id). */
export const isOwnNode = (n: NodeSnapshot): boolean => !n.id.includes('/');

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const round = (n: number): number => Math.round(n * 10) / 10;
const nullableRound = (n: number | null, k = 1): number | null => (n === null ? null : Math.round(n * k) / k);
