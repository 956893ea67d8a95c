/**
 * The Redis engine (issue 10 §2): broker, presence and control bus of every supervisor that shares
 * one Redis and key prefix. Two connections: one for commands (no offline queue, so calls fail fast
 * while Redis is down) and one in pub/sub mode shared by the broker and the control bus.
 */
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Engine } from '../engine.js';
import { DEFAULT_PRESENCE_TTL_MS } from '../engine.js';
import { RedisBroker } from './redis-broker.js';
import { RedisControlBus } from './redis-control-bus.js';
import { RedisPresence } from './redis-presence.js';

/** Default key prefix (Centrifugo's is "centrifugo"). */
export const DEFAULT_REDIS_PREFIX = 'switchboard';
/** Default Redis address. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface RedisEngineOptions {
  /** `redis://[user:password@]host:port[/db]` (default redis://127.0.0.1:6379). */
  url?: string;
  /** Prefix of every key and pub/sub channel (default "switchboard"). */
  prefix?: string;
  /** How long a presence entry lives after its last refresh (default 60 s). */
  presenceTtlMs?: number;
  /** A command without a reply within this long fails (default 5 s): a half-open connection never hangs a publish. */
  commandTimeoutMs?: number;
  /** Where connection trouble is reported (default: stderr). */
  log?: (line: string) => void;
}

const defaultLog = (line: string): void => void process.stderr.write(`switchboard: ${line}\n`);

/**
 * Connects to Redis, checks its eviction policy and answers the engine; rejects with a clear error
 * when Redis cannot be reached or would evict history. `stop()` quits both connections.
 */
export async function createRedisEngine(opts: RedisEngineOptions = {}): Promise<Engine> {
  const url = opts.url ?? DEFAULT_REDIS_URL;
  const prefix = opts.prefix ?? DEFAULT_REDIS_PREFIX;
  if (/[{}]/.test(prefix)) throw new Error(`redis engine: prefix "${prefix}" must not contain "{" or "}" (they mark Redis Cluster hash tags)`);
  const log = opts.log ?? defaultLog;
  const options: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: opts.commandTimeoutMs ?? 5_000,
    connectionName: `${prefix}-commands`,
  };
  const commands = new Redis(url, options);
  // The subscriber keeps its offline queue: ioredis resubscribes its channels after a reconnect.
  const subscriber = new Redis(url, { ...options, enableOfflineQueue: true, commandTimeout: undefined, connectionName: `${prefix}-pubsub` });
  watch(commands, 'commands', url, log);
  watch(subscriber, 'pub/sub', url, log);
  const disconnect = (): void => {
    commands.disconnect();
    subscriber.disconnect();
  };

  try {
    await Promise.all([commands.connect(), subscriber.connect()]);
  } catch (e) {
    disconnect();
    throw new Error(`redis engine: cannot connect to ${url}: ${(e as Error).message}`, { cause: e });
  }
  try {
    await refuseEvictingPolicy(commands, url);
  } catch (e) {
    disconnect();
    throw e;
  }

  const broker = new RedisBroker(commands, subscriber, prefix);
  const presence = new RedisPresence(commands, subscriber, prefix, { ttlMs: opts.presenceTtlMs ?? DEFAULT_PRESENCE_TTL_MS });
  const control = new RedisControlBus(commands, subscriber, prefix, { log });
  try {
    await control.ready();
  } catch (e) {
    disconnect();
    throw new Error(`redis engine: cannot subscribe the control bus on ${url}: ${(e as Error).message}`, { cause: e });
  }

  let stopping: Promise<void> | undefined;
  return {
    kind: 'redis',
    broker,
    presence,
    control,
    reconnectSubscriber: async () => {
      // reconnect=true: ioredis opens a new connection and resubscribes every channel on it.
      if (!stopping) subscriber.disconnect(true);
    },
    onResubscribed: (listener) => onResubscribed(subscriber, listener, log),
    stop: () => {
      stopping ??= (async () => {
        await control.stop();
        await broker.stop();
        await Promise.all([quit(commands), quit(subscriber)]);
      })();
      return stopping;
    },
  };
}

/**
 * `allkeys-*` lets Redis evict any key under memory pressure — streams and metas included — so
 * history would vanish silently and offsets restart under an epoch clients still hold.
 */
async function refuseEvictingPolicy(redis: Redis, url: string): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = await redis.config('GET', 'maxmemory-policy') as string[];
    policy = reply[1];
  } catch {
    // CONFIG may be renamed or disabled (managed Redis); the policy cannot be checked, so trust it.
    return;
  }
  if (policy?.startsWith('allkeys-')) {
    throw new Error(
      `redis engine: ${url} runs with maxmemory-policy ${policy}, which may evict channel history and stream positions silently; ` +
      'set it to noeviction or a volatile-* policy (CONFIG SET maxmemory-policy noeviction)',
    );
  }
}

function watch(redis: Redis, role: string, url: string, log: (line: string) => void): void {
  // Before the first ready a failure is the error createRedisEngine throws; after it, one line per outage
  // (without a listener ioredis would print every reconnect attempt).
  let down = true;
  redis.on('error', (e: Error) => {
    if (down) return;
    down = true;
    log(`redis engine: ${role} connection to ${url}: ${e.message}`);
  });
  let wasReady = false;
  redis.on('ready', () => {
    if (wasReady) log(`redis engine: ${role} connection to ${url} is back`);
    wasReady = true;
    down = false;
  });
}

/**
 * ioredis emits 'ready' before the SUBSCRIBEs it resends are answered; a PING sent after them is
 * answered after them, so its reply means every subscription is live again.
 */
function onResubscribed(subscriber: Redis, listener: () => void, log: (line: string) => void): () => void {
  let wasReady = subscriber.status === 'ready';
  const onReady = (): void => {
    if (!wasReady) {
      wasReady = true;
      return;
    }
    subscriber.ping().then(() => listener(), (e: Error) => log(`redis engine: pub/sub connection not back: ${e.message}`));
  };
  subscriber.on('ready', onReady);
  return () => void subscriber.off('ready', onReady);
}

async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await redis.quit().catch(() => redis.disconnect());
}
