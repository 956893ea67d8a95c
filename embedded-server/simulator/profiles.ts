/**
 * What each profile makes its bots do (docs/simulator.md): which namespace, who publishes, typing,
 * join/leave, abrupt drops, slow reading. Channel names carry the run's tag so runs never share streams.
 */
import type { SimProfile } from '../../shared/admin/simulator-model.js';

export interface ProfileSpec {
  /** Namespace of the data channels (both have history and forced recovery by default). */
  namespace: 'chat' | 'feed';
  /** Bots publish (chat rooms); otherwise the fleet publishes through the HTTP API (feed). */
  botsPublish: boolean;
  /** Bots also subscribe to `typing:<room>` and send a typing publication before each message. */
  typing: boolean;
  /** Bots ask for join/leave pushes of their room. */
  joinLeave: boolean;
  /** Abrupt drops: the socket is terminated without a close frame now and then. */
  drops: boolean;
  /** Slow reading: the socket is paused for stretches. */
  pauses: boolean;
  /** Extra payload bytes per publication (so slow readers fall behind sooner). */
  padBytes: number;
}

export const PROFILES: Record<SimProfile, ProfileSpec> = {
  chat: { namespace: 'chat', botsPublish: true, typing: true, joinLeave: true, drops: false, pauses: false, padBytes: 0 },
  feed: { namespace: 'feed', botsPublish: false, typing: false, joinLeave: false, drops: false, pauses: false, padBytes: 0 },
  flaky: { namespace: 'chat', botsPublish: true, typing: false, joinLeave: false, drops: true, pauses: false, padBytes: 0 },
  slow: { namespace: 'chat', botsPublish: true, typing: false, joinLeave: false, drops: false, pauses: true, padBytes: 8192 },
};

/** Fleet-wide, flaky bots drop at most about this many connections per second. */
const MAX_DROPS_PER_SECOND = 200;
/** A flaky bot stays connected at least this long on average. */
const MIN_MEAN_UPTIME_MS = 3_000;

/** Slow readers alternate: read for READ_MS, then pause for PAUSE_MS (each ± half, at random). */
export const SLOW_READ_MS = 3_000;
export const SLOW_PAUSE_MS = 4_000;

/** The room (or feed) of bot i. */
export const roomOf = (index: number, channels: number): number => index % channels;

/** How many bots share a room: channels split the clients as evenly as possible. */
export function roomSize(room: number, clients: number, channels: number): number {
  return Math.floor(clients / channels) + (room < clients % channels ? 1 : 0);
}

export const dataChannel = (spec: ProfileSpec, tag: string, room: number): string => `${spec.namespace}:sim-${tag}-${room}`;
export const typingChannel = (tag: string, room: number): string => `typing:sim-${tag}-${room}`;

/** Mean connected time of a flaky bot before it drops. */
export function meanUptimeMs(clients: number): number {
  return Math.max(MIN_MEAN_UPTIME_MS, (clients / MAX_DROPS_PER_SECOND) * 1000);
}

/** Uniform in [mean/2, 3·mean/2]. */
export const jitter = (mean: number): number => mean * (0.5 + Math.random());

/** Milliseconds between one bot's publications: its room publishes `rate`/s in turns; Infinity at rate 0. */
export function publishIntervalMs(rate: number, size: number): number {
  return rate > 0 && size > 0 ? (size / rate) * 1000 : Infinity;
}
