/**
 * Reconciling positions: a node that may have missed deliveries (a healed partition, a pub/sub
 * connection that dropped or went silent) gets the broker's positions of its channels, detects
 * offset gaps and makes the subscribers behind recover.
 */
import type { StreamPosition } from '../../shared/protocol/client-protocol.js';
import { parseChannel } from '../../shared/channels/channel-name.js';
import { streamOptions } from '../broker/broker.js';
import type { NodeProcess } from './node-process.js';
import type { Supervisor } from './supervisor.js';

/** Sends the node the broker's positions of every channel it has subscribers of. */
export async function reconcile(sv: Supervisor, proc: NodeProcess): Promise<void> {
  const positions: Record<string, StreamPosition> = {};
  for (const [channel] of sv.registry.channelCounts()) {
    const nodes = sv.registry.nodesFor(channel);
    if (!nodes || ![...nodes].includes(proc.id)) continue;
    const name = parseChannel(channel, sv.config.channels);
    const stream = name.ok ? streamOptions(name.value.options) : null;
    if (stream) positions[channel] = await sv.broker.position(channel, stream);
  }
  proc.send({ t: 'reconcile', positions });
}

/** {@link reconcile} for every live node; a broker that rejects is logged, never an unhandled rejection. */
export function reconcileAll(sv: Supervisor): void {
  for (const proc of sv.pool.all()) {
    // A partitioned node gets its positions when the partition heals.
    if (proc.exited || !proc.child || proc.partitioned) continue;
    reconcile(sv, proc).catch((e: Error) => process.stderr.write(`switchboard: sending ${proc.id} its positions failed: ${e.message}\n`));
  }
}
