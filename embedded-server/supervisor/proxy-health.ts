/**
 * Backend proxy health for the console (issue 13). Nodes report their proxy counters with their
 * stats; each NodeProcess turns two reports into a period the way it does its message rates, and
 * this board sums those periods over the nodes: calls and failures per second, and the p99 latency
 * of the merged bucket counts. Totals outlive node restarts: a process's counters are kept when it
 * exits, and its successor counts from zero again.
 */
import type { LatencyBound, ProxyHealth } from '../../shared/admin/admin-model.js';
import type { NodeStats, ProxyCounts } from '../../shared/ipc/node-ipc.js';
import { PROXY_LATENCY_BOUNDS_MS } from '../../shared/proxy/proxy-latency.js';
import type { ProxySettings } from '../../shared/proxy/proxy-settings.js';

/** One node's proxy calls between two of its reports `secs` apart, per endpoint name. */
export interface ProxyPeriod {
  secs: number;
  counts: Record<string, ProxyCounts>;
}

/** What the board reads of a node process (NodeProcess has it). */
export interface ProxyReporter {
  exited: boolean;
  stats: Pick<NodeStats, 'proxies'> | null;
  /** Over the period of the process's current rates; null before its second report. */
  proxyPeriod: ProxyPeriod | null;
}

/**
 * The calls between two reports of one process. A counter never goes down within a process; if
 * one did, its difference counts as 0, as the message rates do (node-process.ts).
 */
export function proxyPeriod(prev: Record<string, ProxyCounts> | undefined, next: Record<string, ProxyCounts>, secs: number): ProxyPeriod {
  const counts: Record<string, ProxyCounts> = {};
  for (const [name, n] of Object.entries(next)) {
    const p = prev?.[name];
    counts[name] = {
      calls: Math.max(0, n.calls - (p?.calls ?? 0)),
      failures: Math.max(0, n.failures - (p?.failures ?? 0)),
      latency: n.latency.map((count, i) => Math.max(0, count - (p?.latency[i] ?? 0))),
    };
  }
  return { secs, counts };
}

/** Adds `more`'s bucket counts to `into` (in place). */
export function mergeLatency(into: number[], more: readonly number[]): number[] {
  for (let i = 0; i < more.length; i++) into[i] = (into[i] ?? 0) + more[i]!;
  return into;
}

/**
 * The bucket holding the `q` quantile of the counted durations: its upper bound, or for the last
 * bucket the bound it is slower than. Null when nothing was counted.
 */
export function quantileBound(latency: readonly number[], q = 0.99, bounds: readonly number[] = PROXY_LATENCY_BOUNDS_MS): LatencyBound | null {
  const total = latency.reduce((a, n) => a + n, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < latency.length && i < bounds.length; i++) {
    seen += latency[i]!;
    if (seen >= rank) return { le: bounds[i]! };
  }
  return { gt: bounds[bounds.length - 1]! };
}

export class ProxyHealthBoard {
  /** Calls and failures of node processes that exited, per endpoint name. */
  private readonly retired = new Map<string, { calls: number; failures: number }>();

  constructor(private readonly settings: ProxySettings) {}

  /** A node process exited: its counters, as last reported, stay in the totals. */
  retire(proc: ProxyReporter): void {
    for (const [name, c] of Object.entries(proc.stats?.proxies ?? {})) {
      const r = this.retired.get(name) ?? { calls: 0, failures: 0 };
      r.calls += c.calls;
      r.failures += c.failures;
      this.retired.set(name, r);
    }
  }

  /** Every configured endpoint, in config order, over the running processes' current periods. */
  health(procs: readonly ProxyReporter[]): ProxyHealth[] {
    const live = procs.filter((p) => !p.exited);
    return Object.values(this.settings.endpoints).map((e): ProxyHealth => {
      const retired = this.retired.get(e.name);
      let calls = retired?.calls ?? 0;
      let failures = retired?.failures ?? 0;
      let callsPerSec = 0;
      let failuresPerSec = 0;
      const latency = new Array<number>(PROXY_LATENCY_BOUNDS_MS.length + 1).fill(0);
      for (const p of live) {
        const total = p.stats?.proxies?.[e.name];
        calls += total?.calls ?? 0;
        failures += total?.failures ?? 0;
        const period = p.proxyPeriod;
        const d = period?.counts[e.name];
        if (!period || !d || period.secs <= 0) continue;
        callsPerSec += d.calls / period.secs;
        failuresPerSec += d.failures / period.secs;
        mergeLatency(latency, d.latency);
      }
      return {
        name: e.name,
        endpoint: e.endpoint,
        callsPerSec: round1(callsPerSec),
        failuresPerSec: round1(failuresPerSec),
        failureShare: callsPerSec > 0 ? Math.round((failuresPerSec / callsPerSec) * 1000) / 1000 : null,
        p99: quantileBound(latency),
        calls,
        failures,
      };
    });
  }
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
