/** The errors of the Redis engine as its callers (and their logs) show them. */
import { ReplyError } from 'ioredis';
import type { Redis } from 'ioredis';
import { EngineError } from '../engine.js';
import { describeServer } from './redis-target.js';

/**
 * Names the operation and Redis's address, and says what went wrong in words instead of ioredis's
 * internals: unreachable (the connection is not up: the call was refused at once, or the
 * connection dropped under it), no reply in time, or Redis's own error (e.g. READONLY, OOM).
 */
export function redisError(op: string, redis: Redis, cause: unknown): Error {
  const message = cause instanceof Error ? cause.message : String(cause);
  const { commandTimeout } = redis.options;
  const where = describeServer(redis);
  let text: string;
  if (redis.status !== 'ready') text = `${where} is unreachable (${redis.status})`;
  else if (message === 'Command timed out') text = `${where} did not answer within ${commandTimeout ?? 0} ms`;
  else if (cause instanceof (ReplyError as new () => Error)) text = `${where} answered: ${message}`;
  else text = `${where}: ${message}`;
  return new EngineError(`redis engine: ${op} failed: ${text}`, { cause });
}

/** Runs one engine operation; a rejection becomes {@link redisError} for `op`. */
export async function named<T>(op: string, redis: Redis, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw redisError(op, redis, e);
  }
}
