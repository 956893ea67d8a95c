/**
 * The supervisor's view of every session and subscription, fed by node events and broker requests.
 * Subscriptions are keyed by (channel, client), so adding or removing one twice changes nothing.
 */
import type { SessionOpened } from '../../shared/ipc/node-ipc.js';
import type { NodeId } from '../../shared/ids.js';

export interface SessionRecord extends SessionOpened {
  node: NodeId;
  /** Channels this session is subscribed to (one shared empty set until the first subscription). */
  channels: ReadonlySet<string>;
}

/**
 * Held by every session without a subscription: at 10k idle connections a Set each would be ~1.8 MB.
 * The registry replaces it with the session's own Set at its first subscription.
 */
const NO_CHANNELS: ReadonlySet<string> = new Set();

/**
 * One record per session, built field by field: a spread (`{ ...opened, node }`) of a parsed IPC
 * message gives every record its own hidden class (V8 map and descriptors, ~0.6 KB each), measured
 * in a heap snapshot at 10k connections.
 */
function sessionRecord(node: NodeId, s: SessionOpened): SessionRecord {
  return {
    client: s.client,
    user: s.user,
    remote: s.remote,
    connectedAt: s.connectedAt,
    name: s.name,
    version: s.version,
    node,
    channels: NO_CHANNELS,
  };
}

function addChannel(s: SessionRecord, channel: string): void {
  if (s.channels === NO_CHANNELS) s.channels = new Set([channel]);
  else (s.channels as Set<string>).add(channel);
}

function removeChannel(s: SessionRecord, channel: string): void {
  if (s.channels.size <= 1 && s.channels.has(channel)) s.channels = NO_CHANNELS;
  else if (s.channels !== NO_CHANNELS) (s.channels as Set<string>).delete(channel);
}

/** How long an admitted connect holds its place in `client.user_connection_limit` before its session opens. */
const ADMIT_HOLD_MS = 10_000;

export class Registry {
  readonly sessions = new Map<string, SessionRecord>();
  /** user → open sessions, for the distinct-user count. */
  private readonly users = new Map<string, number>();
  /** channel → client → node */
  private readonly subscribers = new Map<string, Map<string, NodeId>>();
  /** channel → node → local subscriber count (the fan-out targets) */
  private readonly interest = new Map<string, Map<NodeId, number>>();

  /** Connects admitted under `client.user_connection_limit` whose session has not opened yet. */
  private readonly admitting = new Map<string, { user: string; at: number }>();
  /** user → how many of `admitting` are theirs. */
  private readonly admittingByUser = new Map<string, number>();
  private admittingSweptAt = 0;

  /**
   * Admits one more connection of `user` (as `client`) when the user's open sessions on every node
   * of this supervisor plus its connects admitted and not yet opened stay within `limit`. The
   * admission holds a place until the session opens or ADMIT_HOLD_MS pass (a connect that failed).
   */
  admitUser(user: string, client: string, limit: number, now: number): boolean {
    this.sweepAdmitting(now);
    const held = (this.users.get(user) ?? 0) + (this.admittingByUser.get(user) ?? 0);
    if (held >= limit) return false;
    this.admitting.set(client, { user, at: now });
    this.admittingByUser.set(user, (this.admittingByUser.get(user) ?? 0) + 1);
    return true;
  }

  private forgetAdmitting(client: string): void {
    const a = this.admitting.get(client);
    if (!a) return;
    this.admitting.delete(client);
    const n = (this.admittingByUser.get(a.user) ?? 1) - 1;
    if (n > 0) this.admittingByUser.set(a.user, n);
    else this.admittingByUser.delete(a.user);
  }

  private sweepAdmitting(now: number): void {
    if (now - this.admittingSweptAt < 1000) return;
    this.admittingSweptAt = now;
    for (const [client, a] of this.admitting) if (now - a.at > ADMIT_HOLD_MS) this.forgetAdmitting(client);
  }

  openSession(node: NodeId, s: SessionOpened): void {
    this.forgetAdmitting(s.client);
    if (this.sessions.has(s.client)) return;
    this.sessions.set(s.client, sessionRecord(node, s));
    this.users.set(s.user, (this.users.get(s.user) ?? 0) + 1);
  }

  /** Forgets a session; answers its record (for the disconnect event). */
  closeSession(client: string): SessionRecord | undefined {
    const s = this.sessions.get(client);
    if (!s) return undefined;
    this.sessions.delete(client);
    const n = (this.users.get(s.user) ?? 1) - 1;
    if (n > 0) this.users.set(s.user, n);
    else this.users.delete(s.user);
    return s;
  }

  /** Distinct users with at least one open session. */
  get userCount(): number {
    return this.users.size;
  }

  /** Clients subscribed to a channel, with their nodes. */
  subscribersOf(channel: string): ReadonlyMap<string, NodeId> | undefined {
    return this.subscribers.get(channel);
  }

  /** Adds a subscription; answers true when the channel had no subscriber in this supervisor before. */
  subscribe(channel: string, client: string, node: NodeId): boolean {
    let subs = this.subscribers.get(channel);
    const first = subs === undefined;
    if (!subs) {
      subs = new Map();
      this.subscribers.set(channel, subs);
    }
    if (subs.has(client)) return false;
    subs.set(client, node);
    const session = this.sessions.get(client);
    if (session) addChannel(session, channel);
    let nodes = this.interest.get(channel);
    if (!nodes) {
      nodes = new Map();
      this.interest.set(channel, nodes);
    }
    nodes.set(node, (nodes.get(node) ?? 0) + 1);
    return first;
  }

  /** Removes a subscription; answers whether it existed and whether the channel is now empty. */
  unsubscribe(channel: string, client: string): { removed: boolean; empty: boolean } {
    const subs = this.subscribers.get(channel);
    const node = subs?.get(client);
    if (!subs || node === undefined) return { removed: false, empty: subs === undefined };
    subs.delete(client);
    const session = this.sessions.get(client);
    if (session) removeChannel(session, channel);
    const nodes = this.interest.get(channel)!;
    const n = (nodes.get(node) ?? 1) - 1;
    if (n > 0) nodes.set(node, n);
    else nodes.delete(node);
    if (subs.size > 0) return { removed: true, empty: false };
    this.subscribers.delete(channel);
    this.interest.delete(channel);
    return { removed: true, empty: true };
  }

  /** Forgets everything a node held; answers the channels left without any subscriber. */
  dropNode(node: NodeId): string[] {
    for (const [client, s] of this.sessions) if (s.node === node) this.closeSession(client);
    const emptied: string[] = [];
    for (const [channel, nodes] of this.interest) {
      if (!nodes.has(node)) continue;
      const subs = this.subscribers.get(channel)!;
      for (const [client, n] of subs) if (n === node) subs.delete(client);
      nodes.delete(node);
      if (subs.size > 0) continue;
      this.subscribers.delete(channel);
      this.interest.delete(channel);
      emptied.push(channel);
    }
    return emptied;
  }

  /** Nodes with at least one subscriber of the channel. */
  nodesFor(channel: string): Iterable<NodeId> | undefined {
    return this.interest.get(channel)?.keys();
  }

  /** channel → subscriber count, for every channel with subscribers. */
  channelCounts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [channel, subs] of this.subscribers) out.set(channel, subs.size);
    return out;
  }

  channelCountOn(node: NodeId): number {
    let n = 0;
    for (const nodes of this.interest.values()) if (nodes.has(node)) n++;
    return n;
  }
}
