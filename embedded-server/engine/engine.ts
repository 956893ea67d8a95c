/**
 * The engine seam (issue 10 §1): everything a supervisor shares with other supervisors — channel
 * streams and fan-out (the broker), presence, and the control bus. The supervisor holds these
 * interfaces only; the in-process engine (memory-engine.ts) is the default, a Redis one plugs in here.
 */
import type { EngineLink } from '../../shared/admin/admin-model.js';
import type { ControlMessage } from '../../shared/engine/control-messages.js';
import type { ClientInfo, PresenceStatsResult } from '../../shared/protocol/client-protocol.js';
import type { Broker } from '../broker/broker.js';

/** Default seconds a presence entry lives after its last refresh (Centrifugo's presence_ttl). */
export const DEFAULT_PRESENCE_TTL_MS = 60_000;

/** A presence entry that left: for leave pushes. */
export interface PresenceLeft {
  channel: string;
  info: ClientInfo;
}

/**
 * Presence (PROTOCOL.md §7): channel → client id → ClientInfo, each entry owned by the node
 * incarnation holding the connection and expiring once not refreshed within the TTL.
 */
export interface PresenceEngine {
  /** Adds or replaces the client's entry, owned by `owner`, fresh for one TTL. */
  add(channel: string, info: ClientInfo, owner: string): Promise<void>;
  /** Extends the TTL of these entries when `owner` still owns them (a batch per node and interval). */
  refresh(owner: string, entries: { channel: string; client: string }[]): Promise<void>;
  remove(channel: string, client: string): Promise<void>;
  /** The live entries keyed by client id (expired ones are purged on read). */
  list(channel: string): Promise<Record<string, ClientInfo>>;
  stats(channel: string): Promise<PresenceStatsResult>;
  /** Removes every entry `owner` held; answers them, for leave pushes. */
  removeOwner(owner: string): Promise<PresenceLeft[]>;
  /** Removes expired entries; answers every entry that expired since the last call (also those purged on read). */
  expire(): Promise<PresenceLeft[]>;
}

/** Publishes typed control messages to every supervisor on the engine, this one included. */
export interface ControlBus {
  publish(message: ControlMessage): Promise<void>;
  /** Registers a listener for every control message. Returns a dispose. */
  subscribe(listener: (message: ControlMessage) => void): () => void;
}

/** The engine's own counters for /metrics (the memory engine's idle channel streams). */
export interface EngineMetrics {
  idleChannels?: { kept: number; dropped: { expired: number; limit: number } };
}

/**
 * An engine operation that failed because the engine's server could not do it (unreachable, no reply
 * in time, or its own error). Its message is meant for people — it names the operation and the server
 * — so the HTTP and admin APIs pass it on (one log line, no stack) instead of a bare internal error.
 */
export class EngineError extends Error {
  override readonly name = 'EngineError';
}

/** The link to an engine's server, for the console's engine tile (the in-process engine has none). */
export interface EngineHealth {
  /** Where it lives, without credentials (`redis://127.0.0.1:6379`). */
  address: string;
  link: EngineLink;
  /** Round-trip time of the last PING answered, ms; null while none was or the link is down. */
  rttMs: number | null;
  /** Times a connection was re-established since start. */
  reconnects: number;
}

/** Broker, presence and control bus of one engine. */
export interface Engine {
  /** Which implementation: shown in the admin snapshot. */
  readonly kind: 'memory' | 'redis';
  readonly broker: Broker;
  readonly presence: PresenceEngine;
  readonly control: ControlBus;
  /**
   * Drops and reopens the connection that receives publications and control messages, its
   * subscriptions restored: for one that went silent while it still looks connected. Engines
   * without such a connection (memory) have none.
   */
  reconnectSubscriber?(): Promise<void>;
  /**
   * Calls `listener` each time the receiving connection is back after a drop, once its
   * subscriptions are live again: publications sent meanwhile were lost. Returns a dispose.
   */
  onResubscribed?(listener: () => void): () => void;
  /** The link to the engine's server, read once a second (engines with no server have none). */
  health?(): EngineHealth;
  /** Counters the engine keeps itself, read at scrape time. */
  metrics?(): EngineMetrics;
  /** Ends timers and connections; idempotent. */
  stop(): Promise<void>;
}
