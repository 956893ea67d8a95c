/**
 * The Redis engine (issue 10 §2): broker, presence and control bus of every supervisor that shares
 * one Redis and key prefix. Two connections: one for commands (no offline queue, so calls fail fast
 * while Redis is down) and one in pub/sub mode shared by the broker and the control bus. Both reach
 * one server by URL, or the master of a Sentinel group (redis-target.ts) and follow its failovers.
 *
 * When Redis restarts or fails over (docs/architecture.md, "When Redis restarts or fails over"):
 * calls fail at once while it is unreachable; once both connections are back (and the server's data
 * generation is checked, redis-generation.ts) the `onResubscribed` listeners run, and the supervisor
 * makes its nodes reconcile positions.
 */
import { performance } from 'node:perf_hooks';
import type { Redis, RedisOptions } from 'ioredis';
import type { EngineLink } from '../../../shared/admin/admin-model.js';
import type { Engine, EngineHealth } from '../engine.js';
import { DEFAULT_PRESENCE_TTL_MS } from '../engine.js';
import { RedisBroker } from './redis-broker.js';
import { RedisControlBus } from './redis-control-bus.js';
import { EpochGeneration } from './redis-generation.js';
import { RedisPresence } from './redis-presence.js';
import { currentMaster, describeTarget, openConnection } from './redis-target.js';
import type { RedisSentinelTarget } from './redis-target.js';

export { withoutCredentials } from './redis-target.js';
export type { RedisSentinelTarget } from './redis-target.js';

/** Default key prefix (Centrifugo's is "centrifugo"). */
export const DEFAULT_REDIS_PREFIX = 'switchboard';
/** Default Redis address. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface RedisEngineOptions {
  /** `redis://[user:password@]host:port[/db]` (default redis://127.0.0.1:6379); unused with `sentinel`. */
  url?: string;
  /** The master's ACL user, password and database where the URL names none (with `sentinel`, the only place). */
  user?: string;
  password?: string;
  db?: number;
  /** Find the master through these sentinels, and follow it when they fail over to a replica. */
  sentinel?: RedisSentinelTarget;
  /** Prefix of every key and pub/sub channel (default "switchboard"). */
  prefix?: string;
  /** How long a presence entry lives after its last refresh (default 60 s). */
  presenceTtlMs?: number;
  /** A command without a reply within this long fails (default 5 s): a half-open connection never hangs a publish. */
  commandTimeoutMs?: number;
  /** Where connection trouble is reported (default: stderr). */
  log?: (line: string) => void;
  /** How often health() measures the round trip with a PING on the command connection (default 1 s). */
  pingIntervalMs?: number;
}

/** The options of `engine.redis` as the config resolves it (cluster-config.ts). */
export interface RedisEngineConfig {
  address: string;
  prefix: string;
  presenceTtlMs?: number;
  user?: string;
  password?: string;
  db?: number;
  sentinel?: RedisSentinelTarget;
}

/** `engine.redis` → the engine's options, each connection setting passed on as given. */
export function redisEngineOptions(c: RedisEngineConfig): RedisEngineOptions {
  return {
    url: c.address,
    prefix: c.prefix,
    ...(c.presenceTtlMs === undefined ? {} : { presenceTtlMs: c.presenceTtlMs }),
    ...(c.user === undefined ? {} : { user: c.user }),
    ...(c.password === undefined ? {} : { password: c.password }),
    ...(c.db === undefined ? {} : { db: c.db }),
    ...(c.sentinel === undefined ? {} : { sentinel: c.sentinel }),
  };
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
  const target = {
    url,
    ...(opts.user === undefined ? {} : { user: opts.user }),
    ...(opts.password === undefined ? {} : { password: opts.password }),
    ...(opts.db === undefined ? {} : { db: opts.db }),
    ...(opts.sentinel === undefined ? {} : { sentinel: opts.sentinel }),
  };
  if (target.sentinel && (target.sentinel.addresses.length === 0 || target.sentinel.masterName === '')) {
    throw new Error('redis engine: Sentinel needs at least one sentinel address and the master name');
  }
  const address = describeTarget(target);
  const commands = openConnection(target, options);
  // The subscriber keeps its offline queue: ioredis resubscribes its channels after a reconnect.
  const subscriber = openConnection(target, { ...options, enableOfflineQueue: true, commandTimeout: undefined, connectionName: `${prefix}-pubsub` });
  const link = new LinkWatch(commands, subscriber, address, log);
  const disconnect = (): void => {
    commands.disconnect();
    subscriber.disconnect();
  };

  try {
    await Promise.all([firstConnect(commands), firstConnect(subscriber)]);
  } catch (e) {
    disconnect();
    throw new Error(`redis engine: cannot connect to ${address}: ${(e as Error).message}`, { cause: e });
  }
  try {
    await refuseEvictingPolicy(commands, address);
  } catch (e) {
    disconnect();
    throw e;
  }
  const generation = new EpochGeneration(commands, prefix, log);
  try {
    await generation.current();
  } catch (e) {
    disconnect();
    throw new Error(`redis engine: cannot check the data generation on ${address}: ${(e as Error).message}`, { cause: e });
  }

  const broker = new RedisBroker(commands, subscriber, prefix, generation);
  const presence = new RedisPresence(commands, subscriber, prefix, { ttlMs: opts.presenceTtlMs ?? DEFAULT_PRESENCE_TTL_MS });
  const control = new RedisControlBus(commands, subscriber, prefix, { log });
  try {
    await control.ready();
  } catch (e) {
    disconnect();
    throw new Error(`redis engine: cannot subscribe the control bus on ${address}: ${(e as Error).message}`, { cause: e });
  }

  const back = new BackNotice(commands, subscriber, generation, log);
  const rtt = new RoundTrip(commands, opts.pingIntervalMs ?? 1_000);
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
    onResubscribed: (listener) => back.add(listener),
    health: (): EngineHealth => {
      const state = link.state();
      // With Sentinel, the master the commands reach now (it moves with a failover).
      const master = target.sentinel ? currentMaster(commands) : undefined;
      // A round trip is shown only while the link is whole: not a stale one beside "reconnecting".
      return { address: master ? `${address} at ${master}` : address, link: state, rttMs: state === 'connected' ? rtt.lastMs : null, reconnects: link.reconnects };
    },
    stop: () => {
      stopping ??= (async () => {
        rtt.stop();
        back.stop();
        await control.stop();
        await broker.stop();
        await Promise.all([quit(commands), quit(subscriber)]);
      })();
      return stopping;
    },
  };
}

/**
 * `connect()`, except that with Sentinel it also fails once every sentinel was asked and none named
 * a reachable master (ioredis would retry for ever and `connect()` never settle), saying what each
 * sentinel answered: unreachable, or no master of that name.
 */
async function firstConnect(redis: Redis): Promise<void> {
  const { sentinels, name } = redis.options;
  if (!sentinels || sentinels.length === 0) {
    await redis.connect();
    return;
  }
  const answers: string[] = [];
  const onSentinelError = (e: Error): void => {
    answers.push(e.message
      .replace(/^connected to sentinel (\S+) successfully, but got an invalid reply: null$/, `sentinel $1 knows no master named "${name ?? ''}"`)
      .replace(/^failed to connect to sentinel (\S+) because ERR No such master with that name$/, `sentinel $1 knows no master named "${name ?? ''}"`)
      .replace(/^failed to connect to sentinel (\S+) because Connection is closed\.$/, 'sentinel $1 is unreachable'));
  };
  let onError: (e: Error) => void = () => undefined;
  const exhausted = new Promise<never>((_, reject) => {
    onError = (e) => {
      if (!e.message.startsWith('All sentinels are unreachable')) return;
      reject(new Error(`no sentinel named a master: ${[...new Set(answers)].join('; ') || e.message}`));
    };
  });
  redis.on('sentinelError', onSentinelError);
  redis.on('error', onError);
  try {
    await Promise.race([redis.connect(), exhausted]);
  } finally {
    redis.off('sentinelError', onSentinelError);
    redis.off('error', onError);
  }
}

/**
 * `allkeys-*` lets Redis evict any key under memory pressure — streams and metas included — so
 * history would vanish silently and offsets restart under an epoch clients still hold.
 */
async function refuseEvictingPolicy(redis: Redis, address: string): Promise<void> {
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
      `redis engine: ${address} runs with maxmemory-policy ${policy}, which may evict channel history and stream positions silently; ` +
      'set it to noeviction or a volatile-* policy (CONFIG SET maxmemory-policy noeviction)',
    );
  }
}

/**
 * Both connections' states for health(), one log line per outage and per return (without an 'error'
 * listener ioredis would print every reconnect attempt), and the count of reconnects.
 */
class LinkWatch {
  /** Connections re-established since start (each of the two counts). */
  reconnects = 0;

  constructor(private readonly commands: Redis, private readonly subscriber: Redis, address: string, log: (line: string) => void) {
    for (const [redis, role] of [[commands, 'commands'], [subscriber, 'pub/sub']] as const) {
      // Before the first ready a failure is the error createRedisEngine throws; after it, one line per outage.
      let down = true;
      let wasReady = false;
      redis.on('error', (e: Error) => {
        if (down) return;
        down = true;
        log(`redis engine: ${role} connection to ${address}: ${e.message}`);
      });
      redis.on('ready', () => {
        if (wasReady) {
          this.reconnects++;
          log(`redis engine: ${role} connection to ${address} is back`);
        }
        wasReady = true;
        down = false;
      });
    }
  }

  /**
   * 'connected' while both connections are up; 'down' when one has given up (ioredis 'end') or
   * never connected; 'reconnecting' otherwise (ioredis retries for as long as the engine runs).
   */
  state(): EngineLink {
    const statuses = [this.commands.status, this.subscriber.status];
    if (statuses.every((s) => s === 'ready')) return 'connected';
    if (statuses.some((s) => s === 'end' || s === 'wait')) return 'down';
    return 'reconnecting';
  }
}

/**
 * The round-trip time of a PING on the command connection, measured every `intervalMs` by an
 * unref'd timer (it never keeps the process alive), never two at once; null while the connection
 * is not up or the last PING failed.
 */
class RoundTrip {
  lastMs: number | null = null;
  private pinging = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly redis: Redis, intervalMs: number) {
    this.timer = setInterval(() => void this.measure(), intervalMs);
    this.timer.unref();
    redis.on('close', () => { this.lastMs = null; });
    void this.measure();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async measure(): Promise<void> {
    if (this.pinging) return;
    if (this.redis.status !== 'ready') {
      this.lastMs = null;
      return;
    }
    this.pinging = true;
    const started = performance.now();
    try {
      await this.redis.ping();
      this.lastMs = Math.round((performance.now() - started) * 100) / 100;
    } catch {
      this.lastMs = null;
    } finally {
      this.pinging = false;
    }
  }
}

/**
 * Runs the `onResubscribed` listeners once Redis is fully back after a loss: the pub/sub connection
 * resubscribed (ioredis emits 'ready' before the SUBSCRIBEs it resends are answered; a PING sent
 * after them is answered after them), and the command connection up with the server's generation
 * checked — so the positions the nodes then read are the new server's, with rotated epochs where
 * it may have lost writes. A check that starts a new generation is such a loss too, even when the
 * pub/sub connection never dropped.
 */
class BackNotice {
  private readonly listeners = new Set<() => void>();
  /** A loss not yet announced. */
  private owed = false;
  private stopped = false;
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly commands: Redis, private readonly subscriber: Redis, private readonly generation: EpochGeneration, private readonly log: (line: string) => void) {
    let subscriberWasReady = subscriber.status === 'ready';
    const onSubscriberReady = (): void => {
      if (!subscriberWasReady) {
        subscriberWasReady = true;
        return;
      }
      subscriber.ping().then(() => this.owe(), (e: Error) => log(`redis engine: pub/sub connection not back: ${e.message}`));
    };
    const onCommandsReady = (): void => void this.announce();
    subscriber.on('ready', onSubscriberReady);
    commands.on('ready', onCommandsReady);
    this.disposers.push(
      () => void subscriber.off('ready', onSubscriberReady),
      () => void commands.off('ready', onCommandsReady),
      generation.onChange(() => this.owe()),
    );
  }

  add(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    this.listeners.clear();
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private owe(): void {
    this.owed = true;
    void this.announce();
  }

  /** Announces an owed loss when both connections are up; otherwise the next 'ready' calls again. */
  private async announce(): Promise<void> {
    if (!this.owed || this.stopped || this.commands.status !== 'ready' || this.subscriber.status !== 'ready') return;
    try {
      await this.generation.current();
    } catch (e) {
      this.log(`redis engine: not back yet: ${(e as Error).message}`);
      return; // the command connection's next 'ready' tries again
    }
    if (!this.owed || this.stopped) return;
    this.owed = false;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (e) {
        this.log(`redis engine: a resubscribed listener threw: ${(e as Error).message}`);
      }
    }
  }
}

async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await redis.quit().catch(() => redis.disconnect());
}
