/**
 * Server API methods that act on live connections (PROTOCOL.md §10.2): subscribe, unsubscribe,
 * disconnect, refresh. Each is sent as a `sessions.*` command to every live node, which applies it
 * to the matching sessions; the reply is `{}` however many sessions matched (as in Centrifugo).
 */
import { parseOverride } from '../../shared/channels/subscription-override.js';
import type { AppError, Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { CloseCode } from '../../shared/protocol/codes.js';
import { Disconnects, Unsubscribes } from '../../shared/protocol/codes.js';
import type { SessionTarget } from '../../shared/ipc/node-ipc.js';
import type { MethodHandler } from './api-types.js';
import type { Params } from './api-validate.js';
import { FieldReader, badRequest, readPosition, resolveChannel } from './api-validate.js';

/** A WebSocket close frame carries codes 3000–4999 for applications and at most 123 bytes of reason. */
const MIN_CLOSE_CODE = 3000;
const MAX_CLOSE_CODE = 4999;
const MAX_REASON_BYTES = 123;

/**
 * `user` (required; "" = anonymous connections), `client` and `session` (optional; "" = all of the
 * user's). As in Centrifugo, `session` narrows to the one connection with that session id — only
 * connections over emulation or unidirectional transports have one, so with a `session` a WebSocket
 * connection is never addressed, and the call answers {} having done nothing to it.
 */
function readTarget(f: FieldReader): SessionTarget & { user: string } {
  const user = f.requiredString('user');
  const client = f.string('client') ?? '';
  const session = f.string('session') ?? '';
  return { user, ...(client === '' ? {} : { client }), ...(session === '' ? {} : { session }) };
}

export const subscribe: MethodHandler<'subscribe'> = async ({ backend }, params) => {
  const f = new FieldReader(params);
  const target = readTarget(f);
  const channel = f.string('channel') ?? '';
  const info = f.payload('info');
  const data = f.payload('data');
  const recoverSince = readPosition(f, 'recover_since');
  f.unsupported('b64info', 'this server speaks JSON only; send info');
  f.unsupported('b64data', 'this server speaks JSON only; send data');
  f.unsupported('expire_at', 'server-side subscriptions do not expire here');
  const override = parseOverride(f.json('override'));
  if (!override.ok) f.fail(badRequest(override.error));
  if (f.error) return err(f.error);
  const name = resolveChannel(channel, backend.channels);
  if (!name.ok) return name;
  const sent = await backend.toAllNodes('sessions.subscribe', {
    ...target,
    channel,
    ...(info === undefined ? {} : { info }),
    ...(data === undefined ? {} : { data }),
    ...(recoverSince === undefined ? {} : { recoverSince }),
    ...(override.ok && override.value !== undefined ? { override: override.value } : {}),
  });
  return sent.ok ? ok({}) : sent;
};

/** Ends the subscription with push code 2000 "server unsubscribe" (no resubscribe). */
export const unsubscribe: MethodHandler<'unsubscribe'> = async ({ backend }, params) => {
  const f = new FieldReader(params);
  const target = readTarget(f);
  const channel = f.string('channel') ?? '';
  if (f.error) return err(f.error);
  const name = resolveChannel(channel, backend.channels);
  if (!name.ok) return name;
  const sent = await backend.toAllNodes('sessions.unsubscribe', { ...target, channel, ...Unsubscribes.server });
  return sent.ok ? ok({}) : sent;
};

/** Closes the matching connections, by default with 3503 "force disconnect" (no reconnect). */
export const disconnect: MethodHandler<'disconnect'> = async ({ backend }, params) => {
  const f = new FieldReader(params);
  const target = readTarget(f);
  const whitelist = f.stringArray('whitelist');
  const custom = f.object('disconnect');
  if (f.error) return err(f.error);
  const close = custom === undefined ? ok(Disconnects.forceDisconnect) : readCloseCode(custom);
  if (!close.ok) return close;
  const sent = await backend.toAllNodes('sessions.disconnect', {
    ...target,
    ...(whitelist === undefined || whitelist.length === 0 ? {} : { whitelist }),
    code: close.value.code,
    reason: close.value.reason,
  });
  return sent.ok ? ok({}) : sent;
};

function readCloseCode(obj: Params): Result<CloseCode, AppError> {
  const f = new FieldReader(obj, 'disconnect.');
  const code = f.int('code');
  const reason = f.string('reason') ?? '';
  if (f.error) return err(f.error);
  if (code === undefined || code < MIN_CLOSE_CODE || code > MAX_CLOSE_CODE) {
    return err(badRequest(`disconnect.code must be an integer from ${MIN_CLOSE_CODE} to ${MAX_CLOSE_CODE}`));
  }
  if (Buffer.byteLength(reason) > MAX_REASON_BYTES) {
    return err(badRequest(`disconnect.reason must be at most ${MAX_REASON_BYTES} bytes`));
  }
  return ok({ code, reason });
}

/** Extends (`expire_at`, Unix seconds) or ends (`expired`) a connection's lifetime, optionally with new info. */
export const refresh: MethodHandler<'refresh'> = async ({ backend }, params) => {
  const f = new FieldReader(params);
  const target = readTarget(f);
  const expired = f.bool('expired');
  const expireAt = f.uint('expire_at');
  const info = f.payload('info');
  f.unsupported('b64info', 'this server speaks JSON only; send info');
  if (f.error) return err(f.error);
  const sent = await backend.toAllNodes('sessions.refresh', {
    ...target,
    ...(expired === undefined ? {} : { expired }),
    ...(expireAt === undefined || expireAt === 0 ? {} : { expireAt }),
    ...(info === undefined ? {} : { info }),
  });
  return sent.ok ? ok({}) : sent;
};
