/**
 * The capacity projection, pure: from measured per-node costs and the machine's facts, how many
 * connections and deliveries/s N nodes on each of M machines can carry, and which limit binds first.
 * Every figure comes with the assumption behind it (`capacityAssumptions`).
 */
import type { CapacityLimit, CapacityRow, MachineFacts, MeasuredCosts } from './capacity-model.js';
import { MEMORY_HEADROOM, NODE_CPU_CEILING, SUPERVISOR_CPU_FLOOR } from './capacity-model.js';

/** CPU (one core = 100) the supervisor is taken to use: what it was measured at, never under the floor. */
export const supervisorReserve = (costs: MeasuredCosts): number => Math.max(SUPERVISOR_CPU_FLOOR, costs.supervisorCpuPercent);

/** CPU the nodes of one machine can use: the cores left by the supervisor, and one core per node at most. */
export function nodeCpu(costs: MeasuredCosts, machine: MachineFacts, nodes: number): number {
  return Math.max(0, Math.min(machine.cores * 100 - supervisorReserve(costs), nodes * NODE_CPU_CEILING));
}

/** Memory one machine leaves for connections: the machine less the headroom, the supervisor and each node's idle RSS. */
export function connectionMemory(costs: MeasuredCosts, machine: MachineFacts, nodes: number): number | null {
  if (!costs.memory) return null;
  return Math.max(0, machine.totalMemory * (1 - MEMORY_HEADROOM) - costs.supervisorRss - nodes * Math.max(0, costs.memory.intercept));
}

const perMachineLimit = (budget: number | null, slope: number | undefined): number | null =>
  budget === null || slope === undefined || slope <= 0 ? null : Math.floor(budget / slope);

/** The projection for N nodes on each of M identical machines. */
export function projectRow(costs: MeasuredCosts, machine: MachineFacts, nodesPerMachine: number, machines: number): CapacityRow {
  const cpu = nodeCpu(costs, machine, nodesPerMachine);
  const memory = perMachineLimit(connectionMemory(costs, machine, nodesPerMachine), costs.memory?.slope);
  const files = machine.maxConnectionsPerNode === null ? null : machine.maxConnectionsPerNode * nodesPerMachine;
  const idle = costs.idleCpu ? perMachineLimit(Math.max(0, cpu - nodesPerMachine * Math.max(0, costs.idleCpu.intercept)), costs.idleCpu.slope) : null;
  const deliveries = costs.cpu ? perMachineLimit(Math.max(0, cpu - nodesPerMachine * Math.max(0, costs.cpu.intercept)), costs.cpu.slope) : null;
  const limits: Record<CapacityLimit, number | null> = {
    memory: times(memory, machines), 'open files': times(files, machines), cpu: times(idle, machines),
  };
  const binding = bindingLimit(limits);
  return {
    nodesPerMachine, machines,
    maxConnections: binding === null ? null : limits[binding],
    maxDeliveriesPerSec: times(deliveries, machines),
    binding, limits,
  };
}

const times = (n: number | null, k: number): number | null => (n === null ? null : n * k);

/** The smallest known limit (memory first on a tie: it is the one measured most directly). */
export function bindingLimit(limits: Record<CapacityLimit, number | null>): CapacityLimit | null {
  let best: CapacityLimit | null = null;
  for (const k of ['memory', 'open files', 'cpu'] as const) {
    const v = limits[k];
    if (v !== null && (best === null || v < limits[best]!)) best = k;
  }
  return best;
}

/** Node counts the table shows up to `max`: powers of two, the asked count, and the current one. */
export function nodeSteps(max: number, current: number): number[] {
  const steps = new Set<number>([max]);
  for (let n = 1; n < max; n *= 2) steps.add(n);
  if (current >= 1 && current <= max) steps.add(current);
  return [...steps].sort((a, b) => a - b);
}

/** The what-if table: each node-count step on `machines` machines. */
export function capacityTable(costs: MeasuredCosts, machine: MachineFacts, nodesPerMachine: number, machines: number): CapacityRow[] {
  return nodeSteps(nodesPerMachine, machine.nodes).map((n) => projectRow(costs, machine, n, machines));
}

/** One node's RSS (bytes) the memory fit predicts at this many connections; null without a fit. */
export const predictRss = (costs: MeasuredCosts, connectionsPerNode: number): number | null =>
  costs.memory ? costs.memory.intercept + costs.memory.slope * connectionsPerNode : null;

/** One node's CPU (one core = 100) the CPU fit predicts at this many deliveries/s; null without a fit. */
export const predictCpu = (costs: MeasuredCosts, deliveriesPerNodePerSec: number): number | null =>
  costs.cpu ? costs.cpu.intercept + costs.cpu.slope * deliveriesPerNodePerSec : null;

/** |predicted − observed| / observed; null when either is missing or nothing was observed. */
export function relativeError(predicted: number | null, observed: number): number | null {
  if (predicted === null || observed <= 0) return null;
  return Math.abs(predicted - observed) / observed;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number): string => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${(bytes / 1048576).toFixed(1)} MB`);
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** The assumptions behind the figures, with the numbers used. */
export function capacityAssumptions(costs: MeasuredCosts, machine: MachineFacts, machines: number): string[] {
  const m = costs.memory;
  const list = [
    `Memory: ${Math.round(MEMORY_HEADROOM * 100)}% of the machine's ${mb(machine.totalMemory)} is kept free for the OS and other processes; `
      + `the supervisor keeps its ${mb(costs.supervisorRss)}${m ? `, each node its idle ${mb(m.intercept)}, each connection ${kb(m.slope)}` : ''}.`,
    `CPU: the supervisor (gateway, broker, admin) keeps ${int(supervisorReserve(costs))}% of a core (measured ${int(costs.supervisorCpuPercent)}%, `
      + `at least ${SUPERVISOR_CPU_FLOOR}%); a node is one JavaScript thread and uses at most one core; ${machine.cores} cores in all.`,
    machine.maxConnectionsPerNode === null
      ? 'Open files: the nodes\' open-file limit is unknown or unlimited, so it sets no limit here.'
      : `Open files: each node holds at most ${int(machine.maxConnectionsPerNode)} connections (its open-file limit less what it keeps for itself).`,
    costs.idleCpu
      ? `Idle connections cost ${(costs.idleCpu.slope * 1e4).toFixed(2)} µs of CPU per second each (pings and sweeps).`
      : 'CPU per idle connection is not measured (it needs a while with connections and no deliveries), so CPU limits deliveries only.',
    'Deliveries/s are limited by CPU alone: each node\'s fixed CPU (the fit\'s intercept, at the connection count it was measured at) '
      + 'comes first; network bandwidth and message size are not modelled beyond what the measured load carried.',
    'Costs scale linearly from the measured load: far beyond it (GC pressure, swapping, the kernel\'s socket buffers) they may not. '
      + 'Nodes batch deliveries more at higher rates, so a delivery tends to cost less there: the deliveries/s figures lean low.',
  ];
  if (machines > 1) {
    list.push(`${machines} machines: identical to this one, each running its own supervisor and nodes on the Redis engine; `
      + 'Redis carries publications between them. Redis\' own limit is not measured here and is taken not to bind '
      + '(a history publish cost redis-server 12–16 µs of CPU on this kind of machine, about 60k publications/s per Redis core).');
  }
  return list;
}
