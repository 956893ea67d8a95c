/**
 * The load simulator as the admin API and the CLI describe it: a run's parameters, its state, and
 * the fleet's own counts — the ground truth the console's figures are checked against.
 * docs/simulator.md explains each count.
 */

/** What the simulated clients do (docs/simulator.md). */
export const SIM_PROFILES = ['chat', 'feed', 'flaky', 'slow'] as const;
export type SimProfile = (typeof SIM_PROFILES)[number];

/** Bounds of the run parameters, shared by the admin schema and the CLI. */
export const SIM_LIMITS = {
  clients: { min: 1, max: 20_000 },
  channels: { min: 1, max: 10_000 },
  /** Publications per second per channel. */
  rate: { min: 0, max: 1_000 },
  rampSeconds: { min: 0, max: 600 },
  durationSeconds: { min: 1, max: 86_400 },
} as const;

/** Bots per bot process, unless a run says otherwise. */
export const DEFAULT_BOTS_PER_PROCESS = 2_500;

/** The last part of a run, without publications, so deliveries in flight arrive before the end. */
export function drainMs(durationMs: number): number {
  return Math.min(5_000, Math.max(1_000, durationMs * 0.2));
}

export interface SimulatorParams {
  profile: SimProfile;
  /** Simulated clients (bots), one WebSocket each. */
  clients: number;
  /** Rooms (chat, flaky, slow) or feeds (feed); bot i joins channel i mod channels. */
  channels: number;
  /** Publications per second per channel, across the fleet (deliveries/s ≈ rate × clients). */
  rate: number;
  /** Bots start evenly over this many seconds. */
  rampSeconds: number;
  /** Whole run, ramp included; every bot and timer ends by then. */
  durationSeconds: number;
}

/**
 * `starting`: processes forking; `ramping`: bots connecting; `running`: publishing;
 * `draining`: publishing stopped, deliveries settle; `finished`/`failed`: over (final counts).
 */
export type SimulatorState = 'starting' | 'ramping' | 'running' | 'draining' | 'finished' | 'failed';

export interface LatencySummary {
  /** Live publications measured (recovered ones are not: their delay is the outage). */
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Counts kept by the bots themselves, summed over every bot process. */
export interface SimulatorCounts {
  /** Bots whose connect succeeded and whose socket is open now. */
  connected: number;
  /** Subscriptions in the subscribed state now (data and typing channels). */
  subscribed: number;
  /** Publications accepted: a publish reply (chat) or an HTTP API result (feed). Typing not included. */
  sent: number;
  /** Distinct publications delivered on data channels, live or recovered (a duplicate is not counted again). */
  received: number;
  /** Offsets never delivered: gaps not filled by recovery or a later delivery. */
  lost: number;
  /** Publications delivered again with an offset already delivered. */
  duplicated: number;
  /** Publications delivered after a higher offset (filling an earlier gap). */
  outOfOrder: number;
  /** Resubscribes with a position that came back `recovered: true`. */
  recovered: number;
  /** Resubscribes with a position that came back `recovered: false`. */
  notRecovered: number;
  /** Connection attempts after a bot's first one. */
  reconnects: number;
  /** Abrupt drops the flaky profile made (socket terminated, no close frame). */
  drops: number;
  /** Closes with 3008 "slow" from the server. */
  slowCloses: number;
  /** Closes from the server that end a bot (terminal codes), and failed connects. */
  refused: number;
  /** Error replies to publish or subscribe commands, and failed HTTP API publishes. */
  errors: number;
  typingSent: number;
  typingReceived: number;
  joins: number;
  leaves: number;
  /** Publish → receive, whole run. */
  latency: LatencySummary;
  /** Publish → receive over the last 5 seconds. */
  latencyRecent: LatencySummary;
}

export interface SimulatorStatus {
  id: string;
  params: SimulatorParams;
  state: SimulatorState;
  /** Unix ms. */
  startedAt: number;
  elapsedMs: number;
  /** The coordinating process first, then the bot processes. */
  pids: number[];
  counts: SimulatorCounts;
  /** Why a run failed. */
  message?: string;
}

const noLatency = (): LatencySummary => ({ samples: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 });

/** The counts of a fleet that has not reported yet. */
export function emptySimulatorCounts(): SimulatorCounts {
  return {
    connected: 0, subscribed: 0, sent: 0, received: 0, lost: 0, duplicated: 0, outOfOrder: 0, recovered: 0, notRecovered: 0,
    reconnects: 0, drops: 0, slowCloses: 0, refused: 0, errors: 0, typingSent: 0, typingReceived: 0, joins: 0, leaves: 0,
    latency: noLatency(), latencyRecent: noLatency(),
  };
}
