/**
 * What a fuzz target watches while it sends hostile input: a well-behaved real `centrifuge` client
 * subscribed to a channel that the HTTP API publishes to continuously (it must get every
 * publication, in order, on its first connection), and the node processes (same pids, all running).
 */
import assert from 'node:assert/strict';
import type { Centrifuge } from 'centrifuge';
import type { TestCluster } from './test-cluster.js';
import { waitFor } from './test-cluster.js';

export class WatchedChannel {
  private readonly got: number[] = [];
  private sent = 0;
  private failures: string[] = [];
  private reconnects = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();

  private constructor(private readonly cluster: TestCluster, readonly client: Centrifuge, readonly channel: string) {}

  /** Connects `user`, subscribes to `channel`, and starts publishing `{seq}` every `everyMs`. */
  static async start(cluster: TestCluster, user: string, channel: string, everyMs = 50, query?: string): Promise<WatchedChannel> {
    const client = await cluster.client(user, query === undefined ? {} : { query });
    const w = new WatchedChannel(cluster, client, channel);
    client.on('disconnected', () => w.reconnects++);
    const sub = client.newSubscription(channel);
    sub.on('publication', (ctx) => {
      const n = (ctx.data as { seq?: unknown }).seq;
      if (typeof n === 'number') w.got.push(n);
    });
    client.connect();
    await client.ready(5000);
    sub.subscribe();
    await sub.ready(5000);
    w.timer = setInterval(() => {
      w.inFlight = w.inFlight.then(() => w.publishNext());
    }, everyMs);
    return w;
  }

  private async publishNext(): Promise<void> {
    const seq = this.sent + 1;
    const res = await this.cluster.api('publish', { channel: this.channel, data: { seq } }).catch((e: unknown) => ({ status: 0, text: String(e) }));
    if (res.status === 200 && !res.text.includes('"error"')) this.sent = seq;
    else this.failures.push(`publish ${seq}: ${res.status} ${res.text}`);
  }

  /** Stops publishing and proves every publication arrived once, in order, without a reconnect. */
  async verify(): Promise<{ published: number }> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
    assert.deepEqual(this.failures, [], 'the HTTP API refused a well-formed publish');
    await waitFor(() => this.got.length >= this.sent, { timeoutMs: 10_000, what: `all ${this.sent} publications at the watcher` });
    assert.deepEqual(this.got, Array.from({ length: this.sent }, (_, i) => i + 1), 'the watcher missed or reordered a publication');
    assert.equal(this.client.state, 'connected');
    assert.equal(this.reconnects, 0, 'the watcher lost its connection');
    return { published: this.sent };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** Fails when any node changed pid or is down since `before` (health may dip on a loaded machine). */
export function assertNodesUnchanged(cluster: TestCluster, before: { id: string; pid: number }[]): void {
  const now = cluster.handle.nodes();
  assert.deepEqual(now.map((n) => ({ id: n.id, pid: n.pid })), before.map((n) => ({ id: n.id, pid: n.pid })), 'a node process died or was replaced');
  for (const n of now) assert.ok(n.state !== 'down' && n.state !== 'restarting', `node ${n.id} is ${n.state}`);
}
