/**
 * A Lua script run by its SHA1 (EVALSHA), sent in full (EVAL) only when Redis does not know it yet
 * — after a restart or SCRIPT FLUSH — so a steady stream of calls never re-sends the source.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export class LuaScript {
  private readonly sha: string;

  /** `lua` reads its keys from KEYS and everything else from ARGV. */
  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /** Runs the script atomically; every key must hash to the same slot for Redis Cluster. */
  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!(e as Error).message.startsWith('NOSCRIPT')) throw e;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}
