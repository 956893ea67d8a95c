/**
 * The supervisor's HTTP server on the client port (sockets reach it through the gateway): the
 * server API under /api/, /metrics, /healthz, Switchboard's /switchboard/fleet-status, and proper answers for everything else — never a
 * hung socket.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { EMULATION_PATH, STREAM_PATHS, UNI_HTTP_STREAM_PATH, UNI_SSE_PATH, UNI_WEBSOCKET_PATH, WEBSOCKET_PATH } from '../../shared/protocol/endpoints.js';
import type { ClientPaths } from '../../shared/protocol/endpoints.js';
import { FLEET_STATUS_PATH } from '../../shared/admin/external-fleet-model.js';
import type { HttpDeadlines } from '../gateway/http-deadlines.js';
import { enforceHttpDeadlines } from '../gateway/http-deadlines.js';

export interface HttpRoutes {
  api(req: IncomingMessage, res: ServerResponse): void;
  /** `/metrics`: the Prometheus scrape (it answers other HTTP methods itself). */
  metrics(req: IncomingMessage, res: ServerResponse): void;
  /** True while at least one node is healthy. */
  healthy(): boolean;
  /** `POST /emulation`: an emulated connection's commands, for the node holding its stream (emulation-route.ts). */
  emulation(req: IncomingMessage, res: ServerResponse): void;
  /** `POST /switchboard/fleet-status`: a fleet started elsewhere reports its status (api/fleet-status-route.ts). */
  fleetStatus(req: IncomingMessage, res: ServerResponse): void;
  /** The client endpoints nodes serve (default: the bidirectional ones); a disabled uni endpoint is a 404 that says so. */
  paths?: ClientPaths;
}

/** The server's request handling; `deadlines` bound each body and each idle wait (http-deadlines.ts). */
export function createHttpServer(routes: HttpRoutes, deadlines: HttpDeadlines): Server {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api' || path.startsWith('/api/')) return routes.api(req, res);
    if (path === '/metrics') return routes.metrics(req, res);
    if (path === '/healthz') return health(req, res, routes.healthy());
    if (path === EMULATION_PATH) return routes.emulation(req, res);
    if (path === FLEET_STATUS_PATH) return routes.fleetStatus(req, res);
    // A stream request reaches this server only on a connection kept alive from an earlier request
    // (the gateway routes a connection by its first request): refuse it and close, so the client's
    // retry opens a new connection, which the gateway hands to a node.
    if ((routes.paths?.streams ?? STREAM_PATHS).includes(path)) {
      return text(res, 503, 'a stream needs a connection of its own: this one was kept alive from an earlier request; retry\n', { connection: 'close', 'retry-after': '0' });
    }
    if (path === WEBSOCKET_PATH || routes.paths?.upgrades.includes(path)) return text(res, 400, 'this endpoint expects a WebSocket upgrade (GET with Upgrade: websocket)\n');
    return text(res, 404, `not found: ${path}${uniOff(path, routes.paths)}\n`);
  });
  // A WebSocket upgrade to any other path.
  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = `no WebSocket endpoint at ${path}${uniOff(path, routes.paths)}; clients connect to ${WEBSOCKET_PATH}\n`;
    socket.on('error', () => undefined);
    socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  server.on('clientError', (_e, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  enforceHttpDeadlines(server, deadlines);
  return server;
}

/** Why a unidirectional endpoint is not found: Centrifugo's transports are off unless enabled. */
function uniOff(path: string, paths: ClientPaths | undefined): string {
  if (paths?.upgrades.includes(path) || paths?.streams.includes(path)) return '';
  const section = path === UNI_WEBSOCKET_PATH ? 'uni_websocket' : path === UNI_SSE_PATH ? 'uni_sse' : path === UNI_HTTP_STREAM_PATH ? 'uni_http_stream' : '';
  return section === '' ? '' : ` (the ${section} transport is off: set ${section}.enabled to true in the config file)`;
}

function health(req: IncomingMessage, res: ServerResponse, ok: boolean): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
  res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
  res.end(ok ? '{"status":"ok"}\n' : '{"status":"unavailable","reason":"no healthy node"}\n');
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}
