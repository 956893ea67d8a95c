/**
 * Centrifugo v6's `uni_websocket` on a node: a WebSocket whose first message is the connect request
 * (or, before the upgrade, the `cf_connect` query parameter), after which the client only listens.
 * As Centrifugo's handler, later messages are read and dropped (they still count against
 * `uni_websocket.message_size_limit`: close 1009 past it); a first message that is no connect
 * request is closed 3501. Pings are `{}` pushes plus ping frames, whose pongs are owed.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { RawData, ServerOptions, WebSocket } from 'ws';
import { decodeConnectRequest } from '../../shared/protocol/client.codec.js';
import type { ConnectRequest } from '../../shared/protocol/client-protocol.js';
import { UNI_WEBSOCKET_PATH } from '../../shared/protocol/endpoints.js';
import { originAllowed } from '../../shared/protocol/origin.js';
import type { NodeRuntime } from './node-runtime.js';
import { Session } from './session.js';
import { UniWebSocket } from './uni-sockets.js';
import { startUniConnect } from './uni-streams.js';

export interface UniWebSockets {
  /** Takes an upgrade to the uni_websocket endpoint; `adopt` makes its session one of the node's. */
  upgrade(req: IncomingMessage, socket: Socket, head: Buffer, adopt: (s: Session, req: IncomingMessage) => void): void;
  close(): void;
}

/** True for an upgrade the uni_websocket endpoint serves (it is enabled and this is its path). */
export function isUniWebSocket(rt: NodeRuntime, req: IncomingMessage): boolean {
  return rt.client.uni.websocket.enabled && new URL(req.url ?? '/', 'http://x').pathname === UNI_WEBSOCKET_PATH;
}

/** The session of a socket, kept on the socket so that its listeners need no closure per connection. */
const SESSION = Symbol('uni session');
type SessionSocket = WebSocket & { [SESSION]: Session };

export function createUniWebSockets(rt: NodeRuntime, closeTimeoutMs: number): UniWebSockets {
  const settings = rt.client.uni.websocket;
  // `closeTimeout` is a ws option @types/ws does not declare yet; a typed variable passes it through.
  const options: ServerOptions & { closeTimeout: number } = {
    noServer: true,
    maxPayload: settings.messageSizeLimit,
    clientTracking: false,
    perMessageDeflate: false,
    closeTimeout: closeTimeoutMs,
    // Centrifugo's uni_websocket negotiates no subprotocol.
    handleProtocols: () => false,
  };
  const wss = new WebSocketServer(options);
  const listeners = {
    message(this: WebSocket, data: RawData): void {
      onMessage(rt, (this as SessionSocket)[SESSION], data as Buffer);
    },
    close(this: WebSocket, code: number, reason: Buffer): void {
      const s = (this as SessionSocket)[SESSION];
      const chosen = s.closedWith;
      rt.forget(s, chosen?.code ?? code, chosen?.reason ?? reason.toString());
    },
    pong(this: WebSocket): void {
      (this as SessionSocket)[SESSION].pongDeadline = 0;
    },
  };
  return {
    upgrade(req, socket, head, adopt) {
      if (!originAllowed(req.headers.origin, rt.client.allowedOrigins)) return refuse(socket, '403 Forbidden', 'this Origin is not allowed (client.allowed_origins)');
      const opening = fromQuery(req);
      if (!opening.ok) return refuse(socket, '400 Bad Request', opening.why);
      // A subprotocol header ws would refuse as malformed (empty) must not fail the upgrade: none is answered anyway.
      delete req.headers['sec-websocket-protocol'];
      wss.handleUpgrade(req, socket, head, (ws) => {
        const s = new Session(new UniWebSocket(ws, settings), req.socket.remoteAddress ?? '', Date.now());
        (ws as SessionSocket)[SESSION] = s;
        ws.on('message', listeners.message);
        ws.on('close', listeners.close);
        ws.on('pong', listeners.pong);
        ws.on('error', ignoreError); // 'close' follows; the error itself (e.g. 1009) is in its code
        adopt(s, req);
        if (opening.ok && opening.connect) startUniConnect(rt, s, opening.connect.req, opening.connect.bytes);
      });
    },
    close() {
      wss.close();
    },
  };
}

function ignoreError(): void {}

type QueryOpening = { ok: true; connect: { req: ConnectRequest; bytes: number } | null } | { ok: false; why: string };

/** The connect request of `cf_connect`, when the client passed one (Centrifugo answers a malformed one 400). */
function fromQuery(req: IncomingMessage): QueryOpening {
  const text = new URL(req.url ?? '/', 'http://x').searchParams.get('cf_connect');
  if (text === null || text === '') return { ok: true, connect: null };
  const decoded = decodeConnectRequest(text);
  if (!decoded.ok) return { ok: false, why: 'invalid connect request: cf_connect must be a JSON connect request object' };
  return { ok: true, connect: { req: decoded.value, bytes: Buffer.byteLength(text) } };
}

/** Answers a refused upgrade with its status and a one-line reason, and closes. */
function refuse(socket: Socket, status: string, why: string): void {
  const text = `${why}\n`;
  socket.on('error', ignoreError);
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

/**
 * A message of a uni_websocket client: the first (while no connect ran) is its connect request;
 * any later one is dropped, as Centrifugo's handler reads and discards them.
 */
function onMessage(rt: NodeRuntime, s: Session, data: Buffer): void {
  const first = !s.isClosing() && s.state === 'connecting' && !s.busy;
  const req = first ? decodeConnectRequest(data.toString()) : null;
  if (req?.ok) return startUniConnect(rt, s, req.value, data.length);
  rt.counters.bytesIn += data.length;
  s.bytesIn += data.length;
  if (req === null) return;
  (s.ws as UniWebSocket).quiet = true;
  s.close(req.error);
}
