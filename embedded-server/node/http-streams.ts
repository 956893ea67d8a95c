/**
 * The bidirectional emulation centrifuge-js falls back to when a WebSocket cannot open (Centrifugo's
 * `http_stream` and `sse` transports). Server → client is one long HTTP response: each frame a line
 * (`http_stream`, `POST` with the connect command as its body) or an SSE event (`sse`, `GET` with
 * the connect command in `cf_connect`, or `POST`). Client → server commands come as `POST
 * /emulation`, which the supervisor forwards here by session (node-main → `ClientConnections.emulate`).
 * A stream is a session like a WebSocket's, with a session id its connect reply names; a close is
 * a `disconnect` push followed by the end of the response (there is no close frame).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodePush } from '../../shared/protocol/client.codec.js';
import { HTTP_STREAM_PATH, SSE_PATH } from '../../shared/protocol/endpoints.js';
import { corsHeaders, originAllowed } from '../../shared/protocol/origin.js';
import type { ClientSocket } from './session.js';

export type StreamKind = 'http_stream' | 'sse';

/** The largest connect request a stream takes (Centrifugo's default for both transports). */
export const MAX_STREAM_CONNECT_BYTES = 64 * 1024;

export function streamKind(path: string): StreamKind | null {
  return path === HTTP_STREAM_PATH ? 'http_stream' : path === SSE_PATH ? 'sse' : null;
}

/** An emulation stream as a session's socket. */
export class StreamSocket implements ClientSocket {
  private ended = false;
  readonly isPaused = false;
  readonly sessionId = randomUUID();

  constructor(private readonly res: ServerResponse, private readonly kind: StreamKind) {}

  /** The transport's name as Centrifugo reports it to proxies. */
  get transport(): StreamKind {
    return this.kind;
  }

  send(data: string | Buffer): void {
    if (this.ended) return;
    const text = typeof data === 'string' ? data : data.toString();
    // A frame holds one reply or push per line; an SSE event carries lines as `data:` fields.
    this.res.write(this.kind === 'sse' ? `data: ${text.replaceAll('\n', '\ndata: ')}\n\n` : `${text}\n`);
  }

  get bufferedAmount(): number {
    return this.res.writableLength + (this.res.socket?.writableLength ?? 0);
  }

  /** The disconnect push tells the client the code (it decides on reconnecting from it), then the stream ends. */
  close(code: number, reason: string): void {
    if (this.ended) return;
    this.send(encodePush({ disconnect: { code, reason } }));
    this.ended = true;
    this.res.end();
  }

  terminate(): void {
    this.ended = true;
    this.res.destroy();
  }

  pause(): void {}
  resume(): void {}
}

/** Cross-origin answers for an allowed Origin (a browser page on another port or host). */
export function streamCors(req: IncomingMessage): Record<string, string> {
  return corsHeaders(req.headers.origin, req.headers['access-control-request-headers'], req.method === 'OPTIONS' ? 'GET, POST, OPTIONS' : undefined);
}

export type StreamOpening =
  | { ok: true; kind: StreamKind; connect: string }
  | { ok: false; status: number; why: string; headers?: Record<string, string> };

/**
 * Checks a stream request and reads its connect command (a body of at most
 * MAX_STREAM_CONNECT_BYTES, or `cf_connect`). The answer for a refusal says why in one line.
 */
export async function openStream(req: IncomingMessage, kind: StreamKind, allowedOrigins: string[]): Promise<StreamOpening> {
  if (!originAllowed(req.headers.origin, allowedOrigins)) return { ok: false, status: 403, why: 'this Origin is not allowed (client.allowed_origins)' };
  if (req.method === 'OPTIONS') return { ok: false, status: 200, why: '' };
  if (req.headers['content-type'] === 'application/octet-stream') {
    return { ok: false, status: 400, why: 'the Protobuf variant of the protocol is not served: send JSON (Content-Type: application/json)' };
  }
  if (kind === 'sse' && req.method === 'GET') {
    const connect = new URL(req.url ?? '/', 'http://x').searchParams.get('cf_connect');
    return connect ? { ok: true, kind, connect } : { ok: false, status: 400, why: 'no connect command: pass it in the cf_connect query parameter' };
  }
  if (req.method !== 'POST') {
    return { ok: false, status: 405, why: `${req.method} is not served here: ${kind === 'sse' ? 'GET or POST' : 'POST'} with the connect command`, headers: { allow: kind === 'sse' ? 'GET, POST, OPTIONS' : 'POST, OPTIONS' } };
  }
  const body = await readBody(req, MAX_STREAM_CONNECT_BYTES);
  if (body === null) return { ok: false, status: 413, why: `the connect request is larger than ${MAX_STREAM_CONNECT_BYTES} bytes` };
  if (body.trim() === '') return { ok: false, status: 400, why: 'no connect command: send it as the request body' };
  return { ok: true, kind, connect: body };
}

/** The whole body as text, or null once it passes `limit` bytes (the rest is not read). */
export function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        return resolve(null);
      }
      parts.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(parts).toString()));
    req.once('error', () => resolve(null));
  });
}

/**
 * What every long streaming response (emulation and unidirectional) says besides its type: no
 * caching, no proxy buffering (as Centrifugo), and the socket serves this stream only — a request
 * after it would bypass the gateway's checks.
 */
export const LONG_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'private, no-cache, no-store, must-revalidate, max-age=0',
  pragma: 'no-cache',
  expires: '0',
  'x-accel-buffering': 'no',
  connection: 'close',
};

/** The headers of a stream's 200 (as Centrifugo sends them: no caching, no proxy buffering). */
export function streamHeaders(kind: StreamKind, req: IncomingMessage): Record<string, string> {
  return {
    'content-type': kind === 'sse' ? 'text/event-stream; charset=utf-8' : 'application/json',
    ...LONG_RESPONSE_HEADERS,
    ...streamCors(req),
  };
}
