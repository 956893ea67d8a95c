/**
 * The {@link Broker} on Redis, like Centrifugo's Redis engine: a channel's stream and meta live in
 * Redis (publish with history is one atomic Lua call, history reads from the stream), and
 * publications, joins and leaves travel over Redis PUB/SUB to every supervisor that subscribed the
 * channel on its one shared subscriber connection.
 *
 * The command connection runs without an offline queue, so while Redis is down every call rejects
 * at once with a clear error instead of waiting for a reconnect. Every script call passes the
 * generation of the server's data (redis-generation.ts), so after a failover, or a restart that may
 * have lost writes, a channel's next use gives it a new epoch.
 */
import type { Redis } from 'ioredis';
import { Errors } from '../../../shared/protocol/codes.js';
import type { ClientInfo, HistoryResult, Json, StreamPosition } from '../../../shared/protocol/client-protocol.js';
import { err, ok } from '../../../shared/result.js';
import type { AppError, Result } from '../../../shared/result.js';
import type { Broker, BrokerEvent, HistoryQuery, StreamOptions } from '../../broker/broker.js';
import { newEpoch } from '../../broker/history-stream.js';
import { redisError } from './redis-errors.js';
import type { EpochGeneration } from './redis-generation.js';
import { HISTORY_SCRIPT, PUBLISH_SCRIPT } from './redis-scripts.js';
import {
  decodeBrokerMessage, decodePublicationBody, encodeBarePublication, encodeJoin, encodeLeave, encodePublicationBody,
} from './redis-wire.js';

type StreamEntry = [id: string, fields: string[]];

/** The scripts registered with `defineCommand` (EVALSHA, falling back to EVAL once per connection). */
interface ScriptCommands {
  sbPublish(stream: string, meta: string, ...argv: (string | number)[]): Promise<[number, string]>;
  sbHistory(stream: string, meta: string, ...argv: (string | number)[]): Promise<[number, string, StreamEntry[]]>;
}

/** The Redis key names of one channel; `{channel}` is the Redis Cluster hash tag. */
export function channelKeys(prefix: string, channel: string): { stream: string; meta: string; pubsub: string } {
  return {
    stream: `${prefix}.stream.{${channel}}`,
    meta: `${prefix}.meta.{${channel}}`,
    pubsub: `${prefix}.client.{${channel}}`,
  };
}

/** A {@link Broker} whose streams and fan-out live in Redis. */
export class RedisBroker implements Broker {
  private readonly listeners = new Set<(event: BrokerEvent) => void>();
  /** Redis pub/sub channel → channel, for every channel subscribed (or being subscribed). */
  private readonly interest = new Map<string, string>();
  private readonly pending = new Map<string, Promise<void>>();
  /**
   * Pub/sub channels given up while the connection was down: ioredis resubscribes every channel it
   * had after a reconnect, these included, so they are unsubscribed once it has.
   */
  private readonly lingering = new Set<string>();
  private readonly onSubscriberReady = (): void => {
    // 'ready' comes before ioredis resends its SUBSCRIBEs in the same turn; ours must follow them.
    setImmediate(() => this.dropLingering());
  };
  private readonly scripts: ScriptCommands;
  private stopped = false;
  private readonly onMessage = (pubsub: string, text: string): void => {
    const channel = this.interest.get(pubsub);
    if (channel === undefined) return;
    const event = decodeBrokerMessage(channel, text);
    if (event) this.emit(event);
  };

  /**
   * @param redis the command connection (no offline queue);
   * @param subscriber the pub/sub connection shared with the control bus; the broker reads only its own channels.
   */
  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly generation: EpochGeneration,
  ) {
    redis.defineCommand('sbPublish', { numberOfKeys: 2, lua: PUBLISH_SCRIPT });
    redis.defineCommand('sbHistory', { numberOfKeys: 2, lua: HISTORY_SCRIPT });
    this.scripts = redis as unknown as ScriptCommands;
    subscriber.on('message', this.onMessage);
    subscriber.on('ready', this.onSubscriberReady);
  }

  async publish(
    channel: string,
    data: Json,
    opts: { stream: StreamOptions | null; info?: ClientInfo; tags?: Record<string, string>; delta?: boolean },
  ): Promise<{ offset?: number; epoch?: string }> {
    const keys = channelKeys(this.prefix, channel);
    const body = encodePublicationBody(data, opts.info, opts.tags, opts.delta);
    const limits = opts.stream;
    try {
      if (!limits || limits.size <= 0 || limits.ttlMs <= 0) {
        await this.redis.publish(keys.pubsub, encodeBarePublication(body));
        return {};
      }
      const gen = await this.generation.current();
      const [offset, epoch] = await this.scripts.sbPublish(
        keys.stream, keys.meta, body, limits.size, limits.ttlMs, limits.metaTtlMs, newEpoch(), keys.pubsub, gen,
      );
      return { offset: Number(offset), epoch };
    } catch (e) {
      throw redisError(`publish to "${channel}"`, this.redis, e);
    }
  }

  async publishJoin(channel: string, info: ClientInfo): Promise<void> {
    await this.redis.publish(channelKeys(this.prefix, channel).pubsub, encodeJoin(info))
      .catch((e: unknown) => { throw redisError(`join on "${channel}"`, this.redis, e); });
  }

  async publishLeave(channel: string, info: ClientInfo): Promise<void> {
    await this.redis.publish(channelKeys(this.prefix, channel).pubsub, encodeLeave(info))
      .catch((e: unknown) => { throw redisError(`leave on "${channel}"`, this.redis, e); });
  }

  async history(channel: string, query: HistoryQuery, stream: StreamOptions): Promise<Result<HistoryResult, AppError>> {
    const { since, reverse, limit } = query;
    if (since && reverse && since.offset === 0) return err(Errors.badRequest);
    const [top, epoch, entries] = await this.read(channel, stream, since ? String(since.offset) : '', limit, reverse);
    if (since && since.epoch !== '' && since.epoch !== epoch) return err(Errors.unrecoverablePosition);
    const publications = entries.map(([id, fields]) => decodePublicationBody(fieldOf(fields, 'd'), parseInt(id, 10)));
    return ok({ publications, epoch, offset: top });
  }

  async position(channel: string, stream: StreamOptions): Promise<StreamPosition> {
    const [offset, epoch] = await this.read(channel, stream, '', 0, false);
    return { offset, epoch };
  }

  async removeHistory(channel: string): Promise<void> {
    await this.redis.del(channelKeys(this.prefix, channel).stream)
      .catch((e: unknown) => { throw redisError(`remove history of "${channel}"`, this.redis, e); });
  }

  // Concurrent subscribes of one channel share one SUBSCRIBE; a failed one leaves no interest behind.
  async subscribe(channel: string): Promise<void> {
    const { pubsub } = channelKeys(this.prefix, channel);
    const inFlight = this.pending.get(pubsub);
    if (inFlight) return inFlight;
    if (this.interest.has(pubsub)) return;
    // Refused at once while down (queued, it would wait for the next failed reconnect attempt to be rejected).
    if (this.subscriber.status !== 'ready') throw redisError(`subscribe to "${channel}"`, this.subscriber, new Error('not connected'));
    this.lingering.delete(pubsub);
    this.interest.set(pubsub, channel);
    const done = this.subscriber.subscribe(pubsub).then(
      () => undefined,
      (e: unknown) => {
        this.interest.delete(pubsub);
        throw redisError(`subscribe to "${channel}"`, this.subscriber, e);
      },
    ).finally(() => this.pending.delete(pubsub));
    this.pending.set(pubsub, done);
    return done;
  }

  async unsubscribe(channel: string): Promise<void> {
    const { pubsub } = channelKeys(this.prefix, channel);
    await this.pending.get(pubsub)?.catch(() => undefined);
    if (!this.interest.delete(pubsub)) return;
    if (this.subscriber.status !== 'ready') {
      this.lingering.add(pubsub); // undone once the connection is back
      return;
    }
    await this.subscriber.unsubscribe(pubsub).catch((e: unknown) => {
      this.lingering.add(pubsub); // the connection may have dropped under it, and ioredis will resubscribe it
      throw redisError(`unsubscribe from "${channel}"`, this.subscriber, e);
    });
  }

  onEvent(listener: (event: BrokerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stops delivering; the connections belong to the engine, which quits them. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.listeners.clear();
    this.subscriber.off('message', this.onMessage);
    this.subscriber.off('ready', this.onSubscriberReady);
  }

  /** Unsubscribes what was given up while the connection was down (unless wanted again since). */
  private dropLingering(): void {
    if (this.stopped || this.subscriber.status !== 'ready') return;
    const channels = [...this.lingering].filter((pubsub) => !this.interest.has(pubsub));
    this.lingering.clear();
    if (channels.length === 0) return;
    this.subscriber.unsubscribe(...channels).catch((e: unknown) => {
      process.stderr.write(`switchboard: ${redisError('unsubscribe of channels given up during the outage', this.subscriber, e).message}\n`);
    });
  }

  private async read(channel: string, stream: StreamOptions, since: string, limit: number, reverse: boolean): Promise<[number, string, StreamEntry[]]> {
    const keys = channelKeys(this.prefix, channel);
    try {
      const gen = await this.generation.current();
      const [top, epoch, entries] = await this.scripts.sbHistory(
        keys.stream, keys.meta, newEpoch(), stream.metaTtlMs, stream.ttlMs, since, limit, reverse ? '1' : '0', gen,
      );
      return [Number(top), epoch, entries];
    } catch (e) {
      throw redisError(`history of "${channel}"`, this.redis, e);
    }
  }

  private emit(event: BrokerEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (e) {
        // A throwing listener must not break ioredis's emitter nor starve the other listeners.
        process.stderr.write(`switchboard: redis broker: a listener threw: ${(e as Error).message}\n`);
      }
    }
  }
}

function fieldOf(fields: string[], name: string): string {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]!;
  return 'null';
}
