/**
 * The {@link PresenceEngine} on Redis, Centrifugo-style, with the memory presence's semantics
 * (entries owned by a node incarnation, a TTL refreshed by the owner, purge on read, leave pushes
 * owed for every expired entry exactly once across every supervisor on the Redis).
 *
 * Keys, the per-channel ones hash-tagged so each channel's pair lives in one Redis Cluster slot:
 * - `${prefix}.presence.data.{channel}`   hash client → JSON {owner, info}
 * - `${prefix}.presence.expiry.{channel}` sorted set client → expiry (Unix ms, Redis's clock)
 * - `${prefix}.presence.owner.{owner}`    set of JSON [channel, client]: what removeOwner finds
 * - `${prefix}.presence.channels`         sorted set channel → (a lower bound of) its earliest expiry,
 *   so expire() visits the channels that are due without SCANning the keyspace
 * The owner set and the channel index live in other slots, so they are updated beside the atomic
 * per-channel scripts; both are hints that every reader re-checks (a stale member costs one visit).
 *
 * Wiring (redis-engine.ts):
 * ```ts
 * const presence = new RedisPresence(commands, subscriber, prefix, { ttlMs: presenceTtlMs });
 * ```
 * It only sends commands on `commands`; it keeps no timers and nothing to stop.
 */
import type { Redis } from 'ioredis';
import type { ClientInfo, PresenceStatsResult } from '../../../shared/protocol/client-protocol.js';
import type { PresenceEngine, PresenceLeft } from '../engine.js';
import { DEFAULT_PRESENCE_TTL_MS } from '../engine.js';
import { decodeEntry, decodeMember, encodeEntry, encodeMember } from './presence-entry.js';
import { named } from './redis-errors.js';
import { ADD, DUE_CHANNELS, PURGE, REFRESH, REMOVE, REMOVE_OWNED } from './presence-scripts.js';

export interface RedisPresenceOptions {
  /** How long an entry lives after its last add or refresh (default 60 s). */
  ttlMs?: number;
  /** At most this many due channels are swept per expire() call (default 500). */
  sweepBatch?: number;
}

/** Keys outlive the TTL by this much, so a sweep still finds (and owes leaves for) what expired. */
const KEEP_EXTRA_MS = 10_000;

/** Presence of every supervisor sharing one Redis and key prefix. */
export class RedisPresence implements PresenceEngine {
  private readonly ttlMs: number;
  private readonly keepMs: number;
  private readonly sweepBatch: number;
  private readonly index: string;
  /** Entries this process purged on read since the last expire(): their leave pushes are owed by it. */
  private expiredOnRead: PresenceLeft[] = [];

  /** `_subscriber` is unused (presence needs no subscription); taken for one wiring shape across the engine. */
  constructor(
    private readonly redis: Redis,
    _subscriber: Redis | undefined,
    private readonly prefix: string,
    opts: RedisPresenceOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? DEFAULT_PRESENCE_TTL_MS;
    this.keepMs = 2 * this.ttlMs + KEEP_EXTRA_MS;
    this.sweepBatch = opts.sweepBatch ?? 500;
    this.index = `${prefix}.presence.channels`;
  }

  add(channel: string, info: ClientInfo, owner: string): Promise<void> {
    return named(`presence add in "${channel}"`, this.redis, () => this.addEntry(channel, info, owner));
  }

  refresh(owner: string, entries: { channel: string; client: string }[]): Promise<void> {
    return named(`presence refresh of ${owner}`, this.redis, () => this.refreshEntries(owner, entries));
  }

  remove(channel: string, client: string): Promise<void> {
    return named(`presence remove in "${channel}"`, this.redis, () => this.removeEntry(channel, client));
  }

  list(channel: string): Promise<Record<string, ClientInfo>> {
    // fromEntries defines own properties, so no client id can touch the prototype.
    return named(`presence of "${channel}"`, this.redis, async () => Object.fromEntries((await this.read(channel)).map((info) => [info.client, info])));
  }

  stats(channel: string): Promise<PresenceStatsResult> {
    return named(`presence stats of "${channel}"`, this.redis, async () => {
      const live = await this.read(channel);
      return { num_clients: live.length, num_users: new Set(live.map((info) => info.user)).size };
    });
  }

  removeOwner(owner: string): Promise<PresenceLeft[]> {
    return named(`presence removal of ${owner}`, this.redis, () => this.removeOwned(owner));
  }

  expire(): Promise<PresenceLeft[]> {
    return named('presence expiry', this.redis, () => this.expireDue());
  }

  private async addEntry(channel: string, info: ClientInfo, owner: string): Promise<void> {
    const reply = (await ADD.run(this.redis, this.keys(channel), [info.client, encodeEntry(owner, info), this.ttlMs, this.keepMs])) as [number, string?];
    const [expiresAt, replaced] = reply;
    const previous = replaced === undefined || replaced === null ? undefined : decodeEntry(replaced);
    const member = encodeMember(channel, info.client);
    const ownerKey = this.ownerKey(owner);
    await Promise.all([
      previous && previous.owner !== owner ? this.redis.srem(this.ownerKey(previous.owner), member) : undefined,
      this.redis.sadd(ownerKey, member),
      this.redis.pexpire(ownerKey, this.keepMs),
      // LT: the index keeps the earliest expiry; an older, lower score only costs one early visit.
      this.redis.zadd(this.index, 'LT', expiresAt, channel),
    ]);
  }

  private async refreshEntries(owner: string, entries: { channel: string; client: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const byChannel = groupByChannel(entries);
    await Promise.all([
      ...[...byChannel].map(([channel, clients]) => REFRESH.run(this.redis, this.keys(channel), [owner, this.ttlMs, this.keepMs, ...clients])),
      this.redis.pexpire(this.ownerKey(owner), this.keepMs),
    ]);
  }

  private async removeEntry(channel: string, client: string): Promise<void> {
    const removed = await REMOVE.run(this.redis, this.keys(channel), [client]);
    const entry = typeof removed === 'string' ? decodeEntry(removed) : undefined;
    if (entry) await this.redis.srem(this.ownerKey(entry.owner), encodeMember(channel, client));
  }

  private async removeOwned(owner: string): Promise<PresenceLeft[]> {
    const ownerKey = this.ownerKey(owner);
    const members = await this.redis.smembers(ownerKey);
    const byChannel = groupByChannel(members.map(decodeMember).filter((m) => m !== undefined));
    const removed = await Promise.all(
      [...byChannel].map(async ([channel, clients]) => {
        const payloads = (await REMOVE_OWNED.run(this.redis, this.keys(channel), [owner, ...clients])) as string[];
        return this.decodeLeft(channel, payloads);
      }),
    );
    if (members.length > 0) await this.redis.srem(ownerKey, ...members);
    return removed.flat();
  }

  private async expireDue(): Promise<PresenceLeft[]> {
    const left = this.expiredOnRead;
    this.expiredOnRead = [];
    const due = (await DUE_CHANNELS.run(this.redis, [this.index], [this.sweepBatch])) as string[];
    for (const channel of due) left.push(...(await this.sweep(channel)));
    return left;
  }

  /** Purges the channel's expired entries (owed as leaves by this process) and answers the live ones. */
  private async read(channel: string): Promise<ClientInfo[]> {
    const [expired, live] = (await PURGE.run(this.redis, this.keys(channel), ['read'])) as [string[], string[]];
    this.expiredOnRead.push(...(await this.forget(channel, expired)));
    return live.map((raw) => decodeEntry(raw)?.info).filter((info): info is ClientInfo => info !== undefined);
  }

  /** Purges one due channel and moves its index score to its new earliest expiry, or drops it when empty. */
  private async sweep(channel: string): Promise<PresenceLeft[]> {
    const [expired, earliest] = (await PURGE.run(this.redis, this.keys(channel), ['sweep'])) as [string[], string?];
    const left = await this.forget(channel, expired);
    if (earliest !== undefined && earliest !== null) {
      await this.redis.zadd(this.index, earliest, channel);
      return left;
    }
    await this.redis.zrem(this.index, channel);
    // An add may have landed between the purge and the ZREM: put the channel back if it has entries.
    const first = await this.redis.zrange(this.keys(channel)[1], 0, 0, 'WITHSCORES');
    if (first.length === 2) await this.redis.zadd(this.index, first[1], channel);
    return left;
  }

  /** Drops purged entries from their owners' sets; answers them as leaves. */
  private async forget(channel: string, payloads: string[]): Promise<PresenceLeft[]> {
    if (payloads.length === 0) return [];
    const entries = payloads.map((raw) => decodeEntry(raw)).filter((e) => e !== undefined);
    await Promise.all(entries.map((e) => this.redis.srem(this.ownerKey(e.owner), encodeMember(channel, e.info.client))));
    return entries.map((e) => ({ channel, info: e.info }));
  }

  private decodeLeft(channel: string, payloads: string[]): PresenceLeft[] {
    return payloads.map((raw) => decodeEntry(raw)).filter((e) => e !== undefined).map((e) => ({ channel, info: e.info }));
  }

  /** The channel's hash and sorted set, hash-tagged by channel. */
  private keys(channel: string): [string, string] {
    return [`${this.prefix}.presence.data.{${channel}}`, `${this.prefix}.presence.expiry.{${channel}}`];
  }

  private ownerKey(owner: string): string {
    return `${this.prefix}.presence.owner.{${owner}}`;
  }
}

/** Client ids per channel, so each channel's entries go to Redis in one script call. */
function groupByChannel(entries: { channel: string; client: string }[]): Map<string, string[]> {
  const byChannel = new Map<string, string[]>();
  for (const { channel, client } of entries) {
    const clients = byChannel.get(channel);
    if (clients) clients.push(client);
    else byChannel.set(channel, [client]);
  }
  return byChannel;
}
