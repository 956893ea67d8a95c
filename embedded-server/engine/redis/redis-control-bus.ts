/**
 * The {@link ControlBus} on Redis PUB/SUB: every message is PUBLISHed, JSON-encoded, on
 * `${prefix}.control`, and every supervisor on that Redis (this one included) hears it — hearing its
 * own heartbeat is how a supervisor knows its subscriber connection still delivers.
 *
 * Wiring (redis-engine.ts):
 * ```ts
 * const control = new RedisControlBus(commands, subscriber, prefix);
 * await control.ready();   // the SUBSCRIBE is live: a publish from now on is heard back
 * // … on stop: control.stop() before quitting the connections (the bus does not own them)
 * ```
 * `commands` publishes; `subscriber` is the one pub/sub connection shared with the broker: the bus
 * subscribes its own channel there and reads only that channel's 'message' events.
 */
import type { Redis } from 'ioredis';
import { decodeControlMessage, encodeControlMessage } from '../../../shared/engine/control.codec.js';
import type { ControlMessage } from '../../../shared/engine/control-messages.js';
import type { ControlBus } from '../engine.js';
import { named } from './redis-errors.js';

export interface RedisControlBusOptions {
  /** Where a dropped message or a failed subscribe is reported (default: stderr). */
  log?: (line: string) => void;
}

const defaultLog = (line: string): void => void process.stderr.write(`switchboard: ${line}\n`);

/** The control bus of every supervisor sharing one Redis and key prefix. */
export class RedisControlBus implements ControlBus {
  /** The pub/sub channel carrying control messages. */
  readonly channel: string;
  private readonly listeners = new Set<(message: ControlMessage) => void>();
  private readonly subscribed: Promise<void>;
  private readonly log: (line: string) => void;
  private stopped = false;
  /** Own publishes awaiting their reply. */
  private inFlight = 0;
  /**
   * Messages held while an own publish is in flight (and until they are flushed): Redis hands a
   * message to subscribers before it answers the publisher, and the bus promises delivery only
   * after publish() returns, as the in-process bus does.
   */
  private held: string[] | undefined;
  private readonly onMessage = (channel: string, text: string): void => {
    if (channel !== this.channel) return;
    if (this.held) this.held.push(text);
    else this.deliver(text);
  };

  constructor(
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    prefix: string,
    opts: RedisControlBusOptions = {},
  ) {
    this.channel = `${prefix}.control`;
    this.log = opts.log ?? defaultLog;
    subscriber.on('message', this.onMessage);
    this.subscribed = subscriber.subscribe(this.channel).then(() => undefined);
    // Reported here; publish() and ready() still reject with the error for their callers.
    this.subscribed.catch((e: Error) => this.log(`control bus: subscribing ${this.channel} failed: ${e.message}`));
  }

  /** Resolves once the subscription is live (rejects when SUBSCRIBE failed). */
  ready(): Promise<void> {
    return this.subscribed;
  }

  /** Publishes to every supervisor on this Redis; waits for the own subscription first, so the sender hears it too. */
  async publish(message: ControlMessage): Promise<void> {
    if (this.stopped) return;
    await this.subscribed;
    this.inFlight++;
    this.held ??= [];
    try {
      await named('control publish', this.commands, () => this.commands.publish(this.channel, encodeControlMessage(message)));
    } finally {
      // setImmediate runs after the caller's continuation, so delivery follows the return.
      if (--this.inFlight === 0) setImmediate(() => this.flush());
    }
  }

  subscribe(listener: (message: ControlMessage) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Drops every listener and the subscription; idempotent. The connections stay open (their owner quits them). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.listeners.clear();
    this.held = undefined;
    this.subscriber.off('message', this.onMessage);
    if (this.subscriber.status !== 'ready') return;
    await this.subscriber.unsubscribe(this.channel).catch((e: Error) => this.log(`control bus: unsubscribe failed: ${e.message}`));
  }

  /** Delivers the held messages in arrival order, unless another own publish is in flight again. */
  private flush(): void {
    if (this.inFlight > 0 || !this.held) return;
    const texts = this.held;
    this.held = undefined;
    for (const text of texts) this.deliver(text);
  }

  private deliver(text: string): void {
    const decoded = decodeControlMessage(text);
    if (!decoded.ok) {
      this.log(`control bus: dropped a message on ${this.channel}: ${decoded.error}`);
      return;
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(decoded.value);
      } catch (e) {
        // One failing listener must not keep the message from the others, nor break the connection's emitter.
        this.log(`control bus: a listener threw: ${(e as Error).message}`);
      }
    }
  }
}
