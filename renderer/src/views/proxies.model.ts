/** Pure shaping of backend proxy health for the Overview's Proxies card (tested without React). */
import type { LatencyBound, ProxyHealth } from '../../../shared/admin/admin-model.js';
import { fmtInt, fmtRate, plural } from '../format.js';

/** One row of the card, every figure as text. */
export interface ProxyRow {
  name: string;
  endpoint: string;
  /** "12.5/s" */
  calls: string;
  errors: string;
  /** Failed calls of the period's calls ("20%"); "—" without calls in it. */
  share: string;
  /** "≤ 50 ms", "> 5,000 ms", or "—" without calls in the period. */
  p99: string;
  /** Since the supervisor started: "1,204 calls" and "3 failed". */
  totalCalls: string;
  totalFailed: string;
  /** Failures in the period: the errors cell is marked. */
  failing: boolean;
}

/** A bucket bound as it is: the p99 is at most this (or, in the last bucket, slower than it). No-break spaces. */
export function fmtLatencyBound(b: LatencyBound | null): string {
  if (b === null) return '—';
  return 'le' in b ? `≤\u00a0${fmtInt(b.le)}\u00a0ms` : `>\u00a0${fmtInt(b.gt)}\u00a0ms`;
}

/** 0.2 → "20%"; below 10 % one decimal; a share too small to show is "<0.1%", not "0%". */
export function fmtShare(share: number): string {
  const pct = share * 100;
  if (pct === 0) return '0%';
  if (pct < 0.1) return '<0.1%';
  return pct < 10 ? `${Math.round(pct * 10) / 10}%` : `${Math.round(pct)}%`;
}

export function proxyRows(proxies: readonly ProxyHealth[]): ProxyRow[] {
  return proxies.map((p) => ({
    name: p.name,
    endpoint: p.endpoint,
    calls: `${fmtRate(p.callsPerSec)}/s`,
    errors: `${fmtRate(p.failuresPerSec)}/s`,
    share: p.failureShare === null ? '—' : fmtShare(p.failureShare),
    p99: fmtLatencyBound(p.p99),
    totalCalls: plural(p.calls, 'call'),
    totalFailed: `${fmtInt(p.failures)} failed`,
    failing: p.failuresPerSec > 0,
  }));
}
