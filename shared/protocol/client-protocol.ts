/**
 * The client wire protocol: Centrifugo's JSON protocol as centrifuge-js v5 speaks it (PROTOCOL.md §2–§4).
 * Requests are what the server accepts after validation by `client.codec.ts`; results are what it sends.
 */
import type { AppError } from '../result.js';

/** Any JSON value, as a publisher sent it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A stream position: offset counts publications (first = 1), epoch changes when history is lost. */
export interface StreamPosition {
  offset: number;
  epoch: string;
}

export interface ClientInfo {
  /** User id; "" for anonymous. Always present on the wire. */
  user: string;
  /** Connection id. Always present on the wire. */
  client: string;
  /** From the connection token's `info` claim. */
  conn_info?: Json;
  /** From the subscription token's `info` claim. */
  chan_info?: Json;
}

export interface Publication {
  data: Json;
  info?: ClientInfo;
  /** Set only for channels with history. */
  offset?: number;
  tags?: Record<string, string>;
}

export interface ConnectRequest {
  token?: string;
  data?: Json;
  subs?: Record<string, { recover?: boolean; offset?: number; epoch?: string }>;
  /** The client's own name (centrifuge-js: "js"); longer than CLIENT_NAME_MAX_LENGTH is truncated. */
  name?: string;
  /** The client's own version; longer than CLIENT_VERSION_MAX_LENGTH is truncated. */
  version?: string;
  /** Emulated HTTP headers (centrifuge-js `headers`): proxies pass on the ones their `emulated_headers` name. */
  headers?: Record<string, string>;
}

/** Longest connect `name` kept (UTF-16 units); SDK names are a few characters ("js", "go"). */
export const CLIENT_NAME_MAX_LENGTH = 64;
/** Longest connect `version` kept (UTF-16 units); SDK versions are semver strings. */
export const CLIENT_VERSION_MAX_LENGTH = 64;

export interface SubscribeRequest {
  channel: string;
  token?: string;
  data?: Json;
  positioned?: boolean;
  recoverable?: boolean;
  join_leave?: boolean;
  recover?: boolean;
  offset?: number;
  epoch?: string;
  flag?: number;
  delta?: string;
  /** Map / shared-poll subscription type; anything but 0 is refused with 108. */
  type?: number;
  /**
   * Tags filter (a FilterNode tree, tags-filter.ts), checked by the subscribe handler: allowed only
   * where the namespace sets `allow_tags_filter`, else 107.
   */
  tf?: unknown;
}

export interface HistoryRequest {
  channel: string;
  limit?: number;
  since?: { offset?: number; epoch?: string };
  reverse?: boolean;
}

/** One decoded client command. `id` 0 means none (a pong or a `send`). */
export type Command =
  | { id: number; method: 'connect'; params: ConnectRequest }
  | { id: number; method: 'subscribe'; params: SubscribeRequest }
  | { id: number; method: 'unsubscribe'; params: { channel: string } }
  | { id: number; method: 'publish'; params: { channel: string; data: Json } }
  | { id: number; method: 'presence'; params: { channel: string } }
  | { id: number; method: 'presence_stats'; params: { channel: string } }
  | { id: number; method: 'history'; params: HistoryRequest }
  | { id: number; method: 'rpc'; params: { method?: string; data?: Json } }
  | { id: 0; method: 'send'; params: { data?: Json } }
  | { id: number; method: 'refresh'; params: { token?: string } }
  | { id: number; method: 'sub_refresh'; params: { channel: string; token?: string } }
  | { id: number; method: 'ping'; params: Record<string, never> }
  | { id: 0; method: 'pong'; params: Record<string, never> };

export type CommandMethod = Command['method'];

/** Method keys in the order the Go server checks them (PROTOCOL.md §2.1). */
export const COMMAND_METHODS = [
  'connect', 'subscribe', 'unsubscribe', 'publish', 'presence', 'presence_stats',
  'history', 'rpc', 'send', 'refresh', 'sub_refresh', 'ping',
] as const satisfies readonly Exclude<CommandMethod, 'pong'>[];

export interface ConnectResult {
  client: string;
  version: string;
  expires?: boolean;
  ttl?: number;
  data?: Json;
  subs?: Record<string, SubscribeResult>;
  ping?: number;
  pong?: boolean;
  /** Emulation transports only: the session id `POST /emulation` names, and the node holding it. */
  session?: string;
  node?: string;
}

export interface SubscribeResult {
  expires?: boolean;
  ttl?: number;
  recoverable?: boolean;
  positioned?: boolean;
  epoch?: string;
  offset?: number;
  publications?: Publication[];
  recovered?: boolean;
  was_recovering?: boolean;
  data?: Json;
  /** Fossil deltas negotiated: every publication's `data` is then JSON text, or a delta of it with `delta: true`. */
  delta?: boolean;
}

export interface HistoryResult {
  publications: Publication[];
  epoch: string;
  offset: number;
}

export interface PresenceResult {
  presence: Record<string, ClientInfo>;
}

export interface PresenceStatsResult {
  num_clients: number;
  num_users: number;
}

export interface RefreshResult {
  expires?: boolean;
  ttl?: number;
}

/** Result object per method; every reply carries its key even when empty (PROTOCOL.md §12.2). */
export interface ResultByMethod {
  connect: ConnectResult;
  subscribe: SubscribeResult;
  unsubscribe: Record<string, never>;
  publish: Record<string, never>;
  presence: PresenceResult;
  presence_stats: PresenceStatsResult;
  history: HistoryResult;
  rpc: { data?: Json };
  refresh: RefreshResult;
  sub_refresh: RefreshResult;
}

export type ReplyMethod = keyof ResultByMethod;

export type Reply =
  | { [M in ReplyMethod]: { id: number; method: M; result: ResultByMethod[M] } }[ReplyMethod]
  | { id: number; error: AppError };

/** Server pushes (PROTOCOL.md §3.1); never carry an `id`. */
export type Push =
  | { channel: string; pub: Publication }
  | { channel: string; join: { info: ClientInfo } }
  | { channel: string; leave: { info: ClientInfo } }
  | { channel: string; unsubscribe: { code: number; reason: string } }
  | { channel: string; subscribe: SubscribeResult }
  | { message: { data: Json } }
  | { disconnect: { code: number; reason: string } };
