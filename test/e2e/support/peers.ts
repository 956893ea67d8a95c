/**
 * Clients connected from the test process, for the console to show: real centrifuge clients that
 * record what happens to them (connects, disconnects, messages, publications), and a crowd of
 * light raw sockets (connect frame + token, pings answered) for the views at 2,000 connections.
 * Every wait is bounded.
 */
import type { Centrifuge, Subscription } from 'centrifuge';
import { RawPeer } from '../../support/raw-peer.js';
import type { TestCluster } from '../../support/test-cluster.js';
import { waitFor } from '../../support/test-cluster.js';

/** Quick reconnects, so a killed node's clients are back within a second or two. */
const RECONNECT = { minReconnectDelay: 100, maxReconnectDelay: 500 };

export class Peer {
  /** Connection ids, one per successful connect (the last is the current one). */
  readonly ids: string[] = [];
  readonly disconnects: { code: number; reason: string }[] = [];
  /** Server-side `message` pushes (what a broadcast to everyone sends). */
  readonly messages: unknown[] = [];
  /** Publications received, per channel. */
  readonly publications = new Map<string, unknown[]>();
  private readonly subs = new Map<string, Subscription>();

  private constructor(readonly user: string, readonly client: Centrifuge) {
    client.on('connected', (ctx) => this.ids.push(ctx.client));
    client.on('disconnected', (ctx) => this.disconnects.push({ code: ctx.code, reason: ctx.reason }));
    client.on('message', (ctx) => this.messages.push(ctx.data));
  }

  /** A real centrifuge client connected as `user` (closed by `disconnect()` or the cluster's stop). */
  static async connect(cluster: TestCluster, user: string): Promise<Peer> {
    const peer = new Peer(user, await cluster.client(user, RECONNECT));
    peer.client.connect();
    await waitFor(() => peer.ids.length > 0, { timeoutMs: 10_000, what: `${user} to connect` });
    return peer;
  }

  /** The current connection id. */
  get id(): string {
    return this.ids[this.ids.length - 1]!;
  }

  get connected(): boolean {
    return this.client.state === 'connected';
  }

  async subscribe(channel: string): Promise<void> {
    const sub = this.client.newSubscription(channel);
    const got: unknown[] = [];
    this.publications.set(channel, got);
    sub.on('publication', (ctx) => got.push(ctx.data));
    this.subs.set(channel, sub);
    sub.subscribe();
    await sub.ready(10_000);
  }

  unsubscribe(channel: string): void {
    const sub = this.subs.get(channel);
    if (!sub) throw new Error(`${this.user} is not subscribed to ${channel}`);
    sub.unsubscribe();
    this.client.removeSubscription(sub);
    this.subs.delete(channel);
  }

  async publish(channel: string, data: unknown): Promise<void> {
    await this.client.publish(channel, data);
  }

  /** Publications received on a channel so far. */
  received(channel: string): unknown[] {
    return this.publications.get(channel) ?? [];
  }

  disconnect(): void {
    this.client.disconnect();
  }

  /** Waits for the client to be disconnected by the server; answers the disconnect's code and reason. */
  async disconnectedBy(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    await waitFor(() => this.disconnects.length > 0, { timeoutMs, what: `${this.user} to be disconnected` });
    return this.disconnects[0]!;
  }
}

/** One raw connection of a crowd. */
export interface CrowdMember {
  user: string;
  client: string;
  peer: RawPeer;
}

/**
 * Opens `total` raw connections in batches, users `${prefix}-0` … `${prefix}-${users - 1}` in
 * turn; each answers the server's pings. Close them with `closeCrowd`.
 */
export async function openCrowd(cluster: TestCluster, opts: { total: number; users: number; batch: number; prefix: string }): Promise<CrowdMember[]> {
  const open = async (i: number): Promise<CrowdMember> => {
    const user = `${opts.prefix}-${i % opts.users}`;
    const peer = new RawPeer(await cluster.raw());
    peer.autoPong();
    peer.send({ id: 1, connect: { token: await cluster.token(user) } });
    const reply = await peer.reply(1, 10_000);
    const client = (reply.connect as { client?: string } | undefined)?.client;
    if (!client) throw new Error(`raw connect of ${user} failed: ${JSON.stringify(reply)}`);
    return { user, client, peer };
  };
  const crowd: CrowdMember[] = [];
  for (let start = 0; start < opts.total; start += opts.batch) {
    const size = Math.min(opts.batch, opts.total - start);
    crowd.push(...await Promise.all(Array.from({ length: size }, (_, j) => open(start + j))));
  }
  return crowd;
}

export function closeCrowd(crowd: readonly CrowdMember[]): void {
  for (const m of crowd) m.peer.ws.terminate();
}
