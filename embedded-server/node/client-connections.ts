/**
 * Accepts handed-off sockets: the gateway's already-read request head is put back, the HTTP parser
 * emits 'upgrade', and `ws` (noServer) completes the handshake. Then frames become commands.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { RawData, ServerOptions, WebSocket } from 'ws';
import { decodeFrame } from '../../shared/protocol/client.codec.js';
import { Disconnects } from '../../shared/protocol/codes.js';
import { chargeCommands } from './command-budget.js';
import { enqueueCommands } from './handlers/dispatch.js';
import type { NodeRuntime } from './node-runtime.js';
import { Session } from './session.js';
import { originAllowed } from '../../shared/protocol/origin.js';
import { StreamSocket, openStream, streamCors, streamHeaders, streamKind } from './http-streams.js';
import type { StreamKind } from './http-streams.js';
import { serveUniStream, uniHttpKind } from './uni-streams.js';
import { createUniWebSockets, isUniWebSocket } from './uni-websocket.js';

export interface ClientConnections {
  /** Takes a socket handed over by the gateway, with the head bytes it read. */
  accept(socket: Socket, head: Buffer): void;
  /** A command frame of an emulated session (`POST /emulation`, forwarded by the supervisor); dropped when the session is gone. */
  emulate(session: string, data: string): void;
  close(): void;
}

/** How long a closed connection's peer has to answer the close frame before its socket is destroyed. */
export const CLOSE_ANSWER_MS = 1000;

export function createClientConnections(rt: NodeRuntime): ClientConnections {
  // `closeTimeout` is a ws option @types/ws does not declare yet; a typed variable passes it through.
  const options: ServerOptions & { closeTimeout: number } = {
    noServer: true,
    maxPayload: rt.client.maxMessageSize,
    clientTracking: false,
    perMessageDeflate: false,
    // Centrifugo waits 1 s for the peer's answer to a close frame; a peer that does not read (a slow
    // consumer) would otherwise keep its socket and buffers for ws's default 30 s.
    closeTimeout: CLOSE_ANSWER_MS,
    handleProtocols: (offered) => (offered.has(JSON_SUBPROTOCOL) ? JSON_SUBPROTOCOL : false),
  };
  const wss = new WebSocketServer(options);
  // Handed-over sockets neither open as a session nor closed yet; settling one counts it once, in
  // the same turn as the session appears, so a stats report never counts it twice or not at all.
  const inFlight = new WeakSet<Socket>();
  const listeners = wsListeners(rt);
  const settle = (socket: Socket): void => {
    socket.removeListener('close', settleOnClose);
    if (inFlight.delete(socket)) rt.counters.handoffsSettled++;
  };
  function settleOnClose(this: Socket): void {
    settle(this);
  }
  // A head the gateway took for an upgrade that the parser did not (no `Connection: upgrade`). The
  // socket is closed after the answer, and a request pipelined behind it is not served: it would
  // reach the node without the gateway's checks (Host, admission).
  const answered = new WeakSet<Socket>();
  /** A unidirectional transport's new session becomes one of the node's (uni-streams.ts, uni-websocket.ts). */
  const adopt = (s: Session, req: IncomingMessage): void => {
    keepHeaders(rt, s, req);
    rt.sessions.add(s);
    settle(req.socket);
  };
  const uniWebSockets = createUniWebSockets(rt, CLOSE_ANSWER_MS);
  const http = createServer((req, res) => {
    answered.add(req.socket);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const kind = streamKind(path);
    if (kind) return void serveStream(req, res, kind);
    const uni = uniHttpKind(path, rt.client.uni);
    if (uni) return void serveUniStream(rt, req, res, uni, adopt);
    res.writeHead(426, { 'content-type': 'text/plain', connection: 'close' }).end('expected a WebSocket upgrade\n');
  });
  /** An emulation stream (http-streams.ts): a session like a WebSocket's, with a session id. */
  async function serveStream(req: IncomingMessage, res: ServerResponse, kind: StreamKind): Promise<void> {
    const opening = await openStream(req, kind, rt.client.allowedOrigins);
    if (!opening.ok) {
      res.writeHead(opening.status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close', ...streamCors(req), ...opening.headers });
      res.end(opening.why === '' ? '' : `${opening.why}\n`);
      return;
    }
    res.writeHead(200, streamHeaders(kind, req));
    // The headers leave now (the client's transport opens on them); SSE starts with an empty line, as Centrifugo's.
    if (kind === 'sse') res.write('\r\n');
    else res.flushHeaders();
    const s = new Session(new StreamSocket(res, kind), req.socket.remoteAddress ?? '', Date.now());
    keepHeaders(rt, s, req);
    rt.sessions.add(s);
    rt.bySession.set(s.session, s);
    settle(req.socket);
    res.on('close', () => {
      const chosen = s.closedWith;
      rt.forget(s, chosen?.code ?? STREAM_GONE.code, chosen?.reason ?? STREAM_GONE.reason);
    });
    receiveFrame(rt, s, Buffer.from(opening.connect));
  }
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (answered.has(socket)) return void socket.end();
    if (isUniWebSocket(rt, req)) return uniWebSockets.upgrade(req, socket, head, adopt);
    const refusal = refuse(rt, req);
    if (refusal) {
      const body = `${refusal.why}\n`;
      socket.end(`HTTP/1.1 ${refusal.status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    // What ws reads: 'centrifuge-json' when offered (it is answered), else no header at all — an
    // empty or unknown list is JSON without a subprotocol, as Centrifugo answers it; ws itself
    // would refuse an empty header as malformed.
    if (offeredSubprotocols(req.headers['sec-websocket-protocol']).includes(JSON_SUBPROTOCOL)) req.headers['sec-websocket-protocol'] = JSON_SUBPROTOCOL;
    else delete req.headers['sec-websocket-protocol'];
    wss.handleUpgrade(req, socket, head, (ws) => {
      onOpen(rt, ws, req, listeners);
      settle(socket);
    });
  });
  http.on('clientError', (_e, socket: Socket) => socket.destroy());
  return {
    accept(socket, head) {
      inFlight.add(socket);
      // Only until the handshake settles it: a listener left on every open socket costs ~200 B each.
      socket.on('close', settleOnClose);
      socket.unshift(head);
      http.emit('connection', socket);
      socket.resume();
    },
    emulate(session, data) {
      const s = rt.bySession.get(session);
      if (s) receiveFrame(rt, s, Buffer.from(data));
    },
    close() {
      wss.close();
      uniWebSockets.close();
      http.close();
    },
  };
}

const JSON_SUBPROTOCOL = 'centrifuge-json';
const PROTOBUF_SUBPROTOCOL = 'centrifuge-protobuf';
const NO_PROTOBUF = 'the Protobuf variant of the protocol is not served: connect without ?format=protobuf and without the centrifuge-protobuf subprotocol to speak JSON';

/**
 * The subprotocols a client offers, read as Centrifugo reads them: a comma-separated list (several
 * headers join into one), blanks and empty entries ignored — so an empty header offers none.
 */
export function offeredSubprotocols(header: string | string[] | undefined): string[] {
  const raw = Array.isArray(header) ? header.join(',') : header ?? '';
  return raw.split(',').map((p) => p.trim()).filter((p) => p !== '');
}

/** Why the upgrade is refused (status line and a one-line body), else null. */
function refuse(rt: NodeRuntime, req: IncomingMessage): { status: string; why: string } | null {
  const url = new URL(req.url ?? '/', 'http://x');
  const format = url.searchParams.get('cf_protocol') ?? url.searchParams.get('format');
  if (format === 'protobuf') return { status: '400 Bad Request', why: NO_PROTOBUF };
  const offered = offeredSubprotocols(req.headers['sec-websocket-protocol']);
  // Centrifugo switches to Protobuf when the client offers centrifuge-protobuf; one that offers JSON
  // too gets JSON here.
  if (offered.includes(PROTOBUF_SUBPROTOCOL) && !offered.includes(JSON_SUBPROTOCOL)) return { status: '400 Bad Request', why: NO_PROTOBUF };
  if (!originAllowed(req.headers.origin, rt.client.allowedOrigins)) return { status: '403 Forbidden', why: 'this Origin is not allowed (client.allowed_origins)' };
  return null;
}

/** The session of a socket, kept on the socket so that its listeners need no closure per connection. */
const SESSION = Symbol('session');
type SessionSocket = WebSocket & { [SESSION]: Session };

interface WsListeners {
  message(this: WebSocket, data: RawData, isBinary: boolean): void;
  close(this: WebSocket, code: number, reason: Buffer): void;
}

function wsListeners(rt: NodeRuntime): WsListeners {
  return {
    message(data, isBinary) {
      onMessage(rt, (this as SessionSocket)[SESSION], data, isBinary);
    },
    close(code, reason) {
      const s = (this as SessionSocket)[SESSION];
      // A close the server chose is what happened, even when the peer never answered it (then the
      // socket reports 1006 after the close timeout).
      const chosen = s.closedWith;
      rt.forget(s, chosen?.code ?? code, chosen?.reason ?? reason.toString());
    },
  };
}

function onOpen(rt: NodeRuntime, ws: WebSocket, req: IncomingMessage, listeners: WsListeners): void {
  const s = new Session(ws, req.socket.remoteAddress ?? '', Date.now());
  keepHeaders(rt, s, req);
  rt.sessions.add(s);
  (ws as SessionSocket)[SESSION] = s;
  ws.on('message', listeners.message);
  ws.on('close', listeners.close);
  ws.on('error', ignoreError); // 'close' follows; the error itself (e.g. 1009) is in its code
}

function ignoreError(): void {}

/** The request headers some proxy passes on (`http_headers`), kept with the session; nothing when none does. */
function keepHeaders(rt: NodeRuntime, s: Session, req: IncomingMessage): void {
  if (rt.keptHeaders.length === 0) return;
  const headers: Record<string, string> = {};
  for (const name of rt.keptHeaders) {
    const v = req.headers[name];
    if (v !== undefined) headers[name] = Array.isArray(v) ? v.join(', ') : v;
  }
  s.proxy = { headers };
}

/** What a stream's session closes with when the client went away (a WebSocket's would be 1006). */
const STREAM_GONE = { code: 1006, reason: 'stream closed by the client' };

function onMessage(rt: NodeRuntime, s: Session, data: RawData, isBinary: boolean): void {
  if (s.isClosing()) return;
  if (isBinary) {
    rt.counters.bytesIn += (data as Buffer).length;
    return s.close(Disconnects.inappropriateProtocol);
  }
  receiveFrame(rt, s, data as Buffer);
}

/** A frame of commands, from a WebSocket or an emulation request: decoded, charged and queued in order. */
function receiveFrame(rt: NodeRuntime, s: Session, buf: Buffer): void {
  if (s.isClosing()) return;
  rt.counters.bytesIn += buf.length;
  s.bytesIn += buf.length;
  const decoded = decodeFrame(buf.toString(), rt.client.frameCommandLimit);
  if (!decoded.ok) return s.close(decoded.error);
  // Messages are protocol messages (commands), as outgoing ones are replies and pushes, not frames.
  rt.counters.messagesIn += decoded.value.length;
  s.messagesIn += decoded.value.length;
  if (!chargeCommands(s, decoded.value.length, Date.now(), rt.client.commandRateLimit)) return s.close(Disconnects.tooManyRequests);
  enqueueCommands(rt, s, decoded.value);
}
