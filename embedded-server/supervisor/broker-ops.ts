/**
 * Answers the nodes' broker requests: subscribe (interest, presence, join, position or recovery),
 * unsubscribe, publish, presence, history and stream positions (PROTOCOL.md §6).
 */
import { parseChannel } from '../../shared/channels/channel-name.js';
import type { ChannelOptions, ChannelSettings } from '../../shared/channels/channel-options.js';
import type { NodeRequestName, NodeRequests, SubscribeOp, SubscribeOutcome } from '../../shared/ipc/node-ipc.js';
import type { NodeId } from '../../shared/ids.js';
import type { StreamPosition } from '../../shared/protocol/client-protocol.js';
import { Errors } from '../../shared/protocol/codes.js';
import type { RecoveryMiss } from '../../shared/admin/admin-model.js';
import type { AppError, Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { Broker, StreamOptions } from '../broker/broker.js';
import type { PresenceEngine } from '../engine/engine.js';
import { streamOptions } from '../broker/broker.js';
import type { EventLog } from './event-log.js';
import type { RecoveryLog } from './recovery-log.js';
import type { Registry } from './registry.js';
import { ChannelLock } from './channel-lock.js';
import { clientRefusal, publishToChannel } from './publish-to-channel.js';

export interface BrokerOpsDeps {
  broker: Broker;
  presence: PresenceEngine;
  /** The incarnation of the node's current process: the owner of the presence entries it adds. */
  ownerOf: (node: NodeId) => string;
  registry: Registry;
  channels: ChannelSettings;
  recoveryMaxPublicationLimit: number;
  events: EventLog;
  recoveries: RecoveryLog;
  /**
   * The supervisor's one lock on channels' broker interest, shared with whatever else changes it
   * (a node's loss, node-loss.ts); a fresh one when nothing else does (tests).
   */
  lock?: ChannelLock;
  /** Where failures of the broker or presence go (default: stderr). */
  log?: (line: string) => void;
}

type Handlers = { [K in NodeRequestName]: (node: NodeId, req: NodeRequests[K]['req']) => Promise<NodeRequests[K]['res']> };

export function createBrokerOps(d: BrokerOpsDeps): Handlers {
  const lock = d.lock ?? new ChannelLock();
  const optionsOf = (channel: string): Result<ChannelOptions, AppError> => {
    const name = parseChannel(channel, d.channels);
    return name.ok ? ok(name.value.options) : name;
  };
  const streamFor = (channel: string): StreamOptions | null => {
    const o = optionsOf(channel);
    return o.ok ? streamOptions(o.value) : null;
  };
  return {
    'broker.subscribe': (node, req) => subscribe(d, lock, node, req, streamFor(req.channel)),
    'broker.unsubscribe': async (node, req) => {
      const removed = await lock.run(req.channel, () => dropInterest(d, req.channel, req.info.client));
      if (!removed) return null;
      d.events.emit({ type: 'client.unsubscribed', node, client: req.info.client, user: req.info.user, channel: req.channel });
      // Each step on its own: a failed leave must not keep a presence entry, nor the reverse.
      if (req.presence) await attempt(d, `removing presence in ${req.channel}`, () => d.presence.remove(req.channel, req.info.client));
      if (req.emitLeave) await attempt(d, `leave in ${req.channel}`, () => d.broker.publishLeave(req.channel, req.info));
      return null;
    },
    'broker.publish': async (_node, req) => {
      const published = await publishToChannel(d.broker, d.channels, {
        channel: req.channel, data: req.data, info: req.info, tags: req.tags, skipHistory: req.skipHistory,
      });
      return published.ok ? published : err(clientRefusal(published.error));
    },
    'broker.presence': async (_node, req) => ok(await d.presence.list(req.channel)),
    'broker.presence_stats': async (_node, req) => ok(await d.presence.stats(req.channel)),
    'broker.history': async (_node, req) => {
      const stream = streamFor(req.channel);
      if (!stream) return err({ code: 108, message: 'not available' });
      return d.broker.history(req.channel, { limit: req.limit, since: req.since, reverse: req.reverse }, stream);
    },
    'user.admit': async (_node, req) => (d.registry.admitUser(req.user, req.client, req.limit, Date.now()) ? ok(null) : err(Errors.limitExceeded)),
    'broker.positions': async (_node, req) => {
      const out: Record<string, StreamPosition> = {};
      for (const channel of req.channels) {
        const stream = streamFor(channel);
        if (stream) out[channel] = await d.broker.position(channel, stream);
      }
      return out;
    },
  };
}

/**
 * Subscribes a client: broker interest (under the channel's lock, so every subscriber finds the
 * broker subscription live), presence, position or recovery, join. Any failure rolls all of it back
 * and answers 100 (temporary), so the client retries and the next attempt starts clean.
 */
async function subscribe(
  d: BrokerOpsDeps, lock: ChannelLock, node: NodeId, op: SubscribeOp, stream: StreamOptions | null,
): Promise<Result<SubscribeOutcome>> {
  const { channel, info } = op;
  try {
    // Interest first: publications from now on reach the node, which buffers them until the reply.
    await lock.run(channel, () => addInterest(d, channel, info.client, node));
  } catch (e) {
    logFailure(d, `subscribing to ${channel}`, e);
    return err(Errors.internal);
  }
  d.events.emit({ type: 'client.subscribed', node, client: info.client, user: info.user, channel });
  try {
    const outcome = await subscribeOutcome(d, node, op, stream);
    if (outcome.ok) return outcome;
    await rollBack(d, lock, node, op);
    return outcome;
  } catch (e) {
    logFailure(d, `subscribing to ${channel}`, e);
    await rollBack(d, lock, node, op);
    return err(Errors.internal);
  }
}

/** Presence, the position or recovery, and the join, once the broker subscription is live. */
async function subscribeOutcome(d: BrokerOpsDeps, node: NodeId, op: SubscribeOp, stream: StreamOptions | null): Promise<Result<SubscribeOutcome>> {
  if (op.presence) await d.presence.add(op.channel, op.info, d.ownerOf(node));
  const outcome: SubscribeOutcome = {};
  if (op.positioned && stream) {
    if (op.recover) {
      const r = await recover(d, op.channel, op.recover, stream);
      if (!r.ok) return r;
      Object.assign(outcome, r.value);
      noteRecovery(d, node, op, r.value);
    } else {
      outcome.position = await d.broker.position(op.channel, stream);
    }
  }
  if (op.emitJoinLeave) await d.broker.publishJoin(op.channel, op.info);
  return ok(outcome);
}

/** Registers the subscriber; the channel's first one subscribes the broker, and is forgotten again if that fails. */
async function addInterest(d: BrokerOpsDeps, channel: string, client: string, node: NodeId): Promise<void> {
  if (!d.registry.subscribe(channel, client, node)) return;
  try {
    await d.broker.subscribe(channel);
  } catch (e) {
    d.registry.unsubscribe(channel, client);
    throw e;
  }
}

/**
 * Forgets the subscriber; the channel's last one unsubscribes the broker. The registry entry goes
 * first, so a failed broker.unsubscribe leaves the broker with more interest than the registry
 * (harmless: the next subscriber subscribes again), never less. Answers whether it was subscribed.
 */
async function dropInterest(d: BrokerOpsDeps, channel: string, client: string): Promise<boolean> {
  const r = d.registry.unsubscribe(channel, client);
  if (r.removed && r.empty) await attempt(d, `unsubscribing from ${channel}`, () => d.broker.unsubscribe(channel));
  return r.removed;
}

/** Undoes a subscribe that failed after its interest was registered. */
async function rollBack(d: BrokerOpsDeps, lock: ChannelLock, node: NodeId, op: SubscribeOp): Promise<void> {
  const { channel, info } = op;
  if (!(await lock.run(channel, () => dropInterest(d, channel, info.client)))) return;
  d.events.emit({ type: 'client.unsubscribed', node, client: info.client, user: info.user, channel });
  if (op.presence) await attempt(d, `removing presence in ${channel}`, () => d.presence.remove(channel, info.client));
}

/** Runs a broker or presence step whose failure is logged, not thrown. */
async function attempt(d: BrokerOpsDeps, what: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (e) {
    logFailure(d, what, e);
  }
}

function logFailure(d: BrokerOpsDeps, what: string, e: unknown): void {
  const line = `switchboard: ${what} failed: ${e instanceof Error ? e.message : String(e)}`;
  if (d.log) d.log(line);
  else process.stderr.write(`${line}\n`);
}

/** Records a recovery for the console's timeline and the event log, with why it missed. */
function noteRecovery(d: BrokerOpsDeps, node: NodeId, op: SubscribeOp, o: SubscribeOutcome): void {
  const from = op.recover!;
  const top = o.position?.offset ?? 0;
  const replayed = o.publications?.length ?? 0;
  let miss: RecoveryMiss | undefined;
  if (!o.recovered) {
    if (from.epoch !== '' && from.epoch !== o.position?.epoch) miss = 'epoch changed';
    else if (top - from.offset > d.recoveryMaxPublicationLimit) miss = 'too many missed';
    else miss = 'gap left the history window';
  }
  const record = { at: Date.now(), client: op.info.client, channel: op.channel, recovered: o.recovered === true, replayed, fromOffset: from.offset, toOffset: top, ...(miss ? { miss } : {}) };
  d.recoveries.add(op.info.user, record);
  d.events.emit({
    type: 'subscription.recovered', node, client: op.info.client, user: op.info.user, channel: op.channel,
    recovered: record.recovered, replayed, ...(miss ? { miss } : {}),
  });
}

/** Stream recovery (PROTOCOL.md §6.3): all missed publications, or recovered:false — never a partial set. */
async function recover(
  d: BrokerOpsDeps, channel: string, from: { offset: number; epoch: string }, stream: StreamOptions,
): Promise<Result<SubscribeOutcome>> {
  const read = await d.broker.history(
    channel, { limit: d.recoveryMaxPublicationLimit, since: { offset: from.offset, epoch: '' }, reverse: false }, stream,
  );
  if (!read.ok) return read;
  const { publications, offset: top, epoch } = read.value;
  const position = { offset: top, epoch };
  if (from.epoch !== '' && from.epoch !== epoch) return ok({ position, recovered: false });
  if (publications.length === 0) return ok({ position, recovered: from.offset === top });
  const first = publications[0]!.offset;
  const last = publications[publications.length - 1]!.offset;
  const recovered = first === from.offset + 1 && last === top;
  return ok(recovered ? { position, recovered, publications } : { position, recovered: false });
}
