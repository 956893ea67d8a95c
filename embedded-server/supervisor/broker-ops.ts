/**
 * Answers the nodes' broker requests: subscribe (interest, presence, join, position or recovery),
 * unsubscribe, publish, presence, history and stream positions (PROTOCOL.md §6).
 */
import { parseChannel } from '../../shared/channels/channel-name.js';
import type { ChannelOptions, ChannelSettings } from '../../shared/channels/channel-options.js';
import type { NodeRequestName, NodeRequests, SubscribeOp, SubscribeOutcome } from '../../shared/ipc/node-ipc.js';
import type { NodeId } from '../../shared/ids.js';
import type { StreamPosition } from '../../shared/protocol/client-protocol.js';
import type { RecoveryMiss } from '../../shared/admin/admin-model.js';
import type { AppError, Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { Broker, StreamOptions } from '../broker/broker.js';
import { streamOptions } from '../broker/broker.js';
import type { EventLog } from './event-log.js';
import type { RecoveryLog } from './recovery-log.js';
import type { Registry } from './registry.js';

export interface BrokerOpsDeps {
  broker: Broker;
  registry: Registry;
  channels: ChannelSettings;
  recoveryMaxPublicationLimit: number;
  events: EventLog;
  recoveries: RecoveryLog;
}

type Handlers = { [K in NodeRequestName]: (node: NodeId, req: NodeRequests[K]['req']) => Promise<NodeRequests[K]['res']> };

export function createBrokerOps(d: BrokerOpsDeps): Handlers {
  const optionsOf = (channel: string): Result<ChannelOptions, AppError> => {
    const name = parseChannel(channel, d.channels);
    return name.ok ? ok(name.value.options) : name;
  };
  const streamFor = (channel: string): StreamOptions | null => {
    const o = optionsOf(channel);
    return o.ok ? streamOptions(o.value) : null;
  };
  return {
    'broker.subscribe': (node, req) => subscribe(d, node, req, streamFor(req.channel)),
    'broker.unsubscribe': async (node, req) => {
      const r = d.registry.unsubscribe(req.channel, req.info.client);
      if (!r.removed) return null;
      d.events.emit({ type: 'client.unsubscribed', node, client: req.info.client, user: req.info.user, channel: req.channel });
      if (r.empty) await d.broker.unsubscribe(req.channel);
      if (req.presence) await d.broker.removePresence(req.channel, req.info.client);
      if (req.emitLeave) await d.broker.publishLeave(req.channel, req.info);
      return null;
    },
    'broker.publish': async (_node, req) => {
      const o = optionsOf(req.channel);
      if (!o.ok) return o;
      return ok(await d.broker.publish(req.channel, req.data, { stream: streamOptions(o.value), info: req.info }));
    },
    'broker.presence': async (_node, req) => ok(await d.broker.presence(req.channel)),
    'broker.presence_stats': async (_node, req) => ok(await d.broker.presenceStats(req.channel)),
    'broker.history': async (_node, req) => {
      const stream = streamFor(req.channel);
      if (!stream) return err({ code: 108, message: 'not available' });
      return d.broker.history(req.channel, { limit: req.limit, since: req.since, reverse: req.reverse }, stream);
    },
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

async function subscribe(d: BrokerOpsDeps, node: NodeId, op: SubscribeOp, stream: StreamOptions | null): Promise<Result<SubscribeOutcome>> {
  // Interest first: publications from now on reach the node, which buffers them until the reply.
  if (d.registry.subscribe(op.channel, op.info.client, node)) await d.broker.subscribe(op.channel);
  d.events.emit({ type: 'client.subscribed', node, client: op.info.client, user: op.info.user, channel: op.channel });
  if (op.presence) await d.broker.addPresence(op.channel, op.info, node);
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
