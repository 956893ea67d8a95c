/**
 * The capacity planner's contract (`capacity.estimate`): what one node was measured to cost, the
 * machine it runs on, and the projection of how far this machine — or N nodes on each of M machines
 * on the Redis engine — can go. The projection itself is pure (capacity-projection.ts).
 */

/** Bounds of `capacity.estimate`'s what-if parameters. */
export const CAPACITY_LIMITS = {
  nodesPerMachine: { min: 1, max: 64 },
  machines: { min: 1, max: 100 },
} as const;

/** Share of the machine's memory kept free for the OS, page cache and other processes. */
export const MEMORY_HEADROOM = 0.2;
/** CPU (one core = 100) kept for the supervisor (gateway, broker, admin) at least, whatever it was measured at. */
export const SUPERVISOR_CPU_FLOOR = 10;
/**
 * A node's RSS is sampled for memory only from this long after its first connection: until then it
 * carries its startup garbage, which its first collections under load give back (several MB — more
 * than a few hundred connections cost — which would read as a negative cost per connection).
 */
export const WARMUP_MS = 20_000;
/** A node is one JavaScript thread: it uses at most one core. */
export const NODE_CPU_CEILING = 100;

/** A straight line fitted to samples: y = intercept + slope × x. */
export interface LineFit {
  slope: number;
  intercept: number;
  /** Samples behind it. */
  samples: number;
  /** Standard deviation of the samples around the line (y's unit). */
  spread: number;
  /** Standard error of the slope (null for `average`). */
  slopeError: number | null;
  /** Share of y's variance the line explains, 0…1; null when y did not vary. */
  r2: number | null;
  /** The range of x the samples covered. */
  xMin: number;
  xMax: number;
  /**
   * `fit`: least squares over samples at different x; `average`: (y − baseline) / x at one x;
   * `bound`: the fitted slope was not above zero (the cost hides in the noise), so the slope is the
   * fit's upper bound (slope + 2 standard errors): the cost is at most this.
   */
  method: 'fit' | 'average' | 'bound';
}

/** What one node was measured to cost, from the supervisor's 1 Hz samples. */
export interface MeasuredCosts {
  /** 1 Hz samples of this supervisor's nodes kept (all nodes together) and the seconds they span. */
  samples: number;
  windowSeconds: number;
  /** RSS (bytes) of one node against its connections: intercept = an idle node, slope = bytes per connection. Null: not enough data yet. */
  memory: LineFit | null;
  /** CPU (one core = 100) of one node against its deliveries/s: intercept = fixed cost, slope = % per delivery/s. */
  cpu: LineFit | null;
  /** CPU of one node against its connections while nothing is delivered: slope = % per idle connection. */
  idleCpu: LineFit | null;
  /** The supervisor process itself: mean CPU (one core = 100) and latest RSS over the window. */
  supervisorCpuPercent: number;
  supervisorRss: number;
  /** The load the costs were measured at: means per node over the last 10 s, and the cluster's totals. */
  at: { nodes: number; connections: number; deliveriesPerSec: number; connectionsPerNode: number; deliveriesPerNodePerSec: number };
  /** Why a cost is missing or only bounded, in words the console shows ("no connections yet…"). */
  missing: string[];
}

/** The machine the supervisor runs on. */
export interface MachineFacts {
  totalMemory: number;
  freeMemory: number;
  cores: number;
  /** 1, 5 and 15 minute load averages. */
  loadAverage: [number, number, number];
  /** Nodes this supervisor runs now. */
  nodes: number;
  /** Connections one node's open-file limit allows (the smallest over the nodes); null: unknown or unlimited. */
  maxConnectionsPerNode: number | null;
}

/** The limit that stops connections first. */
export type CapacityLimit = 'memory' | 'open files' | 'cpu';

/** One configuration's projection: N nodes on each of M machines. */
export interface CapacityRow {
  nodesPerMachine: number;
  machines: number;
  /** Null where no limit could be worked out (no costs measured yet). */
  maxConnections: number | null;
  maxDeliveriesPerSec: number | null;
  /** The limit that binds first for connections; null when none is known. */
  binding: CapacityLimit | null;
  /** Each limit on connections (all machines together); null: not known / not a limit. */
  limits: Record<CapacityLimit, number | null>;
}

/** The model at the load it was measured at, against what the nodes reported there (the last 10 s). */
export interface MeasuredPointCheck {
  connectionsPerNode: number;
  deliveriesPerNodePerSec: number;
  observedRssPerNode: number;
  predictedRssPerNode: number | null;
  observedCpuPerNode: number;
  predictedCpuPerNode: number | null;
}

/** `capacity.estimate`'s answer. */
export interface CapacityEstimate {
  at: number;
  costs: MeasuredCosts;
  machine: MachineFacts;
  /** This machine as it runs now (its current nodes, one machine). */
  current: CapacityRow;
  /** The what-if table: node counts up to the asked `nodesPerMachine`, on the asked `machines`. */
  table: CapacityRow[];
  /** The asked parameters, defaults filled in. */
  nodesPerMachine: number;
  machines: number;
  check: MeasuredPointCheck | null;
  /** Every assumption behind the figures, in words. */
  assumptions: string[];
}
