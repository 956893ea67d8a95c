/**
 * The Capacity view's words and numbers, pure: the binding limit named plainly, what the costs were
 * measured at, each cost as a person reads it, the chart's points, and the what-if inputs parsed.
 */
import type { CapacityEstimate, CapacityLimit, CapacityRow, LineFit } from '../../../shared/admin/capacity-model.js';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** The binding limit as a sentence's end: "memory (RAM)", "the open-file limit", "CPU". */
export function limitName(limit: CapacityLimit | null): string {
  switch (limit) {
    case 'memory': return 'memory';
    case 'open files': return 'the open-file limit';
    case 'cpu': return 'CPU';
    case null: return 'nothing measured yet';
  }
}

/** "measured at 1,200 connections, 800 deliveries/s on 2 nodes" (or that nothing was yet). */
export function measuredAtText(e: CapacityEstimate): string {
  const at = e.costs.at;
  if (e.costs.samples === 0) return 'no samples yet';
  return `measured at ${int.format(at.connections)} connections, ${int.format(at.deliveriesPerSec)} deliveries/s on ${at.nodes} ${at.nodes === 1 ? 'node' : 'nodes'}`;
}

/** A fit's evidence: "42 samples, ±1.2 MB, over 0–500 connections per node". */
export function fitEvidence(fit: LineFit, spread: (n: number) => string, xUnit: string): string {
  return `${int.format(fit.samples)} samples, ±${spread(fit.spread)}, over ${int.format(fit.xMin)}–${int.format(fit.xMax)} ${xUnit}`;
}

export const kb = (bytes: number): string => `${one.format(bytes / 1024)} KB`;
export const mb = (bytes: number): string => (bytes >= 1024 ** 3 ? `${one.format(bytes / 1024 ** 3)} GB` : `${one.format(bytes / 1048576)} MB`);
/** CPU % of one core per unit/s → µs of CPU per unit. */
export const micros = (percentPerUnit: number): string => `${one.format(percentPerUnit * 1e4)} µs`;
/** A projected figure, or a dash where it is unknown. */
export const figure = (n: number | null): string => (n === null ? '—' : int.format(n));

/** One point of the chart: max connections and deliveries/s at this many nodes per machine. */
export interface CapacityPoint {
  nodes: number;
  connections: number | null;
  deliveries: number | null;
}

export const chartPoints = (table: CapacityRow[]): CapacityPoint[] =>
  table.map((r) => ({ nodes: r.nodesPerMachine, connections: r.maxConnections, deliveries: r.maxDeliveriesPerSec }));

/** A what-if field's text as a whole number within bounds; null (with why) when it is not one. */
export function parseWhole(text: string, b: { min: number; max: number }): { value: number } | { error: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { error: `a whole number from ${b.min} to ${b.max}` };
  const n = Number(t);
  if (n < b.min || n > b.max) return { error: `from ${b.min} to ${b.max}` };
  return { value: n };
}
