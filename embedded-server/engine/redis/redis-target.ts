/**
 * Which Redis the engine talks to, and how every connection it opens reaches it: one server by URL,
 * or the master of a Sentinel group (docs/architecture.md, "Redis Sentinel"). Also what the console
 * and the logs may show of it — never a credential.
 */
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

/** The sentinels to ask and the master group they watch (Centrifugo's `sentinel_*` options). */
export interface RedisSentinelTarget {
  /** At least one; ioredis asks them in turn and learns the group's other sentinels from them. */
  addresses: { host: string; port: number }[];
  masterName: string;
  /** The sentinels' own ACL user and password (not the master's). */
  user?: string;
  password?: string;
}

/** Where the engine's connections go. */
export interface RedisTarget {
  /** `redis://[user:password@]host:port[/db]`; ignored when `sentinel` is set. */
  url: string;
  /** The master's ACL user, password and database where the URL names none (with Sentinel: the only place). */
  user?: string;
  password?: string;
  db?: number;
  sentinel?: RedisSentinelTarget;
}

/**
 * Reconnect delays with Sentinel: 50 ms doubling up to 1 s (plus jitter), instead of ioredis's 5 s
 * cap. Each attempt asks the sentinels again, so after a failover the engine reaches the promoted
 * master within about a second of the sentinels naming it.
 */
export function sentinelReconnectDelay(attempt: number): number {
  return Math.min(2 ** (attempt - 1) * 50, 1_000) + Math.floor(Math.random() * 100);
}

/**
 * A connection to `target` (not connected yet if `base.lazyConnect`), `base` holding the
 * connection's own options (timeouts, queueing, name). With Sentinel, ioredis asks the sentinels for
 * the master's address on every (re)connect, checks that the server it reached says `role:master`
 * (else it reconnects), and — with `failoverDetector` — drops the connection when a sentinel
 * announces `+switch-master`, so a master demoted while still reachable is left too.
 */
export function openConnection(target: RedisTarget, base: RedisOptions): Redis {
  const master: RedisOptions = {
    ...(target.user === undefined ? {} : { username: target.user }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.db === undefined ? {} : { db: target.db }),
  };
  const s = target.sentinel;
  if (!s) return new Redis(target.url, { ...master, ...base });
  return new Redis({
    ...master,
    ...base,
    sentinels: s.addresses.map(({ host, port }) => ({ host, port })),
    name: s.masterName,
    role: 'master',
    ...(s.user === undefined ? {} : { sentinelUsername: s.user }),
    ...(s.password === undefined ? {} : { sentinelPassword: s.password }),
    failoverDetector: true,
    retryStrategy: sentinelReconnectDelay,
  });
}

/**
 * What the console and the logs show: `redis://host:port/db` without credentials, or
 * `sentinel 127.0.0.1:26379,127.0.0.1:26380 master "mymaster"`.
 */
export function describeTarget(target: RedisTarget): string {
  const s = target.sentinel;
  if (!s) return withoutCredentials(target.url);
  const sentinels = s.addresses.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`).join(',');
  return `sentinel ${sentinels} master "${s.masterName}"${target.db ? ` db ${target.db}` : ''}`;
}

/** `redis://user:secret@host:6379/2` → `redis://host:6379/2`: what the console and the logs may show. */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

/**
 * The server a connection is on, for an error message: `Redis at host:port`, or with Sentinel
 * `Redis master "name"` plus where it was reached last (ioredis keeps the address it resolved out of
 * its options, so it is read from the socket while there is one).
 */
export function describeServer(redis: Redis): string {
  const { host, port, sentinels, name } = redis.options;
  if (!sentinels || sentinels.length === 0) return `Redis at ${host ?? '127.0.0.1'}:${port ?? 6379}`;
  const at = currentMaster(redis);
  return `Redis master "${name ?? ''}" (from sentinels${at ? `, at ${at}` : ''})`;
}

/** `host:port` of the server the connection's socket is on, or undefined without a live socket. */
export function currentMaster(redis: Redis): string | undefined {
  const stream = redis.stream as typeof redis.stream | undefined;
  if (redis.status !== 'ready' || !stream || stream.destroyed || stream.remoteAddress === undefined) return undefined;
  return `${stream.remoteAddress}:${stream.remotePort ?? ''}`;
}
