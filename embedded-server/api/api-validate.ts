/**
 * The codec of the server HTTP API boundary: request bodies are parsed here and nowhere else, and
 * every field is type-checked before a method touches the cluster (PROTOCOL.md §10).
 */
import type { AppError, Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { Json } from '../../shared/protocol/client-protocol.js';
import { Errors } from '../../shared/protocol/codes.js';
import type { ChannelName } from '../../shared/channels/channel-name.js';
import { parseChannel } from '../../shared/channels/channel-name.js';
import type { ChannelSettings } from '../../shared/channels/channel-options.js';
import { publicationInfoProblem } from '../../shared/channels/channel-options.js';

/** A decoded request object (a method's params, or one batch command). */
export type Params = Record<string, unknown>;

/** Server API errors: Centrifugo's codes and messages, never `temporary` (PROTOCOL.md §10.1). */
export const ApiErrors = {
  internal: apiError(Errors.internal),
  unknownChannel: apiError(Errors.unknownChannel),
  /** The server API says "not found" where the client protocol says "method not found". */
  notFound: { code: 104, message: 'not found' },
  badRequest: apiError(Errors.badRequest),
  notAvailable: apiError(Errors.notAvailable),
  unrecoverablePosition: apiError(Errors.unrecoverablePosition),
} as const satisfies Record<string, AppError>;

/** A 107 whose message says what is wrong, e.g. "bad request: limit must be an integer". */
export function badRequest(why: string): AppError {
  return { code: ApiErrors.badRequest.code, message: `${ApiErrors.badRequest.message}: ${why}` };
}

/** The error as the server API sends it: code and message only. */
export function apiError(error: AppError): AppError {
  return { code: error.code, message: error.message };
}

export const isParams = (v: unknown): v is Params => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a request body: an empty body is `{}`; anything but a JSON object is refused (→ 400). */
export function decodeBody(text: string): Result<Params, string> {
  if (text.trim() === '') return ok({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return err(`request body is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isParams(parsed)) return err('request body must be a JSON object');
  return ok(parsed);
}

/**
 * Reads typed fields of one params object. The first wrongly typed field is remembered in `error`
 * (checked once after reading); absent and `null` optional fields read as undefined.
 */
export class FieldReader {
  private firstError: AppError | null = null;

  constructor(private readonly params: Params, private readonly prefix = '') {}

  get error(): AppError | null {
    return this.firstError;
  }

  /** Records a failure found outside the reader (e.g. in a nested object). */
  fail(error: AppError): void {
    this.firstError ??= error;
  }

  string(name: string): string | undefined {
    const v = this.read(name);
    if (v === undefined || typeof v === 'string') return v;
    return this.bad(name, 'must be a string');
  }

  /** A required string; "" is allowed (e.g. `user` "" addresses anonymous connections). */
  requiredString(name: string): string {
    const v = this.params[name];
    if (typeof v === 'string') return v;
    this.bad(name, 'must be a string');
    return '';
  }

  bool(name: string): boolean | undefined {
    const v = this.read(name);
    if (v === undefined || typeof v === 'boolean') return v;
    return this.bad(name, 'must be a boolean');
  }

  int(name: string): number | undefined {
    const v = this.read(name);
    if (v === undefined || (typeof v === 'number' && Number.isSafeInteger(v))) return v;
    return this.bad(name, 'must be an integer');
  }

  uint(name: string): number | undefined {
    const v = this.read(name);
    if (v === undefined || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) return v;
    return this.bad(name, 'must be a non-negative integer');
  }

  /** Any JSON value; here `null` is a value, only an absent field is undefined. */
  json(name: string): Json | undefined {
    // Every value of a params object came from JSON.parse, so it is JSON.
    return this.params[name] as Json | undefined;
  }

  /**
   * A JSON payload that travels on through the cluster (publication data, info): `null` is a
   * value, and a value past the publication limits (64 levels deep, 1 MiB) fails the reader with
   * a message naming the limit, before anything is published.
   */
  payload(name: string): Json | undefined {
    const v = this.json(name);
    const problem = v === undefined ? null : publicationInfoProblem(`${this.prefix}${name}`, v);
    if (problem === null) return v;
    this.fail(badRequest(problem));
    return undefined;
  }

  object(name: string): Params | undefined {
    const v = this.read(name);
    if (v === undefined || isParams(v)) return v;
    return this.bad(name, 'must be an object');
  }

  stringArray(name: string): string[] | undefined {
    const v = this.read(name);
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
    return this.bad(name, 'must be an array of strings');
  }

  stringMap(name: string): Record<string, string> | undefined {
    const v = this.read(name);
    if (v === undefined) return undefined;
    if (isParams(v) && Object.values(v).every((s) => typeof s === 'string')) return v as Record<string, string>;
    return this.bad(name, 'must be an object of strings');
  }

  /** Fields of Centrifugo's API this server does not implement: accepted only when unset. */
  unsupported(name: string, why: string): void {
    const v = this.read(name);
    if (v === undefined || v === '' || v === false || v === 0) return;
    if (isParams(v) && Object.keys(v).length === 0) return;
    this.bad(name, `is not supported (${why})`);
  }

  private read(name: string): unknown {
    const v = this.params[name];
    return v === null ? undefined : v;
  }

  private bad(name: string, what: string): undefined {
    this.fail(badRequest(`${this.prefix}${name} ${what}`));
    return undefined;
  }
}

/** A stream position in a request (`since`, `recover_since`): `{offset, epoch}`, both optional. */
export function readPosition(f: FieldReader, name: string): { offset: number; epoch: string } | undefined {
  const obj = f.object(name);
  if (obj === undefined) return undefined;
  const inner = new FieldReader(obj, `${name}.`);
  const position = { offset: inner.uint('offset') ?? 0, epoch: inner.string('epoch') ?? '' };
  if (inner.error) f.fail(inner.error);
  return position;
}

/** Resolves a channel to its namespace: "" → 107, bad name → 107, unknown namespace → 102. */
export function resolveChannel(channel: string, settings: ChannelSettings): Result<ChannelName, AppError> {
  if (channel === '') return err(badRequest('channel is required'));
  const parsed = parseChannel(channel, settings);
  return parsed.ok ? parsed : err(apiError(parsed.error));
}

export { streamOptions } from '../broker/broker.js';
