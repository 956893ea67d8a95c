/**
 * The simulator's process boundaries, one typed union each way:
 * coordinator ↔ bot processes (plan, phases, reports), and supervisor ↔ fleet process (start, stop,
 * status). Everything travels over `child_process` IPC as structured objects — no JSON by hand.
 */
import type { SimProfile, SimulatorCounts, SimulatorParams, SimulatorStatus } from '../../shared/admin/simulator-model.js';
import type { SparseCounts } from './latency-histogram.js';

/** Where the fleet connects and how it signs in. */
export interface SimTarget {
  /** `ws://host:port/connection/websocket` */
  url: string;
  /** `http://host:port/api`; the feed profile publishes through it. */
  apiUrl: string;
  /** X-API-Key; "" when the HTTP API is insecure. */
  apiKey: string;
  /** HMAC secret of connection tokens (client.token.hmac_secret_key). */
  tokenSecret: string;
  tokenAudience?: string;
  tokenIssuer?: string;
}

/** Monotonic counts a bot process keeps (everything in SimulatorCounts but gauges and latency). */
export type BotTallies = Omit<SimulatorCounts, 'connected' | 'subscribed' | 'latency' | 'latencyRecent'>;

export const zeroTallies = (): BotTallies => ({
  sent: 0, received: 0, lost: 0, duplicated: 0, outOfOrder: 0, recovered: 0, notRecovered: 0, reconnects: 0,
  drops: 0, slowCloses: 0, refused: 0, errors: 0, typingSent: 0, typingReceived: 0, joins: 0, leaves: 0,
});

/** One bot process's share of the fleet. */
export interface BotPlan {
  /** Short tag in channel names, so runs never share streams. */
  tag: string;
  profile: SimProfile;
  target: SimTarget;
  /** This process's bots have the global indices offset, offset + stride, … (so every process ramps evenly). */
  offset: number;
  stride: number;
  clients: number;
  channels: number;
  rate: number;
  rampMs: number;
}

/** The fleet's phases as bot processes act on them. */
export type BotPhase = 'ramping' | 'running' | 'draining' | 'stopping';

export type ToBots =
  | { t: 'plan'; plan: BotPlan }
  | { t: 'phase'; phase: BotPhase };

/** Cumulative state of one bot process. */
export interface BotReport {
  tallies: BotTallies;
  connected: number;
  subscribed: number;
  latency: { counts: SparseCounts; max: number };
}

export type FromBots =
  | { t: 'ready' }
  | { t: 'report'; report: BotReport }
  /** Sent once every bot closed; the process exits after it. */
  | { t: 'final'; report: BotReport };

export type ToFleet =
  | { t: 'start'; id: string; params: SimulatorParams; target: SimTarget }
  | { t: 'stop' };

export type FromFleet = { t: 'status'; status: SimulatorStatus };
