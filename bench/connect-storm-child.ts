/**
 * One process of a connect storm's clients (forked by connect-storm.ts, spawned by bench/storm.ts):
 * takes its order, mints its tokens (Switchboard), says `ready`, storms on `go`, reports `done`, and
 * holds its sockets until told to exit.
 */
import { mintConnectionToken } from '../embedded-server/index.js';
import type { StormKind } from './connect-storm-client.js';
import { connectStorm } from './connect-storm-client.js';

export interface StormOrder {
  url: string;
  /** Switchboard's token secret (users `storm-<index>`); absent for the other kinds. */
  secret?: string;
  first: number;
  count: number;
  kind?: StormKind;
  /** Client i subscribes to `channels[k][i % channels[k].length]` for every k (one channel per list). */
  channels?: string[][];
  localAddress?: string;
  concurrency?: number;
  giveUpMs?: number;
  /** Retry backoff bounds (default centrifuge-js's 500 ms … 20 s). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** What the child reports on `done` (latencies in ms, per admitted client). */
export interface StormDone {
  t: 'done';
  admitted: number;
  failed: number;
  ms: number;
  attempts: number;
  refusals: Record<string, number>;
  openMs: number[];
  readyMs: number[];
  totalMs: number[];
}

process.once('message', (order: StormOrder) => {
  void (async () => {
    const kind = order.kind ?? 'sb';
    const tokens = kind === 'sb'
      ? await Promise.all(Array.from({ length: order.count }, (_, i) => mintConnectionToken({ secret: order.secret ?? '', user: `storm-${order.first + i}` })))
      : Array.from({ length: order.count }, () => '');
    const lists = order.channels ?? [];
    process.send!({ t: 'ready' });
    process.once('message', async () => {
      const result = await connectStorm({
        url: order.url, tokens, kind, localAddress: order.localAddress, concurrency: order.concurrency, giveUpMs: order.giveUpMs,
        minDelayMs: order.minDelayMs, maxDelayMs: order.maxDelayMs,
        channels: lists.length === 0 ? undefined : (i) => lists.map((l) => l[(order.first + i) % l.length]!),
      });
      const { close, ...figures } = result;
      process.send!({ t: 'done', ...figures } satisfies StormDone);
      process.once('message', () => {
        close();
        process.exit(0);
      });
    });
  })();
});
process.on('disconnect', () => process.exit(0));
