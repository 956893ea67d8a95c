/**
 * The broker: channel streams (offset + epoch, bounded history) and fan-out between supervisors
 * (presence is the engine's PresenceEngine). Async so that a Redis implementation can replace the in-process one
 * (ARCHITECTURE.md "Scale-out"). The broker alone assigns offsets.
 */
import type { AppError, Result } from '../../shared/result.js';
import type { ChannelOptions } from '../../shared/channels/channel-options.js';
import { hasHistory } from '../../shared/channels/channel-options.js';
import type {
  ClientInfo, HistoryResult, Json, Publication, StreamPosition,
} from '../../shared/protocol/client-protocol.js';

/** The stream settings of a namespace, or null when it keeps no history. */
export function streamOptions(o: ChannelOptions): StreamOptions | null {
  return hasHistory(o) ? { size: o.historySize, ttlMs: o.historyTtlMs, metaTtlMs: o.historyMetaTtlMs } : null;
}

/** History settings of a channel's namespace. `size` 0 or `ttlMs` 0 means no history. */
export interface StreamOptions {
  size: number;
  ttlMs: number;
  metaTtlMs: number;
}

export interface HistoryQuery {
  /** 0: position only; -1: all; N > 0: up to N. */
  limit: number;
  since?: { offset: number; epoch: string };
  reverse: boolean;
}

/**
 * Which server path published (a client publish is known by its `info`). Only for the console's
 * inspector: never stored in history nor sent to clients, so a broker that relays publications
 * between supervisors (Redis) hands them over without it.
 */
export type PublishOrigin = 'http-api' | 'admin';

/** What the broker hands to its listeners for each publication, join or leave. */
export type BrokerEvent =
  /** `delta`: subscribers that negotiated fossil deltas get this one as a delta against the previous. */
  | { kind: 'pub'; channel: string; pub: Publication; epoch?: string; delta?: boolean; origin?: PublishOrigin }
  | { kind: 'join' | 'leave'; channel: string; info: ClientInfo };

export interface Broker {
  /** Appends to the channel's stream when `stream` keeps history; delivers to every listener. */
  publish(
    channel: string,
    data: Json,
    opts: { stream: StreamOptions | null; info?: ClientInfo; tags?: Record<string, string>; delta?: boolean; origin?: PublishOrigin },
  ): Promise<{ offset?: number; epoch?: string }>;
  publishJoin(channel: string, info: ClientInfo): Promise<void>;
  publishLeave(channel: string, info: ClientInfo): Promise<void>;

  /** Reads history (PROTOCOL.md §6.4): 112 when `since.epoch` is given and differs. */
  history(channel: string, query: HistoryQuery, stream: StreamOptions): Promise<Result<HistoryResult, AppError>>;
  /** The stream top and epoch; creates the stream (offset 0, new epoch) when it does not exist. */
  position(channel: string, stream: StreamOptions): Promise<StreamPosition>;
  /** Drops the publications, keeps offset and epoch. */
  removeHistory(channel: string): Promise<void>;

  /**
   * Interest: the broker delivers a channel's events to this supervisor only between `subscribe`
   * and `unsubscribe` (the in-process broker delivers everything; a Redis one uses it for pub/sub).
   */
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;

  /** Registers the listener that receives every publication, join and leave. Returns a dispose. */
  onEvent(listener: (event: BrokerEvent) => void): () => void;

  stop(): Promise<void>;
}
