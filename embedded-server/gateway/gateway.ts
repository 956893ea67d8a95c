/**
 * The gateway owns the only client port. It reads the HTTP request head, and either hands a
 * WebSocket upgrade for the endpoint to a node (socket handle + the bytes already read), or passes
 * the socket to the supervisor's own HTTP server (server API, health, metrics, 404s). After the
 * hand-off client bytes never touch the supervisor.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { Admission } from './admission.js';
import { hostAllowed, misdirected } from './allowed-hosts.js';
import { clientPaths } from '../../shared/protocol/endpoints.js';
import type { ClientPaths } from '../../shared/protocol/endpoints.js';
import { corsHeaders, originAllowed } from '../../shared/protocol/origin.js';

export interface RequestHead {
  method: string;
  path: string;
  query: URLSearchParams;
  upgrade: boolean;
  /** The Host header's value, when the request has one. */
  host?: string;
  /** The Origin header's value, when the request has one. */
  origin?: string;
  /** A preflight's Access-Control-Request-Headers. */
  requestHeaders?: string;
}

export interface GatewayOptions {
  /** Host names the client port answers for (allowed-hosts.ts); IP literals always pass. */
  allowedHosts: readonly string[];
  /** A connection's request head must be complete within this long; else it is cut. */
  headTimeoutMs: number;
  /** A connection's first request head may be at most this many bytes; else 431. */
  headMaxBytes: number;
  /** Connect-rate limits of WebSocket upgrades (admission.ts); a refused one gets 503 + Retry-After. */
  admission: Admission;
  /**
   * Connections not (yet) handed to a node — reading their head, or on the supervisor's HTTP
   * server — at most this many at once; one more is answered 503 and closed.
   */
  maxPendingConnections: number;
  /**
   * Of those, at most this many from one remote address: one address opening idle sockets (a
   * slowloris) fills its own share, not the whole cap. One more from it is answered 503 and closed.
   */
  maxPendingConnectionsPerIp: number;
  /** `client.allowed_origins`: a refused emulation stream from one of these carries CORS headers, so the page can read why. */
  allowedOrigins: string[];
  /** The client endpoints handed to nodes; default: the bidirectional ones (no unidirectional transport enabled). */
  paths?: ClientPaths;
}

export interface GatewayRoutes {
  /** A WebSocket upgrade on the client endpoint; answers null once a node took it, else why none could (the 503's body). */
  websocket(socket: Socket, head: Buffer, request: RequestHead): string | null;
  /** Anything else: handled by the supervisor's HTTP server. */
  http(socket: Socket, head: Buffer): void;
}

export function createGateway(routes: GatewayRoutes, options: GatewayOptions): Server {
  let pending = 0;
  /** Pending connections per remote address; an address with none has no entry. */
  const pendingByIp = new Map<string, number>();
  return createServer({ pauseOnConnect: true, noDelay: true }, (socket) => {
    if (pending >= options.maxPendingConnections) {
      return reply(socket, '503 Service Unavailable', `too many connections waiting for a request (limit ${options.maxPendingConnections}); try again\n`, RETRY_SOON);
    }
    const ip = socket.remoteAddress ?? '';
    const mine = pendingByIp.get(ip) ?? 0;
    if (mine >= options.maxPendingConnectionsPerIp) {
      return reply(socket, '503 Service Unavailable',
        `too many connections from ${ip} waiting for a request (cluster.http.max_pending_connections_per_ip: ${options.maxPendingConnectionsPerIp}); try again\n`, RETRY_SOON);
    }
    pending++;
    pendingByIp.set(ip, mine + 1);
    let counted = true;
    const release = (): void => {
      if (!counted) return;
      counted = false;
      pending--;
      const left = (pendingByIp.get(ip) ?? 1) - 1;
      if (left > 0) pendingByIp.set(ip, left);
      else pendingByIp.delete(ip);
    };
    socket.once('close', release);
    const counting: GatewayRoutes = {
      websocket: (s, head, request) => {
        const refusal = routes.websocket(s, head, request);
        if (refusal === null) release();
        return refusal;
      },
      http: routes.http,
    };
    readHead(socket, counting, options);
  });
}

function readHead(socket: Socket, routes: GatewayRoutes, options: GatewayOptions): void {
  let buf: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), options.headTimeoutMs);
  const onData = (chunk: Buffer): void => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    const end = buf.indexOf('\r\n\r\n');
    // Whole or not: a head that arrived in one chunk is bounded as much as one still arriving.
    if ((end < 0 ? buf.length : end + 4) > options.headMaxBytes) {
      return finish(() => reply(socket, '431 Request Header Fields Too Large', `request head larger than ${options.headMaxBytes} bytes\n`));
    }
    if (end < 0) return;
    finish(() => route(socket, buf, routes, options));
  };
  const finish = (then: () => void): void => {
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('error', onError);
    stopReading(socket);
    then();
  };
  const onError = (): void => {
    clearTimeout(timer);
    socket.destroy();
  };
  socket.on('data', onData);
  socket.on('error', onError);
  socket.on('close', () => clearTimeout(timer));
  socket.resume();
}

/**
 * Pauses the socket and also stops its handle reading from the kernel. `pause()` alone leaves the
 * handle reading into the stream's buffer, and a handle sent to a node keeps that read armed until
 * the node acknowledges it, with its `onread` set to a no-op: bytes the client sends right after
 * the node's 101 (its connect frame) could be swallowed by the supervisor and never reach the node.
 * The HTTP path resumes the socket, which starts reading again.
 */
function stopReading(socket: Socket): void {
  socket.pause();
  const handle = (socket as unknown as { _handle?: { reading?: boolean; readStop?: () => number } | null })._handle;
  if (handle?.reading && typeof handle.readStop === 'function') {
    handle.reading = false;
    handle.readStop();
  }
}

/**
 * Keeps a socket that waits for its hand-off from reading again; answers how to undo that. A paused
 * stream still reads ahead on the next tick (Readable's `maybeReadMore` calls `_read`, which re-arms
 * the handle that `stopReading` stopped): bytes the client sends while its socket waits for its turn
 * on the IPC channel (its connect frame) would land in the supervisor's buffer and be dropped with
 * it — found by the gateway fuzzer, a frame 10 ms after the head lost on half the sockets.
 */
function holdForHandoff(socket: Socket): () => void {
  const readable = socket as unknown as { _read: (size: number) => void };
  readable._read = () => undefined;
  return () => {
    delete (readable as Partial<typeof readable>)._read;
  };
}

function route(socket: Socket, head: Buffer, routes: GatewayRoutes, options: GatewayOptions): void {
  const request = parseHead(head);
  if (request && !hostAllowed(request.host, options.allowedHosts)) {
    return reply(socket, '421 Misdirected Request', `${misdirected(request.host ?? '')}\n`);
  }
  // A client connection: a WebSocket upgrade, or a stream (http_stream, SSE, the enabled uni ones), served by a node.
  const paths = options.paths ?? BIDIRECTIONAL_PATHS;
  if (request && ((paths.upgrades.includes(request.path) && request.upgrade && request.method === 'GET') || paths.streams.includes(request.path))) {
    const refuse = (why: string, retryAfterS: number): void => {
      // A browser reads a refused stream (or its preflight) only with CORS headers; a preflight is
      // answered here, so the request itself reaches this refusal and its Retry-After.
      const stream = !request.upgrade && request.origin !== undefined && originAllowed(request.origin, options.allowedOrigins);
      if (stream && request.method === 'OPTIONS') return reply(socket, '204 No Content', '', undefined, corsHeaders(request.origin, request.requestHeaders, 'GET, POST, OPTIONS'));
      reply(socket, '503 Service Unavailable', `${why}\n`, retryAfterS, stream ? corsHeaders(request.origin, undefined) : {});
    };
    const limited = options.admission.admit(socket.remoteAddress ?? '', Date.now());
    if (limited) return refuse(limited.reason, limited.retryAfterS);
    const readAgain = holdForHandoff(socket);
    const refusal = routes.websocket(socket, head, request);
    if (refusal !== null) {
      readAgain();
      refuse(refusal, RETRY_SOON);
    }
    return;
  }
  routes.http(socket, head);
}

export function parseHead(head: Buffer): RequestHead | null {
  // The head only: what follows its blank line (a body, a pipelined request, the first frame) holds no header of it.
  const end = head.indexOf('\r\n\r\n');
  const text = head.toString('latin1', 0, end < 0 ? head.length : end + 4);
  const lineEnd = text.indexOf('\r\n');
  const [method, target] = text.slice(0, lineEnd).split(' ');
  if (!method || !target) return null;
  let url: URL;
  try {
    url = new URL(target, 'http://gateway');
  } catch {
    return null;
  }
  const headers = text.slice(lineEnd);
  const upgrade = /\r\nupgrade:[ \t]*websocket[ \t]*\r\n/i.test(headers);
  const header = (name: string): string | undefined => new RegExp(`\r\n${name}:[ \t]*([^\r\n]*?)[ \t]*\r\n`, 'i').exec(headers)?.[1];
  const host = header('host');
  const origin = header('origin');
  const requestHeaders = header('access-control-request-headers');
  return {
    method, path: url.pathname, query: url.searchParams, upgrade,
    ...(host === undefined ? {} : { host }),
    ...(origin === undefined ? {} : { origin }),
    ...(requestHeaders === undefined ? {} : { requestHeaders }),
  };
}

const BIDIRECTIONAL_PATHS = clientPaths({ websocket: false, sse: false, httpStream: false });

/** How long a refused client has to read its answer and close before its socket is destroyed. */
const REFUSED_LINGER_MS = 2000;

/** Retry-After of a 503 whose cause (full nodes, too many waiting connections) passes as clients leave. */
const RETRY_SOON = 1;

function reply(socket: Socket, status: string, body = '', retryAfterS?: number, headers: Record<string, string> = {}): void {
  socket.on('error', () => undefined);
  const retry = retryAfterS === undefined ? '' : `Retry-After: ${retryAfterS}\r\n`;
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${retry}${extra}Connection: close\r\n\r\n${body}`);
  // Unread bytes at close would make the kernel send a reset, which can destroy the answer: drain.
  socket.resume();
  setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
}
