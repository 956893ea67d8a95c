/**
 * Publications made through this supervisor — by its clients, its HTTP API, its console — per
 * second. Cluster-wide rates add these up, so each publication counts once, at its publisher, however
 * many supervisors deliver it.
 */
import type { Broker } from '../broker/broker.js';

export class PublishedRate {
  private count = 0;
  perSecond = 0;

  add(): void {
    this.count++;
  }

  /** Closes the current second (`elapsedMs` since the last call). */
  tick(elapsedMs: number): void {
    this.perSecond = this.count / Math.max(0.001, elapsedMs / 1000);
    this.count = 0;
  }
}

/** The broker, calling `counted` after each publication it accepted (joins and leaves are not publications). */
export function countingPublishes(broker: Broker, counted: () => void): Broker {
  return {
    publish: async (channel, data, opts) => {
      const r = await broker.publish(channel, data, opts);
      counted();
      return r;
    },
    publishJoin: (channel, info) => broker.publishJoin(channel, info),
    publishLeave: (channel, info) => broker.publishLeave(channel, info),
    history: (channel, query, stream) => broker.history(channel, query, stream),
    position: (channel, stream) => broker.position(channel, stream),
    removeHistory: (channel) => broker.removeHistory(channel),
    subscribe: (channel) => broker.subscribe(channel),
    unsubscribe: (channel) => broker.unsubscribe(channel),
    onEvent: (listener) => broker.onEvent(listener),
    stop: () => broker.stop(),
  };
}
