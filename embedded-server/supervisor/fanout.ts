/**
 * Broker events → nodes. Each publication is encoded to its wire frame once, here, and the same
 * string goes to every node with subscribers of the channel, batched per node per turn.
 */
import type { Delivery } from '../../shared/ipc/node-ipc.js';
import { encodePublication, encodePush } from '../../shared/protocol/client.codec.js';
import type { BrokerEvent } from '../broker/broker.js';
import type { NodePool } from './node-pool.js';
import type { Registry } from './registry.js';

export function fanOut(registry: Registry, pool: NodePool): (event: BrokerEvent) => void {
  return (event) => {
    const nodes = registry.nodesFor(event.channel);
    if (!nodes) return;
    let item: Delivery;
    if (event.kind === 'pub') {
      item = { kind: 'pub', channel: event.channel, frame: encodePublication(event.channel, event.pub), offset: event.pub.offset, epoch: event.epoch };
      if (event.pub.tags !== undefined) item.tags = event.pub.tags;
      if (event.delta) item.delta = true;
    } else {
      const push = event.kind === 'join' ? { channel: event.channel, join: { info: event.info } } : { channel: event.channel, leave: { info: event.info } };
      item = { kind: event.kind, channel: event.channel, frame: encodePush(push) };
    }
    for (const id of nodes) pool.get(id)?.deliver(item);
  };
}
