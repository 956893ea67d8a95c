/**
 * Shapes of the server HTTP API (PROTOCOL.md §10.2): method names, results per method, replies.
 * Result fields use Centrifugo's JSON names.
 */
import type { AppError, Result } from '../../shared/result.js';
import type {
  ClientInfo, HistoryResult, Json, PresenceStatsResult,
} from '../../shared/protocol/client-protocol.js';
import type { NodeInfo, ServerApiBackend } from './server-api-backend.js';
import type { Params } from './api-validate.js';

/** What every method runs with. */
export interface ApiContext {
  backend: ServerApiBackend;
  /** One line per unexpected failure (stacks stay in logs, never in replies). */
  log: (line: string) => void;
}

/** `offset` and `epoch` are both absent when the channel keeps no history. */
export interface PublishResult {
  offset?: number;
  epoch?: string;
}

/** One entry of a broadcast, in the order of the request's `channels`. */
export type BroadcastEntry = { result: PublishResult } | { error: AppError };

/** A node in `info`: `uptime` is left out when 0, like Centrifugo does. */
export type ApiNodeInfo = Omit<NodeInfo, 'uptime'> & { uptime?: number };

export type Empty = Record<string, never>;

export interface ApiResultByMethod {
  publish: PublishResult;
  broadcast: { responses: BroadcastEntry[] };
  subscribe: Empty;
  unsubscribe: Empty;
  disconnect: Empty;
  refresh: Empty;
  presence: { presence: Record<string, ClientInfo> };
  presence_stats: PresenceStatsResult;
  history: HistoryResult;
  history_remove: Empty;
  channels: { channels: Record<string, { num_clients: number }> };
  info: { nodes: ApiNodeInfo[] };
  rpc: { data: Json };
}

/** Every method but `batch`, whose reply has its own top-level shape. */
export type SingleMethod = keyof ApiResultByMethod;
export type ApiMethod = SingleMethod | 'batch';

/**
 * Every method (the compiler keeps the list exhaustive). The order is the one in which a batch
 * command's keys are tried, Centrifugo's; a command naming none of them answers 104.
 */
export const API_METHODS = {
  publish: 1, broadcast: 1, subscribe: 1, unsubscribe: 1, disconnect: 1, history: 1, history_remove: 1,
  presence: 1, presence_stats: 1, info: 1, rpc: 1, refresh: 1, channels: 1, batch: 1,
} as const satisfies Record<ApiMethod, 1>;

/** True for a name of `API_METHODS`. */
export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(API_METHODS, name);
}

/** The single methods, in batch order. */
export const SINGLE_METHODS = Object.keys(API_METHODS).filter((m): m is SingleMethod => m !== 'batch');

/** Runs one method on already decoded params; expected failures are error values. */
export type MethodHandler<M extends SingleMethod> = (
  ctx: ApiContext,
  params: Params,
) => Promise<Result<ApiResultByMethod[M], AppError>>;

/** One batch reply: the result keyed by its method, or an error. */
export type BatchReply = { [M in SingleMethod]: { [K in M]: ApiResultByMethod[K] } }[SingleMethod] | { error: AppError };

/** The body of a 200 answer. */
export type ApiResponse =
  | { result: ApiResultByMethod[SingleMethod] }
  | { error: AppError }
  | { replies: BatchReply[] };

/** A thrown value as one log line (the stack folded in), for stderr only. */
export function describeError(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message).replace(/\n\s*/g, ' | ') : String(e);
}
