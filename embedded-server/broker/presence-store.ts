/**
 * Presence (PROTOCOL.md §7): channel → client id → ClientInfo and the node incarnation that owns
 * the connection, so a dead node's entries can be dropped in one call. Each entry expires `ttlMs`
 * after its last add or refresh (Centrifugo's presence_ttl), so an owner nobody cleans up after
 * still loses its entries; expired entries are purged on read and by `expire()`.
 */
import type { ClientInfo, PresenceStatsResult } from '../../shared/protocol/client-protocol.js';

/** One client's presence in one channel. */
export interface PresenceEntry {
  info: ClientInfo;
  /** Incarnation of the node process holding the connection (`sb-x/node-1#0`). */
  owner: string;
  /** Unix ms after which the entry is gone unless refreshed. */
  expiresAt: number;
}

export interface PresenceStoreOptions {
  /** How long an entry lives after its last refresh (default 60 s). */
  ttlMs?: number;
  /** Clock in ms; injectable so tests need not sleep. */
  now?: () => number;
}

/** One entry that left, for leave pushes. */
export interface PresenceRemoved {
  channel: string;
  info: ClientInfo;
}

/** Presence of every channel; channels with nobody in them are not kept. */
export class PresenceStore {
  private readonly channels = new Map<string, Map<string, PresenceEntry>>();
  /** Entries purged on read since the last `expire()`: their leave pushes are still owed. */
  private expiredOnRead: PresenceRemoved[] = [];
  /** No entry expires before this (a lower bound), so `expire()` skips the walk until then. */
  private nextExpiryAt = Number.POSITIVE_INFINITY;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(opts: PresenceStoreOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** Adds or replaces the entry of `info.client` in the channel, fresh for one TTL. */
  add(channel: string, info: ClientInfo, owner: string): void {
    let clients = this.channels.get(channel);
    if (!clients) {
      clients = new Map();
      this.channels.set(channel, clients);
    }
    const expiresAt = this.now() + this.ttlMs;
    clients.set(info.client, { info, owner, expiresAt });
    this.nextExpiryAt = Math.min(this.nextExpiryAt, expiresAt);
  }

  /** Extends the entry's life by one TTL when `owner` still owns it; answers whether it did. */
  refresh(channel: string, client: string, owner: string): boolean {
    const entry = this.channels.get(channel)?.get(client);
    if (!entry || entry.owner !== owner || entry.expiresAt <= this.now()) return false;
    entry.expiresAt = this.now() + this.ttlMs;
    return true;
  }

  /** Removes a client's entry; answers its info, or undefined when it was not there. */
  remove(channel: string, client: string): ClientInfo | undefined {
    const clients = this.channels.get(channel);
    const entry = clients?.get(client);
    if (!clients || !entry) return undefined;
    clients.delete(client);
    if (clients.size === 0) this.channels.delete(channel);
    return entry.info;
  }

  /** The channel's presence keyed by client id; `{}` when nobody is there. */
  list(channel: string): Record<string, ClientInfo> {
    const clients = this.live(channel);
    if (!clients) return {};
    // fromEntries defines own properties, so no client id can touch the prototype.
    return Object.fromEntries([...clients].map(([client, entry]) => [client, entry.info]));
  }

  /** Entries and distinct users; anonymous users ("") count as one. */
  stats(channel: string): PresenceStatsResult {
    const clients = this.live(channel);
    if (!clients) return { num_clients: 0, num_users: 0 };
    const users = new Set<string>();
    for (const entry of clients.values()) users.add(entry.info.user);
    return { num_clients: clients.size, num_users: users.size };
  }

  /** Removes every entry the node owned; answers them, for leave pushes. */
  removeOwner(owner: string): { channel: string; info: ClientInfo }[] {
    const removed: { channel: string; info: ClientInfo }[] = [];
    for (const [channel, clients] of this.channels) {
      for (const [client, entry] of clients) {
        if (entry.owner !== owner) continue;
        clients.delete(client);
        removed.push({ channel, info: entry.info });
      }
      if (clients.size === 0) this.channels.delete(channel);
    }
    return removed;
  }

  /** Removes every expired entry; answers them with those purged on read since the last call. */
  expire(): PresenceRemoved[] {
    const removed = this.expiredOnRead;
    this.expiredOnRead = [];
    if (this.now() < this.nextExpiryAt) return removed;
    this.nextExpiryAt = Number.POSITIVE_INFINITY;
    for (const channel of [...this.channels.keys()]) this.purge(channel, removed);
    for (const clients of this.channels.values()) {
      for (const entry of clients.values()) this.nextExpiryAt = Math.min(this.nextExpiryAt, entry.expiresAt);
    }
    return removed;
  }

  /** Number of channels with at least one entry. */
  get channelCount(): number {
    return this.channels.size;
  }

  /** The channel's entries after dropping the expired ones. */
  private live(channel: string): Map<string, PresenceEntry> | undefined {
    this.purge(channel, this.expiredOnRead);
    return this.channels.get(channel);
  }

  private purge(channel: string, into: PresenceRemoved[]): void {
    const clients = this.channels.get(channel);
    if (!clients) return;
    const now = this.now();
    for (const [client, entry] of clients) {
      if (entry.expiresAt > now) continue;
      clients.delete(client);
      into.push({ channel, info: entry.info });
    }
    if (clients.size === 0) this.channels.delete(channel);
  }
}
