/**
 * What a bench run does: the full run (`npm run bench`, ≥ 3 repetitions where the budget allows, about an hour) and the
 * quick one (`npm run bench -- --quick`, 1 repetition, fewer and shorter steps, under 2 minutes).
 */
import type { PeerId, V8FlagsMode } from './peers.js';
import { V8_FLAGS_MODES } from './peers.js';

export interface CapacityOptions {
  peers: PeerId[];
  /** Idle connections held at each level (cumulative, one server per repetition). */
  levels: number[];
  concurrency: number;
  settleMs: number;
  /** Node/V8 flags of every server process (`--v8-flags=`, default `shipped`). */
  v8Flags: V8FlagsMode;
}

export interface FanoutOptions {
  peers: PeerId[];
  /** Subscriber counts, in rising order; one server per peer and repetition serves all of them. */
  subscribers: number[];
  /** Subscriber counts of the console-cost variant (it is compared with Switchboard 2 nodes at these). */
  consoleSubscribers: number[];
  /** Offered deliveries per second, rising; a peer's series stops at the first step it cannot keep up with. */
  rates: number[];
  /** More rates after `rates` for a subscriber count (the ladder goes higher where a peer still keeps up at its top). */
  extraRates: Record<number, number[]>;
  stepMs: number;
  /** After the last publication of a step, how long to wait for the missing ones. */
  drainMs: number;
  warmupMs: number;
  /** Server CPU sampled with the subscribers connected and nothing published, before each series. */
  idleMs: number;
  /** After a step that did not keep up, wait (at most this long) for the backlog to drain. */
  quietMaxMs: number;
  concurrency: number;
  /** Rates whose CPU per delivery and latency are reported (must be among `rates`). */
  cpuRates: number[];
  latencyRate: number;
  /** Node/V8 flags of every server process (`--v8-flags=`, default `shipped`). */
  v8Flags: V8FlagsMode;
}

export interface FailoverOptions {
  /** Nodes of the cluster (with `supervisors`: of each supervisor). */
  nodes: number;
  /**
   * The Redis engine's failover: this many supervisors on one redis-server, one of them SIGKILLed.
   * Absent: one supervisor on the memory engine, one node SIGKILLed.
   */
  supervisors?: number;
  clients: number;
  channels: number;
  /** Publications per second over all channels (round robin). */
  publishRate: number;
  beforeKillMs: number;
  afterRecoveryMs: number;
  /** centrifuge-js defaults: 500 ms … 20 s. */
  reconnect: { minDelayMs: number; maxDelayMs: number };
  recoverTimeoutMs: number;
  concurrency: number;
}

/** Workload `storm` (bench/storm.ts): every client at once, against each peer. */
export interface StormOptions {
  peers: PeerId[];
  clients: number;
  /** Client processes the clients are split over. */
  processes: number;
  /** Handshakes in flight at most, per client process; 0 = all at once (the storm). */
  concurrency: number;
  /** A client not connected by then stops trying (counted as failed). */
  giveUpMs: number;
}

/** Workload `idle-memory` (bench/idle-memory.ts): RSS per idle connection with 2 subscriptions each, at high levels. */
export interface IdleMemoryOptions {
  peers: PeerId[];
  /** Idle connections held at each level (cumulative, one server per repetition). */
  levels: number[];
  /** Sockets per client process at most (each process has its own source address and open-file limit). */
  perProcess: number;
  /** Handshakes in flight per client process. */
  concurrency: number;
  giveUpMs: number;
  settleMs: number;
}

// ─── shapes (issue 12, item 5 a, b, e): chat, size sweep, soak ───

export interface ChatOptions {
  peers: PeerId[];
  channels: number;
  clients: number;
  /** Subscribers per channel: uniform in [min, max], seeded. */
  subscribersPerChannel: { min: number; max: number };
  seed: number;
  /** Offered publications per second, rising; a peer's series stops at the first step it cannot keep up with. */
  rates: number[];
  /** The rate whose CPU µs/delivery is compared with raw ws (must be among `rates`). */
  cpuRate: number;
  stepMs: number;
  drainMs: number;
  warmupMs: number;
  quietMaxMs: number;
  concurrency: number;
  /** HTTP publish requests in flight at once (keep-alive connections of the publisher). */
  publishInFlight: number;
}

export interface SizesOptions {
  peers: PeerId[];
  subscribers: number;
  /** Payload sizes (bytes of JSON data) and the offered deliveries/s of each. */
  sizes: { bytes: number; rate: number }[];
  stepMs: number;
  drainMs: number;
  warmupMs: number;
  quietMaxMs: number;
  concurrency: number;
}

export interface SoakOptions {
  peers: PeerId[];
  subscribers: number;
  durationMs: number;
  windowMs: number;
  /** Deliveries/s when the run has no fan-out result for the peer; else its highest keeping-up rate at `subscribers` × `fanoutShare`. */
  defaultRate: number;
  fanoutShare: number;
  drainMs: number;
  concurrency: number;
  /** Repetitions at most (the drift is within one run; 30 s × every peer per repetition is long). */
  reps: number;
}

const CHAT_FULL: Omit<ChatOptions, 'peers'> = {
  channels: 5000, clients: 5000, subscribersPerChannel: { min: 2, max: 10 }, seed: 12,
  rates: [1000, 2500, 5000, 10_000], cpuRate: 2500, stepMs: 2500, drainMs: 1500, warmupMs: 500, quietMaxMs: 3000,
  concurrency: 100, publishInFlight: 16,
};
const SIZES = [100, 1024, 8192, 65_536];

export function shapeOptions(quick: boolean): { chat: ChatOptions; sizes: SizesOptions; soak: SoakOptions } {
  return {
    chat: quick
      ? { ...CHAT_FULL, peers: [...ALL], channels: 1000, clients: 1000, rates: [1000, 2500], cpuRate: 1000, stepMs: 1200, drainMs: 800, warmupMs: 300, quietMaxMs: 1500 }
      : { ...CHAT_FULL, peers: [...ALL] },
    sizes: {
      peers: [...ALL], subscribers: 1000,
      sizes: SIZES.map((bytes) => ({ bytes, rate: bytes > 8192 ? 5000 : 25_000 })),
      stepMs: quick ? 1200 : 2500, drainMs: quick ? 800 : 1500, warmupMs: 300, quietMaxMs: 1500, concurrency: 100,
    },
    soak: {
      peers: [...ALL], subscribers: 1000, durationMs: quick ? 8000 : 30_000, windowMs: quick ? 2000 : 5000,
      defaultRate: 25_000, fanoutShare: 0.8, drainMs: 1500, concurrency: 100, reps: 1,
    },
  };
}

export interface BenchOptions {
  quick: boolean;
  reps: number;
  /**
   * Pin server processes to core 0 and the generator to core 1 (taskset) for capacity and fan-out.
   * Failover always runs unpinned: 3 nodes, a restarting node and the gateway need more than one core
   * for a moment, and no peer is compared there.
   */
  pin: boolean;
  capacity: CapacityOptions | null;
  fanout: FanoutOptions | null;
  failover: FailoverOptions | null;
  /** Workload 5: the failover on the Redis engine (a supervisor SIGKILLed); `supervisors` is set. */
  redisFailover: FailoverOptions | null;
  /** Wall-clock budget; repetitions that would not fit are skipped and said so. */
  budgetMs: number;
  storm: StormOptions | null;
  idleMemory: IdleMemoryOptions | null;
  /** `--cores N`: spread the server's processes over N cores where the machine has them (bench/children.ts `planCores`). */
  cores: number | null;
  /** The shapes (item 5 a, b, e); absent in results written before they existed. */
  chat: ChatOptions | null;
  sizes: SizesOptions | null;
  soak: SoakOptions | null;
}

/** Development only: `--peers=ws,sb1` narrows the peers (the report still pairs against raw ws and SIO cluster when present). */

const ALL: PeerId[] = ['ws', 'ws-co', 'sio', 'sio-cluster', 'sb1', 'sb2'];
/** The fan-out peers of the Redis rows: the memory engine (1 supervisor × 2 nodes) and the Redis engine (2 supervisors × 1 node). */
const REDIS_ROWS: PeerId[] = ['sb2', 'sb2-redis'];

export function fullOptions(): BenchOptions {
  return {
    quick: false,
    reps: 3,
    pin: true,
    capacity: { peers: ALL, levels: [2000, 5000, 10_000], concurrency: 100, settleMs: 800, v8Flags: 'shipped' },
    fanout: {
      peers: [...ALL, 'sb2-console', 'sb2-redis'],
      subscribers: [1000, 5000],
      consoleSubscribers: [5000],
      rates: [10_000, 25_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000],
      extraRates: { 5000: [400_000, 500_000] },
      stepMs: 2500,
      drainMs: 1500,
      warmupMs: 500,
      idleMs: 1000,
      quietMaxMs: 3000,
      concurrency: 100,
      cpuRates: [25_000, 50_000],
      latencyRate: 25_000,
      v8Flags: 'shipped',
    },
    failover: {
      nodes: 3, clients: 10_000, channels: 100, publishRate: 200, beforeKillMs: 2000, afterRecoveryMs: 1500,
      reconnect: { minDelayMs: 500, maxDelayMs: 20_000 }, recoverTimeoutMs: 30_000, concurrency: 100,
    },
    redisFailover: {
      // 5,000 clients hand off to the survivor's one node: measured 36 s to recover here, so a bound of 90 s.
      nodes: 1, supervisors: 2, clients: 10_000, channels: 100, publishRate: 200, beforeKillMs: 2000, afterRecoveryMs: 1500,
      reconnect: { minDelayMs: 500, maxDelayMs: 20_000 }, recoverTimeoutMs: 90_000, concurrency: 100,
    },
    // Every workload of issue 12 (storm, idle memory, chat, sizes, soak) besides the first four:
    // about 25 minutes a repetition here; the budget fits the repetitions that matter most.
    budgetMs: 60 * 60_000,
    storm: { peers: ALL, clients: 10_000, processes: 2, concurrency: 0, giveUpMs: 60_000 },
    // 15k first: the highest level this machine's open-file limit (hard 20,000) lets a server hold.
    idleMemory: { peers: ALL, levels: [15_000, 50_000, 100_000], perProcess: 15_000, concurrency: 200, giveUpMs: 15_000, settleMs: 2000 },
    cores: null,
    ...shapeOptions(false),
  };
}

export function quickOptions(): BenchOptions {
  return {
    quick: true,
    reps: 1,
    pin: true,
    capacity: { peers: ALL, levels: [2000], concurrency: 100, settleMs: 800, v8Flags: 'shipped' },
    fanout: {
      peers: [...ALL, 'sb2-console', 'sb2-redis'],
      subscribers: [1000],
      consoleSubscribers: [1000],
      rates: [10_000, 25_000, 50_000],
      extraRates: {},
      stepMs: 1200,
      drainMs: 800,
      warmupMs: 300,
      idleMs: 500,
      quietMaxMs: 1500,
      concurrency: 100,
      cpuRates: [25_000, 50_000],
      latencyRate: 25_000,
      v8Flags: 'shipped',
    },
    failover: {
      nodes: 3, clients: 1500, channels: 30, publishRate: 100, beforeKillMs: 1000, afterRecoveryMs: 800,
      reconnect: { minDelayMs: 500, maxDelayMs: 20_000 }, recoverTimeoutMs: 15_000, concurrency: 100,
    },
    redisFailover: {
      nodes: 1, supervisors: 2, clients: 1500, channels: 30, publishRate: 100, beforeKillMs: 1000, afterRecoveryMs: 800,
      reconnect: { minDelayMs: 500, maxDelayMs: 20_000 }, recoverTimeoutMs: 15_000, concurrency: 100,
    },
    budgetMs: 115_000,
    storm: { peers: ALL, clients: 10_000, processes: 2, concurrency: 0, giveUpMs: 60_000 },
    idleMemory: { peers: ALL, levels: [5000, 10_000], perProcess: 15_000, concurrency: 200, giveUpMs: 15_000, settleMs: 1000 },
    cores: null,
    ...shapeOptions(true),
  };
}

/** What `--only=` accepts. */
const ONLY = ['capacity', 'fanout', 'failover', 'redis-failover', 'redis', 'storm', 'idle-memory', 'chat', 'sizes', 'soak'];

export function parseArgs(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const o = quick ? quickOptions() : fullOptions();
  if (argv.includes('--no-pin')) o.pin = false;
  const reps = argv.find((a) => a.startsWith('--reps='));
  if (reps) o.reps = Math.max(1, Number(reps.slice('--reps='.length)) || o.reps);
  const only = argv.find((a) => a.startsWith('--only='));
  if (only) {
    // `redis` = the Redis rows: fan-out of the memory engine vs the Redis engine, and the Redis failover.
    const keep = new Set(only.slice('--only='.length).split(','));
    const unknown = [...keep].filter((w) => !ONLY.includes(w));
    if (unknown.length > 0) throw new Error(`--only: unknown workload ${unknown.join(', ')} (known: ${ONLY.join(', ')})`);
    if (!keep.has('capacity')) o.capacity = null;
    if (!keep.has('fanout') && keep.has('redis') && o.fanout) o.fanout.peers = o.fanout.peers.filter((p) => REDIS_ROWS.includes(p));
    else if (!keep.has('fanout')) o.fanout = null;
    if (!keep.has('failover')) o.failover = null;
    if (!keep.has('redis') && !keep.has('redis-failover')) o.redisFailover = null;
    if (!keep.has('storm')) o.storm = null;
    if (!keep.has('idle-memory')) o.idleMemory = null;
    for (const w of ['chat', 'sizes', 'soak'] as const) if (!keep.has(w)) o[w] = null;
  }
  const cores = argv.indexOf('--cores');
  const coresEq = argv.find((a) => a.startsWith('--cores='));
  if (cores >= 0 || coresEq) {
    const n = Number(coresEq ? coresEq.slice('--cores='.length) : argv[cores + 1]);
    if (!Number.isInteger(n) || n < 1) throw new Error('--cores: give a whole number of cores (--cores 8 or --cores=8)');
    o.cores = n;
  }
  const flags = argv.find((a) => a.startsWith('--v8-flags='))?.slice('--v8-flags='.length);
  if (flags !== undefined) {
    if (!(V8_FLAGS_MODES as readonly string[]).includes(flags)) throw new Error(`--v8-flags: ${flags}? (known: ${V8_FLAGS_MODES.join(', ')})`);
    if (o.capacity) o.capacity.v8Flags = flags as V8FlagsMode;
    if (o.fanout) o.fanout.v8Flags = flags as V8FlagsMode;
  }
  const peers = argv.find((a) => a.startsWith('--peers='));
  if (peers) {
    const keep = new Set(peers.slice('--peers='.length).split(','));
    if (o.capacity) o.capacity.peers = o.capacity.peers.filter((p) => keep.has(p));
    if (o.fanout) o.fanout.peers = o.fanout.peers.filter((p) => keep.has(p));
    if (o.storm) o.storm.peers = o.storm.peers.filter((p) => keep.has(p));
    if (o.idleMemory) o.idleMemory.peers = o.idleMemory.peers.filter((p) => keep.has(p));
    for (const w of [o.chat, o.sizes, o.soak]) if (w) w.peers = w.peers.filter((p) => keep.has(p));
  }
  return o;
}
