/**
 * The bots' side of the client protocol (PROTOCOL.md §2–§4), kept thin on purpose
 * (BENCH-METHOD.md): one JSON.parse per frame, commands written as strings.
 */
import type { ClientInfo, Publication, SubscribeResult } from '../../shared/protocol/client-protocol.js';

/** A server message as the bot reads it: a reply, a push, or the ping `{}`. */
export interface ServerMessage {
  id?: number;
  error?: { code: number; message?: string; temporary?: boolean };
  connect?: { client: string; ping?: number; pong?: boolean };
  subscribe?: SubscribeResult;
  publish?: Record<string, never>;
  push?: {
    channel?: string;
    pub?: Publication;
    join?: { info: ClientInfo };
    leave?: { info: ClientInfo };
    unsubscribe?: { code: number; reason?: string };
    disconnect?: { code: number; reason?: string };
  };
}

/**
 * A frame carries one or more JSON objects joined by "\n" (PROTOCOL.md §1). Raw newlines occur only
 * between objects (JSON escapes them inside strings), so the frame becomes one JSON array: one parse.
 * Throws on a malformed frame.
 */
export function parseFrame(text: string): ServerMessage[] {
  if (!text.includes('\n')) return [JSON.parse(text) as ServerMessage];
  return JSON.parse(`[${text.trim().replace(/\n+/g, ',')}]`) as ServerMessage[];
}

/** A ping is a message with neither id nor push. */
export const isPing = (m: ServerMessage): boolean => m.id === undefined && m.push === undefined;

export const PONG = '{}';

export function connectCommand(id: number, token: string): string {
  return `{"connect":{"token":${JSON.stringify(token)},"name":"switchboard-sim"},"id":${id}}`;
}

export interface SubscribeOptions {
  joinLeave?: boolean;
  /** Resubscribe from this position (PROTOCOL.md §6.3), as centrifuge-js does after a reconnect. */
  recover?: { offset: number; epoch: string };
}

export function subscribeCommand(id: number, channel: string, opts: SubscribeOptions = {}): string {
  let body = `"channel":${JSON.stringify(channel)},"flag":1`;
  if (opts.joinLeave) body += ',"join_leave":true';
  if (opts.recover) {
    body += ',"recover":true';
    if (opts.recover.offset > 0) body += `,"offset":${opts.recover.offset}`;
    if (opts.recover.epoch !== '') body += `,"epoch":${JSON.stringify(opts.recover.epoch)}`;
  }
  return `{"subscribe":{${body}},"id":${id}}`;
}

/** `data` must already be JSON text without raw newlines. */
export function publishCommand(id: number, channel: string, data: string): string {
  return `{"publish":{"channel":${JSON.stringify(channel)},"data":${data}},"id":${id}}`;
}

/** The payload of a measured publication: the sender's monotonic clock in µs, who, and a sequence. */
export function messageData(sentAtMicros: number, bot: number, seq: number, pad: string): string {
  const padding = pad === '' ? '' : `,"pad":"${pad}"`;
  return `{"t":${sentAtMicros},"b":${bot},"n":${seq},"text":"message ${seq} from bot ${bot}"${padding}}`;
}

/** Now on the machine-wide monotonic clock (`process.hrtime`), in µs: comparable across processes. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** The send time a measured publication carries, if it is one. */
export function sentAtOf(data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const t = (data as { t?: unknown }).t;
  return typeof t === 'number' ? t : undefined;
}

/** PROTOCOL.md §5.3: does centrifuge-js reconnect after this close? */
export function reconnectsAfter(code: number, reason: string): boolean {
  if (code === 1009) return false;
  if (code < 3000 || reason === '') return true;
  return !((code >= 3500 && code < 4000) || (code >= 4500 && code < 5000));
}

/** PROTOCOL.md §5.4: min(max, min + random(0, min(max, min·2^attempt))). */
export function backoffMs(attempt: number, minMs = 500, maxMs = 20_000): number {
  const spread = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 31));
  return Math.min(maxMs, minMs + Math.floor(Math.random() * (spread + 1)));
}
