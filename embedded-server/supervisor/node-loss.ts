/**
 * A node's process is gone: its subscriptions leave the registry, its presence entries leave the
 * broker, and leave pushes go out for namespaces with join/leave (ARCHITECTURE.md "Presence").
 */
import { parseChannel } from '../../shared/channels/channel-name.js';
import type { ChannelSettings } from '../../shared/channels/channel-options.js';
import type { NodeId } from '../../shared/ids.js';
import type { Broker } from '../broker/broker.js';
import type { Registry } from './registry.js';

export async function dropNodeState(node: NodeId, d: { registry: Registry; broker: Broker; channels: ChannelSettings }): Promise<void> {
  for (const channel of d.registry.dropNode(node)) await d.broker.unsubscribe(channel);
  for (const { channel, info } of await d.broker.removeOwnerPresence(node)) {
    const name = parseChannel(channel, d.channels);
    if (name.ok && name.value.options.joinLeave) await d.broker.publishLeave(channel, info);
  }
}
