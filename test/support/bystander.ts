/**
 * A healthy real client that stays connected while other tests misbehave: `assertServed()` proves
 * that its node still delivers to it (a publication through the HTTP API arrives) and that it never
 * lost its connection in between (a reconnect would hide a crashed node).
 */
import assert from 'node:assert/strict';
import type { Centrifuge } from 'centrifuge';
import type { TestCluster } from './test-cluster.js';
import { waitFor } from './test-cluster.js';

export class Bystander {
  private readonly got: number[] = [];
  private reconnects = 0;
  private sent = 0;

  private constructor(readonly cluster: TestCluster, readonly client: Centrifuge, readonly channel: string) {}

  /**
   * Connects `user` (with `query` appended to the URL, e.g. a sticky routing key), subscribes to
   * `channel` and waits until it is subscribed.
   */
  static async start(cluster: TestCluster, user: string, channel: string, query?: string): Promise<Bystander> {
    const client = await cluster.client(user, query === undefined ? {} : { query });
    const b = new Bystander(cluster, client, channel);
    client.on('connecting', () => b.reconnects++);
    client.on('disconnected', () => b.reconnects++);
    const sub = client.newSubscription(channel);
    sub.on('publication', (ctx) => {
      const n = (ctx.data as { bystander?: number }).bystander;
      if (typeof n === 'number') b.got.push(n);
    });
    client.connect();
    await client.ready(5000);
    b.reconnects = 0; // the first 'connecting' is the initial connect
    sub.subscribe();
    await sub.ready(5000);
    return b;
  }

  /** Publishes through the HTTP API and waits for the bystander to receive it, on its first connection. */
  async assertServed(): Promise<void> {
    const n = ++this.sent;
    const res = await this.cluster.api('publish', { channel: this.channel, data: { bystander: n } });
    assert.equal(res.status, 200, res.text);
    await waitFor(() => this.got.includes(n), { timeoutMs: 5000, what: `bystander publication ${n}` });
    assert.equal(this.client.state, 'connected');
    assert.equal(this.reconnects, 0, 'the bystander lost its connection');
  }
}

/** Waits until exactly one node holds connections, `count` of them (so bad input meets the bystander's node). */
export async function assertOneNodeHolds(cluster: TestCluster, count: number): Promise<void> {
  await waitFor(async () => {
    const nodes = ((await cluster.api('info', {})).body as { result: { nodes: { num_clients: number }[] } }).result.nodes;
    return nodes.filter((n) => n.num_clients > 0).length === 1 && nodes.some((n) => n.num_clients === count);
  }, { intervalMs: 100, what: `all ${count} connections on one node` });
}
