/** The in-process {@link PresenceEngine}: a {@link PresenceStore} behind the async interface. */
import type { ClientInfo, PresenceStatsResult } from '../../shared/protocol/client-protocol.js';
import type { PresenceEngine, PresenceLeft } from '../engine/engine.js';
import type { PresenceStoreOptions } from './presence-store.js';
import { PresenceStore } from './presence-store.js';

/** Presence kept in this process, with TTL; see presence-store.ts. */
export class MemoryPresence implements PresenceEngine {
  private readonly store: PresenceStore;

  constructor(opts: PresenceStoreOptions = {}) {
    this.store = new PresenceStore(opts);
  }

  async add(channel: string, info: ClientInfo, owner: string): Promise<void> {
    this.store.add(channel, info, owner);
  }

  async refresh(owner: string, entries: { channel: string; client: string }[]): Promise<void> {
    for (const e of entries) this.store.refresh(e.channel, e.client, owner);
  }

  async remove(channel: string, client: string): Promise<void> {
    this.store.remove(channel, client);
  }

  async list(channel: string): Promise<Record<string, ClientInfo>> {
    return this.store.list(channel);
  }

  async stats(channel: string): Promise<PresenceStatsResult> {
    return this.store.stats(channel);
  }

  async removeOwner(owner: string): Promise<PresenceLeft[]> {
    return this.store.removeOwner(owner);
  }

  async expire(): Promise<PresenceLeft[]> {
    return this.store.expire();
  }
}
