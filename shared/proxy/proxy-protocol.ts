/**
 * The proxy wire (Centrifugo v6 "Proxy events to the backend", HTTP with JSON bodies): what a node
 * POSTs for each event and how it reads the backend's answer. An answer is `{"result": …}`,
 * `{"error": {code, message?, temporary?}}` or `{"disconnect": {code, reason?}}`; anything else —
 * and any field of the wrong type — is a broken answer the client sees as a temporary error 100.
 */
import { publicationInfoProblem } from '../channels/channel-options.js';
import type { SubscriptionOverride } from '../channels/subscription-override.js';
import { parseOverride } from '../channels/subscription-override.js';
import type { Json } from '../protocol/client-protocol.js';
import type { AppError, Result } from '../result.js';
import { err, ok } from '../result.js';

export type ProxyEvent = 'connect' | 'refresh' | 'subscribe' | 'publish' | 'sub_refresh' | 'rpc' | 'send';

/** Fields every request carries. `protocol` and `encoding` are always "json" here. */
export interface ProxyRequestBase {
  client: string;
  transport: string;
  protocol: 'json';
  encoding: 'json';
  user?: string;
  meta?: Json;
}

export interface ConnectProxyRequest extends ProxyRequestBase {
  name?: string;
  version?: string;
  data?: Json;
}

/** Server-side subscription options in a connect result's `subs` (Centrifugo's SubscribeOptions). */
export interface ProxySubOptions {
  info?: Json;
  data?: Json;
  override?: SubscriptionOverride;
}

export interface ConnectProxyResult {
  user: string;
  /** Unix seconds; 0 or absent: never expires. */
  expire_at?: number;
  info?: Json;
  data?: Json;
  channels?: string[];
  subs?: Record<string, ProxySubOptions>;
  meta?: Json;
}

export interface RefreshProxyResult {
  expired?: boolean;
  expire_at?: number;
  info?: Json;
}

export interface SubscribeProxyResult {
  info?: Json;
  data?: Json;
  override?: SubscriptionOverride;
  expire_at?: number;
}

export interface PublishProxyResult {
  /** Published instead of what the client sent. */
  data?: Json;
  skip_history?: boolean;
  tags?: Record<string, string>;
}

export interface RpcProxyResult {
  data?: Json;
}

export interface ResultByEvent {
  connect: ConnectProxyResult;
  refresh: RefreshProxyResult;
  subscribe: SubscribeProxyResult;
  publish: PublishProxyResult;
  sub_refresh: RefreshProxyResult;
  rpc: RpcProxyResult;
  send: Record<string, never>;
}

/** What the backend decided: a result, an error for the client, or a disconnect. */
export type ProxyAnswer<E extends ProxyEvent> =
  | { kind: 'result'; result: ResultByEvent[E] }
  | { kind: 'error'; error: AppError }
  | { kind: 'disconnect'; code: number; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUint32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
/** A WebSocket close reason fits 123 bytes. */
export const CLOSE_REASON_MAX_BYTES = 123;

/** Reads a backend's answer to an event; the reason names the first thing wrong. */
export function readProxyAnswer<E extends ProxyEvent>(event: E, body: unknown): Result<ProxyAnswer<E>, string> {
  if (!isObject(body)) return err('the answer is not a JSON object');
  if (body.disconnect !== undefined && body.disconnect !== null) {
    const d = body.disconnect;
    if (!isObject(d) || !isUint32(d.code) || d.code < 3000 || d.code > 4999) {
      return err('disconnect.code must be a close code (4000-4999 for an application)');
    }
    const reason = d.reason ?? '';
    if (typeof reason !== 'string' || utf8Length(reason) > CLOSE_REASON_MAX_BYTES) {
      return err(`disconnect.reason must be a string of at most ${CLOSE_REASON_MAX_BYTES} bytes`);
    }
    return ok({ kind: 'disconnect', code: d.code, reason: reason === '' ? 'disconnect' : reason });
  }
  if (body.error !== undefined && body.error !== null) {
    const e = body.error;
    if (!isObject(e) || !isUint32(e.code) || e.code === 0) return err('error.code must be a positive whole number (400-1999 for an application)');
    if (e.message !== undefined && typeof e.message !== 'string') return err('error.message must be a string');
    if (e.temporary !== undefined && typeof e.temporary !== 'boolean') return err('error.temporary must be true or false');
    const error: AppError = { code: e.code, message: (e.message as string | undefined) ?? '' };
    if (e.temporary === true) error.temporary = true;
    return ok({ kind: 'error', error });
  }
  const result = body.result ?? {};
  if (!isObject(result)) return err('result must be a JSON object');
  const read = READERS[event](result);
  return read.ok ? ok({ kind: 'result', result: read.value as ResultByEvent[E] }) : read;
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

type Reader = (r: Record<string, unknown>) => Result<unknown, string>;

const READERS: Record<ProxyEvent, Reader> = {
  connect: (r) => {
    const user = r.user ?? '';
    if (typeof user !== 'string') return err('result.user must be a string');
    const out: ConnectProxyResult = { user };
    const common = readCommon(r, out as unknown as Record<string, unknown>, ['expire_at', 'info', 'data', 'meta']);
    if (common !== null) return err(common);
    if (r.channels !== undefined && r.channels !== null) {
      if (!Array.isArray(r.channels) || !r.channels.every((c) => typeof c === 'string' && c !== '')) return err('result.channels must be a list of channel names');
      out.channels = r.channels as string[];
    }
    if (r.subs !== undefined && r.subs !== null) {
      if (!isObject(r.subs)) return err('result.subs must map channel names to options');
      out.subs = {};
      for (const [channel, raw] of Object.entries(r.subs)) {
        const o = raw ?? {};
        if (channel === '' || !isObject(o)) return err('result.subs must map channel names to options');
        const sub: Record<string, unknown> = {};
        const problem = readCommon(o, sub, ['info', 'data', 'override'], `result.subs["${channel}"]`);
        if (problem !== null) return err(problem);
        out.subs[channel] = sub as ProxySubOptions;
      }
    }
    return ok(out);
  },
  refresh: (r) => readRefresh(r),
  sub_refresh: (r) => readRefresh(r),
  subscribe: (r) => {
    const out: Record<string, unknown> = {};
    const problem = readCommon(r, out, ['info', 'data', 'override', 'expire_at']);
    return problem === null ? ok(out) : err(problem);
  },
  publish: (r) => {
    const out: Record<string, unknown> = {};
    const problem = readCommon(r, out, ['data', 'skip_history', 'tags']);
    return problem === null ? ok(out) : err(problem);
  },
  rpc: (r) => {
    const out: Record<string, unknown> = {};
    const problem = readCommon(r, out, ['data']);
    return problem === null ? ok(out) : err(problem);
  },
  send: () => ok({}),
};

function readRefresh(r: Record<string, unknown>): Result<RefreshProxyResult, string> {
  const out: Record<string, unknown> = {};
  const problem = readCommon(r, out, ['expired', 'expire_at', 'info']);
  return problem === null ? ok(out as RefreshProxyResult) : err(problem);
}

type CommonField = 'expire_at' | 'info' | 'data' | 'meta' | 'override' | 'expired' | 'skip_history' | 'tags';

/**
 * Copies the listed fields from `from` into `to`, checked: JSON payloads within the publication
 * limits, unix seconds as whole numbers, base64 payloads refused (the JSON protocol carries JSON).
 * Answers the first problem, or null.
 */
function readCommon(from: Record<string, unknown>, to: Record<string, unknown>, fields: CommonField[], at = 'result'): string | null {
  for (const b64 of ['b64info', 'b64data']) {
    if (from[b64] !== undefined && from[b64] !== '') return `${at}.${b64}: base64 payloads need the Protobuf protocol, which is not served; answer JSON in ${b64.slice(3)}`;
  }
  for (const field of fields) {
    const v = from[field];
    if (v === undefined || v === null) continue;
    switch (field) {
      case 'expire_at':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return `${at}.expire_at must be unix seconds`;
        break;
      case 'info':
      case 'data':
      case 'meta': {
        const problem = publicationInfoProblem(`${at}.${field}`, v);
        if (problem !== null) return problem;
        break;
      }
      case 'override': {
        const parsed = parseOverride(v);
        if (!parsed.ok) return `${at}.${parsed.error}`;
        if (parsed.value === undefined) continue;
        to.override = parsed.value;
        continue;
      }
      case 'expired':
      case 'skip_history':
        if (typeof v !== 'boolean') return `${at}.${field} must be true or false`;
        break;
      case 'tags':
        if (!isObject(v) || !Object.values(v).every((t) => typeof t === 'string')) return `${at}.tags must map names to strings`;
        break;
    }
    to[field] = v;
  }
  return null;
}
