/**
 * The sockets of unidirectional sessions (session.ts ClientSocket): what the session machinery
 * writes becomes pushes (uni-frames.ts), framed as each Centrifugo v6 transport frames them —
 * uni_websocket: one text message per push (`join_push_messages`: one per write, joined by "\n");
 * uni_sse: an event `data: <push>` each; uni_http_stream: one push per line. A server close is a
 * `disconnect` push, then the close frame (uni_websocket) or the end of the response.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { UniHttpSettings, UniWebSocketSettings } from '../../shared/protocol/uni-transports.js';
import { Disconnects } from '../../shared/protocol/codes.js';
import type { AppError } from '../../shared/result.js';
import type { ClientSocket } from './session.js';
import { uniPushes } from './uni-frames.js';
import { LONG_RESPONSE_HEADERS } from './http-streams.js';

export type UniHttpKind = 'uni_sse' | 'uni_http_stream';

/** The disconnect push, as Centrifugo writes it before closing. */
export function disconnectPush(code: number, reason: string): string {
  return `{"disconnect":${JSON.stringify({ code, reason })}}`;
}

/** A slow reader's queue is dropped, disconnect push included (Centrifugo does not flush it). */
const pushesOnClose = (code: number): boolean => code !== Disconnects.slow.code;

/** A uni_websocket connection as a session's socket. */
export class UniWebSocket implements ClientSocket {
  readonly sessionId = randomUUID();
  readonly transport = 'uni_websocket';
  readonly unidirectional = true;
  /** Set when the first message was no connect request: Centrifugo answers it with the close frame alone. */
  quiet = false;

  constructor(private readonly ws: WebSocket, private readonly settings: UniWebSocketSettings) {}

  send(data: string | Buffer): void {
    const pushes = uniPushes(data);
    if (pushes.length === 0) return;
    if (this.settings.joinPushMessages) this.ws.send(pushes.length === 1 ? pushes[0]! : pushes.join('\n'));
    else for (const push of pushes) this.ws.send(push);
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  get isPaused(): boolean {
    return this.ws.isPaused;
  }

  close(code: number, reason: string): void {
    if (!this.quiet && !this.settings.disableDisconnectPush && pushesOnClose(code)) this.ws.send(disconnectPush(code, reason));
    if (this.settings.disableClosingHandshake) this.ws.terminate();
    else this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  /** A ping frame (Centrifugo's uni_websocket pings at the frame level too); its pong is owed. */
  framePing(): boolean {
    this.ws.ping();
    return true;
  }
}

/**
 * A uni_sse or uni_http_stream response as a session's socket. The status line waits for the first
 * push (the connect push, as Centrifugo answers once the connect is handled), so that with
 * `connect_code_to_http_response` a failed connect can still be answered with an HTTP status.
 */
export class UniHttpSocket implements ClientSocket {
  readonly sessionId = randomUUID();
  readonly unidirectional = true;
  readonly isPaused = false;
  /** The error the connect failed with, when it failed with one (the HTTP answer's transform matches its code). */
  connectError: AppError | null = null;
  private phase: 'head' | 'open' | 'ended' = 'head';

  constructor(
    private readonly res: ServerResponse,
    readonly transport: UniHttpKind,
    private readonly settings: UniHttpSettings,
    private readonly cors: Record<string, string>,
  ) {}

  send(data: string | Buffer): void {
    if (this.phase === 'ended') return;
    const pushes = uniPushes(data);
    if (pushes.length > 0) this.write(pushes);
  }

  get bufferedAmount(): number {
    return this.res.writableLength + (this.res.socket?.writableLength ?? 0);
  }

  close(code: number, reason: string): void {
    if (this.phase === 'ended') return;
    if (this.phase === 'head' && this.settings.connectCodeToHttpResponse) return this.answerFailedConnect(code, reason);
    if (pushesOnClose(code)) this.write([disconnectPush(code, reason)]);
    else this.open();
    this.phase = 'ended';
    this.res.end();
  }

  terminate(): void {
    this.phase = 'ended';
    this.res.destroy();
  }

  pause(): void {}
  resume(): void {}

  private write(pushes: readonly string[]): void {
    this.open();
    const sse = this.transport === 'uni_sse';
    this.res.write(pushes.map((p) => (sse ? `data: ${p}\n\n` : `${p}\n`)).join(''));
  }

  private open(): void {
    if (this.phase !== 'head') return;
    this.phase = 'open';
    this.res.writeHead(200, uniStreamHeaders(this.transport, this.cors));
    // Centrifugo's uni_sse starts the stream with an empty line.
    if (this.transport === 'uni_sse') this.res.write('\r\n');
  }

  /** `connect_code_to_http_response`: the matching transform's status and body, else 500. */
  private answerFailedConnect(code: number, reason: string): void {
    this.phase = 'ended';
    const failed = this.connectError ?? { code, message: reason };
    const t = this.settings.connectCodeToHttpTransforms.find((x) => x.code === failed.code);
    const status = t?.to.statusCode ?? 500;
    const body = t === undefined ? 'Internal Server Error' : t.to.body === '' ? failed.message : t.to.body;
    this.res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close', ...this.cors });
    this.res.end(body);
  }
}

/** The 200's headers, as Centrifugo sends them (no caching, no proxy buffering); this socket serves the one stream. */
function uniStreamHeaders(kind: UniHttpKind, cors: Record<string, string>): Record<string, string> {
  return {
    // Centrifugo's uni_http_stream sets none and Go sniffs its first JSON line as plain text.
    'content-type': kind === 'uni_sse' ? 'text/event-stream; charset=utf-8' : 'text/plain; charset=utf-8',
    ...LONG_RESPONSE_HEADERS,
    ...cors,
  };
}
