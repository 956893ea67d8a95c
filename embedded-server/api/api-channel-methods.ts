/**
 * Server API methods about channels and the cluster (PROTOCOL.md §10.2): publish, broadcast,
 * presence, presence_stats, history, history_remove, channels, info, rpc. Each validates every
 * field first, then makes its backend calls; no permission checks (the API is trusted).
 */
import type { AppError, Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { Json } from '../../shared/protocol/client-protocol.js';
import type { ChannelName } from '../../shared/channels/channel-name.js';
import type { ServerApiBackend } from './server-api-backend.js';
import type { ApiContext, ApiResultByMethod, BroadcastEntry, MethodHandler, PublishResult } from './api-types.js';
import { describeError } from './api-types.js';
import type { Params } from './api-validate.js';
import {
  ApiErrors, FieldReader, apiError, badRequest, readPosition, resolveChannel, streamOptions,
} from './api-validate.js';
import { globMatcher } from './glob.js';
import { publishToChannel } from '../supervisor/publish-to-channel.js';

/** Fields shared by publish and broadcast. */
interface PublishFields {
  data: Json | undefined;
  skipHistory: boolean;
  tags: Record<string, string> | undefined;
  /** Sent as a fossil delta to subscribers that negotiated one (the namespace's `delta_publish` does it for all). */
  delta: boolean;
}

function readPublishFields(f: FieldReader): PublishFields {
  const fields = { data: f.payload('data'), skipHistory: f.bool('skip_history') ?? false, tags: f.stringMap('tags'), delta: f.bool('delta') ?? false };
  f.unsupported('b64data', 'this server speaks JSON only; send data');
  // Accepted for compatibility; this server has no idempotency cache or versioned publications.
  f.string('idempotency_key');
  f.uint('version');
  f.string('version_epoch');
  return fields;
}

/** Publishes to one channel through the one publication check (publish-to-channel.ts). */
async function publishOne(
  backend: ServerApiBackend, channel: string, fields: PublishFields,
): Promise<Result<PublishResult, AppError>> {
  if (channel === '') return err(badRequest('channel is required'));
  const request = {
    channel, data: fields.data, skipHistory: fields.skipHistory,
    ...(fields.tags === undefined ? {} : { tags: fields.tags }),
    ...(fields.delta ? { delta: true } : {}),
  };
  const outcome = await publishToChannel(backend, backend.channels, request);
  if (!outcome.ok) return err(apiError(outcome.error.error));
  const published = outcome.value;
  const result: PublishResult = {};
  if (published.offset !== undefined) result.offset = published.offset;
  if (published.epoch !== undefined && published.epoch !== '') result.epoch = published.epoch;
  return ok(result);
}

export const publish: MethodHandler<'publish'> = async ({ backend }, params) => {
  const f = new FieldReader(params);
  const channel = f.string('channel') ?? '';
  const fields = readPublishFields(f);
  if (f.error) return err(f.error);
  if (channel === '') return err(badRequest('channel is required'));
  if (fields.data === undefined) return err(badRequest('data is required'));
  return publishOne(backend, channel, fields);
};

/** Each channel is validated and published on its own; entries answer in request order. */
export const broadcast: MethodHandler<'broadcast'> = async (ctx, params) => {
  const f = new FieldReader(params);
  const channels = f.stringArray('channels') ?? [];
  const fields = readPublishFields(f);
  if (f.error) return err(f.error);
  if (channels.length === 0) return err(badRequest('channels must not be empty'));
  if (fields.data === undefined) return err(badRequest('data is required'));
  const responses = await Promise.all(channels.map((channel) => broadcastEntry(ctx, channel, fields)));
  return ok({ responses });
};

async function broadcastEntry(ctx: ApiContext, channel: string, fields: PublishFields): Promise<BroadcastEntry> {
  try {
    const published = await publishOne(ctx.backend, channel, fields);
    return published.ok ? { result: published.value } : { error: published.error };
  } catch (e) {
    ctx.log(`broadcast to ${JSON.stringify(channel)} failed: ${describeError(e)}`);
    return { error: ApiErrors.internal };
  }
}

/** Reads `channel` and resolves it, for the methods that take nothing else of note. */
function channelOf(f: FieldReader, backend: ServerApiBackend): Result<ChannelName, AppError> {
  const channel = f.string('channel') ?? '';
  if (f.error) return err(f.error);
  return resolveChannel(channel, backend.channels);
}

export const presence: MethodHandler<'presence'> = async ({ backend }, params) => {
  const name = channelOf(new FieldReader(params), backend);
  if (!name.ok) return name;
  if (!name.value.options.presence) return err(ApiErrors.notAvailable);
  return ok({ presence: await backend.presence(name.value.channel) });
};

export const presenceStats: MethodHandler<'presence_stats'> = async ({ backend }, params) => {
  const name = channelOf(new FieldReader(params), backend);
  if (!name.ok) return name;
  if (!name.value.options.presence) return err(ApiErrors.notAvailable);
  return ok(await backend.presenceStats(name.value.channel));
};

/** limit 0 → position only, negative → all (the server API is not capped), since/reverse per §6.4. */
export const history: MethodHandler<'history'> = async ({ backend }, params) => {
  const f = new FieldReader(params);
  const channel = f.string('channel') ?? '';
  const limit = f.int('limit') ?? 0;
  const since = readPosition(f, 'since');
  const reverse = f.bool('reverse') ?? false;
  if (f.error) return err(f.error);
  const name = resolveChannel(channel, backend.channels);
  if (!name.ok) return name;
  const stream = streamOptions(name.value.options);
  if (stream === null) return err(ApiErrors.notAvailable);
  if (since !== undefined && reverse && since.offset === 0) {
    return err(badRequest('since.offset must be greater than 0 with reverse'));
  }
  const query = { limit: limit < 0 ? -1 : limit, reverse, ...(since === undefined ? {} : { since }) };
  const result = await backend.history(channel, query, stream);
  return result.ok ? result : err(apiError(result.error));
};

export const historyRemove: MethodHandler<'history_remove'> = async ({ backend }, params) => {
  const name = channelOf(new FieldReader(params), backend);
  if (!name.ok) return name;
  if (streamOptions(name.value.options) === null) return err(ApiErrors.notAvailable);
  await backend.removeHistory(name.value.channel);
  return ok({});
};

/** Channels with at least one subscriber, optionally filtered by a glob over the whole name. */
export const channels: MethodHandler<'channels'> = async ({ backend }, params) => {
  const f = new FieldReader(params);
  const pattern = f.string('pattern') ?? '';
  if (f.error) return err(f.error);
  const matches = globMatcher(pattern);
  if (!matches.ok) return err(badRequest(`bad pattern: ${matches.error}`));
  const all = await backend.channelCounts();
  if (!all.ok) return all;
  const counts = [...all.value].filter(([name, n]) => n > 0 && matches.value(name));
  counts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const result: ApiResultByMethod['channels']['channels'] = {};
  for (const [name, n] of counts) result[name] = { num_clients: n };
  return ok({ channels: result });
};

export const info: MethodHandler<'info'> = async ({ backend }) => {
  const nodes = backend.info().map(({ uptime, ...node }) => (uptime > 0 ? { ...node, uptime } : node));
  return ok({ nodes });
};

/** No RPC extensions are registered: a named method answers 104, like Centrifugo without one. */
export const rpc: MethodHandler<'rpc'> = async (_ctx, params: Params) => {
  const f = new FieldReader(params);
  const method = f.string('method') ?? '';
  if (f.error) return err(f.error);
  if (method === '') return err(badRequest('method is required'));
  return err(ApiErrors.notFound);
};
