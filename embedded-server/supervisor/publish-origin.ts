/**
 * Marks the publications of one server path (HTTP API, admin API) with their origin, so a watching
 * console can say who published (channel-watchers.ts). Client publications need no mark: their
 * `info` names the publisher.
 */
import type { Broker, PublishOrigin } from '../broker/broker.js';

/** The broker's `publish`, with every publication marked as coming from `origin`. */
export function publishingAs(broker: Pick<Broker, 'publish'>, origin: PublishOrigin): Pick<Broker, 'publish'> {
  return { publish: (channel, data, opts) => broker.publish(channel, data, { ...opts, origin }) };
}
