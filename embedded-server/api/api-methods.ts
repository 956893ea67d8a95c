/**
 * Dispatch of the server HTTP API methods (PROTOCOL.md §10.2) and `batch`. Nothing here throws:
 * an unexpected failure of one method becomes error 100 (and a log line), also inside a batch.
 */
import type { AppError, Result } from '../../shared/result.js';
import { err } from '../../shared/result.js';
import type {
  ApiContext, ApiMethod, ApiResultByMethod, ApiResponse, BatchReply, MethodHandler, SingleMethod,
} from './api-types.js';
import { SINGLE_METHODS, describeError } from './api-types.js';
import { EngineError } from '../engine/engine.js';
import type { Params } from './api-validate.js';
import { ApiErrors, FieldReader, badRequest, isParams } from './api-validate.js';
import {
  broadcast, channels, history, historyRemove, info, presence, presenceStats, publish, rpc,
} from './api-channel-methods.js';
import { disconnect, refresh, subscribe, unsubscribe } from './api-session-methods.js';

const HANDLERS: { [M in SingleMethod]: MethodHandler<M> } = {
  publish,
  broadcast,
  subscribe,
  unsubscribe,
  disconnect,
  refresh,
  presence,
  presence_stats: presenceStats,
  history,
  history_remove: historyRemove,
  channels,
  info,
  rpc,
};

/** Runs one request: `{result}` or `{error}`, or `{replies}` for a batch. Never rejects. */
export async function executeApi(ctx: ApiContext, method: ApiMethod, params: Params): Promise<ApiResponse> {
  if (method === 'batch') return batch(ctx, params);
  const result = await runMethod(ctx, method, params);
  return result.ok ? { result: result.value } : { error: result.error };
}

/** One method, with any thrown failure turned into error 100. */
async function runMethod<M extends SingleMethod>(
  ctx: ApiContext, method: M, params: Params,
): Promise<Result<ApiResultByMethod[M], AppError>> {
  try {
    const handler: MethodHandler<M> = HANDLERS[method];
    return await handler(ctx, params);
  } catch (e) {
    // The engine's own failure (Redis down) is said in words, to the caller too; anything else is a bug: its stack goes to the log.
    if (e instanceof EngineError) {
      ctx.log(`server API ${method} failed: ${e.message}`);
      return err({ code: ApiErrors.internal.code, message: `${ApiErrors.internal.message}: ${e.message}` });
    }
    ctx.log(`server API ${method} failed: ${describeError(e)}`);
    return err(ApiErrors.internal);
  }
}

/**
 * `{"commands":[{"publish":{…}},…],"parallel"?}` → `{"replies":[{"publish":{…}} | {"error":{…}},…]}`,
 * replies in command order whether run one after another (default) or all at once.
 */
async function batch(ctx: ApiContext, params: Params): Promise<ApiResponse> {
  const f = new FieldReader(params);
  const commands = readCommands(f);
  const parallel = f.bool('parallel') ?? false;
  if (f.error) return { error: f.error };
  if (parallel) return { replies: await Promise.all(commands.map((command) => batchReply(ctx, command))) };
  const replies: BatchReply[] = [];
  for (const command of commands) replies.push(await batchReply(ctx, command));
  return { replies };
}

function readCommands(f: FieldReader): unknown[] {
  const commands = f.json('commands') ?? [];
  if (Array.isArray(commands)) return commands;
  f.fail(badRequest('commands must be an array'));
  return [];
}

/** The command's first method key in Centrifugo's order decides; none known → 104 "not found". */
async function batchReply(ctx: ApiContext, command: unknown): Promise<BatchReply> {
  if (!isParams(command)) return { error: badRequest('each command must be an object') };
  const method = SINGLE_METHODS.find((m) => command[m] !== undefined && command[m] !== null);
  if (method === undefined) return { error: ApiErrors.notFound };
  const params = command[method];
  if (!isParams(params)) return { error: badRequest(`${method} must be an object`) };
  const result = await runMethod(ctx, method, params);
  return result.ok ? keyed(method, result.value) : { error: result.error };
}

function keyed<M extends SingleMethod>(method: M, result: ApiResultByMethod[M]): BatchReply {
  // A computed key widens to string; the object is { [method]: result } by construction.
  return { [method]: result } as unknown as BatchReply;
}
