/**
 * A node's process is gone: its subscriptions leave the registry, its presence entries leave the
 * broker, and leave pushes go out for namespaces with join/leave (ARCHITECTURE.md "Presence").
 */
import { parseChannel } from '../../shared/channels/channel-name.js';
import type { ChannelSettings } from '../../shared/channels/channel-options.js';
import type { NodeId } from '../../shared/ids.js';
import type { Broker } from '../broker/broker.js';
import type { PresenceEngine, PresenceLeft } from '../engine/engine.js';
import type { ChannelLock } from './channel-lock.js';
import type { Registry } from './registry.js';

/**
 * Forgets a node process that is gone. `incarnation` names that very process, so a node slot that
 * was restarted meanwhile (same short id) keeps the entries of its new process.
 */
export async function dropNodeState(
  node: NodeId,
  incarnation: string,
  d: { registry: Registry; broker: Broker; presence: PresenceEngine; channels: ChannelSettings; lock: ChannelLock },
): Promise<void> {
  for (const channel of d.registry.dropNode(node)) {
    // Under the channel's lock, and only while still nobody subscribes: a client that subscribed
    // on another node since the registry dropped this one needs the broker's interest kept.
    await d.lock.run(channel, async () => {
      if (d.registry.subscribersOf(channel) === undefined) await d.broker.unsubscribe(channel);
    });
  }
  await publishLeaves(await d.presence.removeOwner(incarnation), d);
}

/** Leave pushes for presence entries that went, in channels whose namespace has join/leave. */
export async function publishLeaves(left: PresenceLeft[], d: { broker: Broker; channels: ChannelSettings }): Promise<void> {
  for (const { channel, info } of left) {
    const name = parseChannel(channel, d.channels);
    if (name.ok && name.value.options.joinLeave) await d.broker.publishLeave(channel, info);
  }
}
