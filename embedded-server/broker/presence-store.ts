/**
 * Presence (PROTOCOL.md §7): channel → client id → ClientInfo and the node that owns the
 * connection, so a dead node's entries can be dropped in one call.
 */
import type { ClientInfo, PresenceStatsResult } from '../../shared/protocol/client-protocol.js';

/** One client's presence in one channel. */
export interface PresenceEntry {
  info: ClientInfo;
  /** Id of the node holding the connection. */
  owner: string;
}

/** Presence of every channel; channels with nobody in them are not kept. */
export class PresenceStore {
  private readonly channels = new Map<string, Map<string, PresenceEntry>>();

  /** Adds or refreshes the entry of `info.client` in the channel. */
  add(channel: string, info: ClientInfo, owner: string): void {
    let clients = this.channels.get(channel);
    if (!clients) {
      clients = new Map();
      this.channels.set(channel, clients);
    }
    clients.set(info.client, { info, owner });
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
    const clients = this.channels.get(channel);
    if (!clients) return {};
    // fromEntries defines own properties, so no client id can touch the prototype.
    return Object.fromEntries([...clients].map(([client, entry]) => [client, entry.info]));
  }

  /** Entries and distinct users; anonymous users ("") count as one. */
  stats(channel: string): PresenceStatsResult {
    const clients = this.channels.get(channel);
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

  /** Number of channels with at least one entry. */
  get channelCount(): number {
    return this.channels.size;
  }
}
