/**
 * The one codec of the client boundary: text frame → commands, results → text.
 * A frame holds one or more JSON objects separated by "\n" (PROTOCOL.md §1); nothing else in the
 * server calls JSON.parse on client bytes.
 */
import type { AppError, Result } from '../result.js';
import { err, ok } from '../result.js';
import type { CloseCode } from './codes.js';
import { Disconnects } from './codes.js';
import type { Command, ConnectRequest, Json, Publication, Push, ReplyMethod, ResultByMethod } from './client-protocol.js';
import { CLIENT_NAME_MAX_LENGTH, CLIENT_VERSION_MAX_LENGTH, COMMAND_METHODS } from './client-protocol.js';
import { TOO_MANY_COMMANDS_IN_FRAME } from './client-limits.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown): boolean => v === undefined || typeof v === 'string';
const optBool = (v: unknown): boolean => v === undefined || typeof v === 'boolean';
const optUint = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);
const optInt = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isSafeInteger(v));

/** Field checks per method: a wrongly typed field is a protocol violation (close 3501). */
const validParams: { [M in (typeof COMMAND_METHODS)[number]]: (p: Obj) => boolean } = {
  connect: (p) => optString(p.token) && optString(p.name) && optString(p.version) && (p.subs === undefined || isObj(p.subs)) &&
    (p.headers === undefined || (isObj(p.headers) && Object.values(p.headers).every((v) => typeof v === 'string'))),
  subscribe: (p) =>
    typeof p.channel === 'string' && optString(p.token) && optBool(p.positioned) && optBool(p.recoverable) &&
    optBool(p.join_leave) && optBool(p.recover) && optUint(p.offset) && optString(p.epoch) && optInt(p.flag) &&
    optString(p.delta) && optInt(p.type),
  unsubscribe: (p) => typeof p.channel === 'string',
  publish: (p) => typeof p.channel === 'string',
  presence: (p) => typeof p.channel === 'string',
  presence_stats: (p) => typeof p.channel === 'string',
  history: (p) =>
    typeof p.channel === 'string' && optInt(p.limit) && optBool(p.reverse) &&
    (p.since === undefined || (isObj(p.since) && optUint(p.since.offset) && optString(p.since.epoch))),
  rpc: (p) => optString(p.method),
  send: () => true,
  refresh: (p) => optString(p.token),
  sub_refresh: (p) => typeof p.channel === 'string' && optString(p.token),
  ping: () => true,
};

/** Decodes one command object; see PROTOCOL.md §2.1 for the dispatch rules. */
export function decodeCommand(raw: unknown): Result<Command, CloseCode> {
  if (!isObj(raw)) return err(Disconnects.badRequest);
  const id = raw.id ?? 0;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 0xffffffff) return err(Disconnects.badRequest);
  const method = COMMAND_METHODS.find((m) => raw[m] !== undefined);
  if (method === 'send') {
    const params = isObj(raw.send) ? raw.send : {};
    return ok({ id: 0, method: 'send', params: { data: params.data as Json | undefined } });
  }
  if (id === 0) return ok({ id: 0, method: 'pong', params: {} });
  if (method === undefined) return err(Disconnects.badRequest);
  const params = raw[method];
  if (!isObj(params) || !validParams[method](params)) return err(Disconnects.badRequest);
  if (method === 'connect') capClientName(params as ConnectRequest);
  return ok({ id, method, params } as Command);
}

/**
 * Truncates the client's self-chosen `name` and `version` (informational: shown in the console, kept
 * for the connection's life). Truncated rather than refused, as Centrifugo never fails a connect over
 * them; a copy, so the long original is not kept alive by a sliced string.
 */
function capClientName(req: ConnectRequest): void {
  if (req.name !== undefined && req.name.length > CLIENT_NAME_MAX_LENGTH) req.name = truncated(req.name, CLIENT_NAME_MAX_LENGTH);
  if (req.version !== undefined && req.version.length > CLIENT_VERSION_MAX_LENGTH) req.version = truncated(req.version, CLIENT_VERSION_MAX_LENGTH);
}

/** The first `max` UTF-16 units (one less rather than half a surrogate pair), as a flat new string. */
function truncated(s: string, max: number): string {
  const end = /[\uD800-\uDBFF]/.test(s[max - 1] ?? '') ? max - 1 : max;
  // split+join builds a new string; a plain slice would be a view holding the whole original.
  return s.slice(0, end).split('').join('');
}

/**
 * The connect request of a unidirectional transport (the first WebSocket message, a request body or
 * `cf_connect`): one ConnectRequest object, not a command. Its `subs` entries must be positions
 * (`recover`, `offset`, `epoch`), as Centrifugo decodes them; anything else is 3501 bad request.
 */
export function decodeConnectRequest(text: string): Result<ConnectRequest, CloseCode> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err(Disconnects.badRequest);
  }
  if (!isObj(raw) || !validParams.connect(raw)) return err(Disconnects.badRequest);
  const positions = raw.subs === undefined ? [] : Object.values(raw.subs as Obj);
  if (!positions.every((p) => isObj(p) && optBool(p.recover) && optUint(p.offset) && optString(p.epoch))) return err(Disconnects.badRequest);
  capClientName(raw as ConnectRequest);
  return ok(raw as ConnectRequest);
}

/**
 * Splits a text frame into commands; blank lines are skipped, any undecodable line fails the frame,
 * and so does a frame of more than `maxCommands` commands (counted before any is parsed further).
 */
export function decodeFrame(text: string, maxCommands = Infinity): Result<Command[], CloseCode> {
  const commands: Command[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (commands.length >= maxCommands) return err(TOO_MANY_COMMANDS_IN_FRAME);
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return err(Disconnects.badRequest);
    }
    const cmd = decodeCommand(raw);
    if (!cmd.ok) return cmd;
    commands.push(cmd.value);
  }
  return ok(commands);
}

/** A reply with its result key always present (PROTOCOL.md §12.2). */
export function encodeReply<M extends ReplyMethod>(id: number, method: M, result: ResultByMethod[M]): string {
  return `{"id":${id},"${method}":${JSON.stringify(result)}}`;
}

export function encodeError(id: number, error: AppError): string {
  const e: AppError = { code: error.code, message: error.message };
  if (error.temporary) e.temporary = true;
  return `{"id":${id},"error":${JSON.stringify(e)}}`;
}

export function encodePush(push: Push): string {
  return `{"push":${JSON.stringify(push)}}`;
}

/** The publication push, encoded once and written as-is to every subscriber. */
export function encodePublication(channel: string, pub: Publication): string {
  return `{"push":{"channel":${JSON.stringify(channel)},"pub":${JSON.stringify(pub)}}}`;
}

/** A server ping is an empty reply (PROTOCOL.md §4). */
export const PING_FRAME = '{}';
