/**
 * The capacity planner behind `capacity.estimate`: a CapacityMeter fed by the supervisor's 1 Hz
 * snapshots (with the supervisor's own CPU and RSS), the machine's facts from node:os, and the pure
 * projection of shared/admin/capacity-projection.ts.
 */
import { availableParallelism, freemem, loadavg, totalmem } from 'node:os';
import type { ClusterSnapshot } from '../../../shared/admin/admin-model.js';
import type { CapacityEstimate, MachineFacts } from '../../../shared/admin/capacity-model.js';
import { capacityAssumptions, capacityTable, projectRow } from '../../../shared/admin/capacity-projection.js';
import { CapacityMeter, isOwnNode } from './capacity-meter.js';

export interface CapacityPlanner {
  /** The estimate for `nodesPerMachine` nodes on each of `machines` machines (what-if table), and this machine now. */
  estimate(p: { nodesPerMachine?: number; machines: number }): CapacityEstimate;
  /** Stops sampling (idempotent). */
  stop(): void;
}

/** What the planner reads: the supervisor's 1 Hz snapshots (`onSnapshot` returns the dispose) and the latest one. */
export interface PlannerSource {
  onSnapshot(l: (s: ClusterSnapshot) => void): () => void;
  snapshot(): ClusterSnapshot;
}

/** Starts sampling the source's snapshots. */
export function startCapacityPlanner(source: PlannerSource): CapacityPlanner {
  const meter = new CapacityMeter();
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  const dispose = source.onSnapshot((s) => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const wallMs = Math.max(1, now - lastAt);
    lastCpu = process.cpuUsage();
    lastAt = now;
    meter.add(s, { cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100, rss: process.memoryUsage().rss });
  });
  return {
    estimate: (p) => {
      const costs = meter.costs();
      const machine = machineFacts(source.snapshot());
      const nodesPerMachine = p.nodesPerMachine ?? Math.max(1, machine.nodes);
      return {
        at: Date.now(), costs, machine,
        current: projectRow(costs, machine, Math.max(1, machine.nodes), 1),
        table: capacityTable(costs, machine, nodesPerMachine, p.machines),
        nodesPerMachine, machines: p.machines,
        check: meter.check(costs),
        assumptions: capacityAssumptions(costs, machine, p.machines),
      };
    },
    stop: dispose,
  };
}

/** This machine: memory, cores and load from node:os; the nodes' open-file limit from their snapshots. */
function machineFacts(snapshot: ClusterSnapshot): MachineFacts {
  const own = snapshot.nodes.filter(isOwnNode);
  const limits = own.filter((n) => n.maxConnections !== undefined).map((n) => n.maxConnections!);
  const [l1 = 0, l5 = 0, l15 = 0] = loadavg();
  return {
    totalMemory: totalmem(), freeMemory: freemem(), cores: availableParallelism(),
    loadAverage: [round2(l1), round2(l5), round2(l15)],
    nodes: own.filter((n) => n.state !== 'down').length,
    maxConnectionsPerNode: limits.length > 0 ? Math.min(...limits) : null,
  };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
