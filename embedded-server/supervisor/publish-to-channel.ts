/**
 * The one way into a channel's stream (issue 10 §1): the client publish (broker-ops), the HTTP API
 * publish and broadcast, the console's channel.publish and broadcast.send all take their verdict
 * from `checkPublication` and publish with `publishChecked`. Each caller keeps its own error shape
 * (client reply, HTTP API body, admin 400) but none has a validation of its own.
 */
import { parseChannel } from '../../shared/channels/channel-name.js';
import type { ChannelSettings } from '../../shared/channels/channel-options.js';
import { publicationDataProblem, publicationInfoProblem } from '../../shared/channels/channel-options.js';
import type { ClientInfo, Json } from '../../shared/protocol/client-protocol.js';
import { Errors } from '../../shared/protocol/codes.js';
import type { AppError, Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { Broker, StreamOptions } from '../broker/broker.js';
import { streamOptions } from '../broker/broker.js';

/** A publication as a caller asks for it, not yet checked. */
export interface PublicationRequest {
  channel: string;
  /** Anything decoded from the caller's wire; undefined when absent. */
  data: unknown;
  /** The publisher, for client publications. */
  info?: ClientInfo;
  tags?: Record<string, string>;
  /** Publish without adding to history (HTTP API `skip_history`). */
  skipHistory?: boolean;
  /** HTTP API `delta`: a fossil delta for subscribers that negotiated one. */
  delta?: boolean;
}

/** A publication that passed: data is JSON within the limits, `stream` is the namespace's (or null). */
export interface CheckedPublication {
  channel: string;
  data: Json;
  stream: StreamOptions | null;
  info?: ClientInfo;
  tags?: Record<string, string>;
  /** Delta-encoded for delta subscribers: asked for, or the namespace's `delta_publish`. */
  delta?: boolean;
}

/** Why a publication is refused. */
export interface PublishRefusal {
  /** What is wrong: the channel name or namespace, the data, or the publisher's info. */
  about: 'channel' | 'data' | 'info';
  /** The protocol error: 102 unknown namespace, 107 bad channel name or data (message as the HTTP API sends it). */
  error: AppError;
  /** The reason in words, without the protocol's prefix (e.g. "data must be a JSON object"). */
  why: string;
}

/** What publishing needs of the broker. */
export type Publisher = Pick<Broker, 'publish'>;

/**
 * The one verdict: the channel (parseChannel: bad name 107, unknown namespace 102), the data against
 * the namespace's `publication_data_format` and the publication limits, and the publisher's info
 * against the limits.
 */
export function checkPublication(req: PublicationRequest, settings: ChannelSettings): Result<CheckedPublication, PublishRefusal> {
  const name = parseChannel(req.channel, settings);
  if (!name.ok) return err({ about: 'channel', error: name.error, why: name.error.message });
  const dataProblem = publicationDataProblem(name.value.options.publicationDataFormat, req.data);
  if (dataProblem !== null) return err(badData('data', dataProblem));
  const infoProblem = req.info === undefined ? null : publicationInfoProblem('info', req.info);
  if (infoProblem !== null) return err(badData('info', infoProblem));
  const checked: CheckedPublication = {
    channel: req.channel,
    data: req.data as Json,
    stream: req.skipHistory ? null : streamOptions(name.value.options),
  };
  if (req.info !== undefined) checked.info = req.info;
  if (req.tags !== undefined) checked.tags = req.tags;
  if (req.delta === true || name.value.options.deltaPublish) checked.delta = true;
  return ok(checked);
}

/** Publishes what `checkPublication` let through; answers the offset and epoch when history keeps it. */
export function publishChecked(broker: Publisher, p: CheckedPublication): Promise<{ offset?: number; epoch?: string }> {
  const opts: Parameters<Publisher['publish']>[2] = { stream: p.stream };
  if (p.info !== undefined) opts.info = p.info;
  if (p.tags !== undefined) opts.tags = p.tags;
  if (p.delta) opts.delta = true;
  return broker.publish(p.channel, p.data, opts);
}

/** Checks, then publishes: the refusal, or the offset and epoch. Rejects only when the broker does. */
export async function publishToChannel(
  broker: Publisher, settings: ChannelSettings, req: PublicationRequest,
): Promise<Result<{ offset?: number; epoch?: string }, PublishRefusal>> {
  const checked = checkPublication(req, settings);
  if (!checked.ok) return checked;
  return ok(await publishChecked(broker, checked.value));
}

/** The refusal as a client protocol error: 102 or 107 with the protocol's fixed message. */
export function clientRefusal(r: PublishRefusal): AppError {
  return r.error.code === Errors.unknownChannel.code ? Errors.unknownChannel : Errors.badRequest;
}

function badData(about: 'data' | 'info', why: string): PublishRefusal {
  return { about, error: { code: Errors.badRequest.code, message: `${Errors.badRequest.message}: ${why}` }, why };
}
