/**
 * The admin API transport: an HTTP server whose `/admin` path upgrades to a WebSocket for holders
 * of the per-launch token (`?token=` or `Authorization: Bearer`), refused with a plain HTTP 401
 * before any WebSocket exists. Snapshots and events are taken from the backend once and fanned out
 * to every admin connection; each connection's requests go through the admin codec.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { encodeAdminPush } from '../../shared/admin/admin.codec.js';
import type { AdminBackend } from './admin-backend.js';
import { AdminConnection, describe } from './admin-connection.js';
import { adminConnectionName, adminOriginAllowed } from './admin-origin.js';
import { hostAllowList, hostAllowed, misdirected } from '../gateway/allowed-hosts.js';

/** The WebSocket path of the admin API. */
export const ADMIN_PATH = '/admin';
/** Largest admin message accepted; a larger one closes the connection with 1009. */
export const MAX_ADMIN_MESSAGE_BYTES = 1024 * 1024;
/** Above this much unsent output, a connection skips snapshot pushes (never answers or events). */
export const SLOW_CLIENT_BYTES = 8 * 1024 * 1024;
/** How long stop() waits for admin clients' close handshakes before cutting them off. */
const CLOSE_GRACE_MS = 1000;
/** Default for `requestTimeoutMs`. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface AdminServerOptions {
  /** Interface to bind; the console and CLI use 127.0.0.1. */
  host: string;
  /** 0 lets the OS choose; the chosen port is on the returned handle. */
  port: number;
  /** The per-launch admin token; must not be empty. */
  token: string;
  backend: AdminBackend;
  /** Called once the server listens, before the returned promise resolves. */
  onListening?: (address: { host: string; port: number; url: string }) => void;
  /**
   * First try at every plain (non-upgrade) HTTP request, e.g. to serve the console bundle.
   * Answers true when it handled the request; otherwise the server answers 404.
   */
  http?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Receives one line per unexpected failure; default: stderr. */
  log?: (line: string) => void;
  /** Host names answered besides localhost, IP literals and `host` (gateway/allowed-hosts.ts). */
  allowedHosts?: readonly string[];
  /** A request's head and body must be complete within this long; else 408 and close. Default 10 s. */
  requestTimeoutMs?: number;
  /** Browser origins allowed besides this port's own pages and the desktop app (admin-origin.ts). */
  allowedOrigins?: readonly string[];
}

export interface AdminServer {
  /** The port actually bound. */
  readonly port: number;
  /** `ws://host:port/admin`, without the token. */
  readonly url: string;
  /** Open admin WebSocket connections. */
  connections(): number;
  /** Closes every admin connection and the listener; idempotent, every caller gets the same promise. */
  stop(): Promise<void>;
}

/** Starts listening; rejects when the address cannot be bound. */
export async function startAdminServer(opts: AdminServerOptions): Promise<AdminServer> {
  if (opts.token === '') throw new Error('startAdminServer: the admin token must not be empty');
  const hub: Hub = {
    opts,
    log: opts.log ?? ((line: string) => process.stderr.write(`[admin-api] ${line}\n`)),
    conns: new Set(),
    wss: new WebSocketServer({ noServer: true, maxPayload: MAX_ADMIN_MESSAGE_BYTES }),
    running: true,
    nextId: 1,
    hosts: hostAllowList([opts.host], opts.allowedHosts ?? []),
  };
  const timeout = opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  // Node checks its deadlines on this period: a fraction of the timeout keeps the cut close to it.
  const server = createServer({ connectionsCheckingInterval: Math.max(100, Math.min(1000, timeout / 4)) }, (req, res) => serveHttp(hub, req, res));
  server.headersTimeout = timeout;
  server.requestTimeout = timeout;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => onUpgrade(hub, req, socket, head));
  await listen(server, opts.host, opts.port);
  const port = (server.address() as AddressInfo).port;
  const url = `ws://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}${ADMIN_PATH}`;
  const disposers = fanOut(opts.backend, hub.conns);
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopped ??= shutdown(hub, server, disposers));
  opts.onListening?.({ host: opts.host, port, url });
  return { port, url, connections: () => hub.conns.size, stop };
}

/** What the server's handlers share. */
interface Hub {
  opts: AdminServerOptions;
  log: (line: string) => void;
  conns: Set<AdminConnection>;
  wss: WebSocketServer;
  /** False from the first stop() on: upgrades are refused. */
  running: boolean;
  /** Numbers admin connections in order of arrival (`admin-N`). */
  nextId: number;
  /** The Host names this port answers for. */
  hosts: string[];
}

/** Auth and path are checked on the raw request, so a refused client never gets a WebSocket. */
function onUpgrade(hub: Hub, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  if (!hub.running) return void socket.destroy();
  if (!hostAllowed(req.headers.host, hub.hosts)) return refuse(socket, 421, misdirected(req.headers.host ?? ''));
  const url = parseUrl(req.url);
  if (url === null || url.pathname !== ADMIN_PATH) return refuse(socket, 404, `not found: the admin API is at ${ADMIN_PATH}`);
  if (!adminOriginAllowed(req.headers.origin, req.headers.host, hub.opts.allowedOrigins)) return refuse(socket, 403, foreignPage(req.headers.origin));
  if (!authorized(req, url, hub.opts.token)) return refuse(socket, 401, 'unauthorized: the admin token is missing or wrong');
  hub.wss.handleUpgrade(req, socket, head, (ws) => {
    if (!hub.running) return void ws.terminate();
    const conn = new AdminConnection(ws, adminConnectionName(hub.nextId++, req.socket.remoteAddress, req.headers.origin), hub.opts.backend, hub.log);
    hub.conns.add(conn);
    ws.on('error', (e) => hub.log(`${conn.who}: ${e.message}`));
    ws.on('close', () => {
      hub.conns.delete(conn);
      conn.close();
    });
    try {
      conn.open();
    } catch (e) {
      hub.log(`opening ${conn.who} failed: ${describe(e)}`);
      ws.close(1011, 'internal error');
    }
  });
}

/** One backend subscription each for the whole server; every frame is encoded once. */
function fanOut(backend: AdminBackend, conns: ReadonlySet<AdminConnection>): (() => void)[] {
  return [
    backend.onSnapshot((snapshot) => {
      const frame = encodeAdminPush('snapshot', snapshot);
      for (const c of conns) if (c.ws.bufferedAmount <= SLOW_CLIENT_BYTES) c.send(frame);
    }),
    backend.onEvents((events) => {
      if (events.length === 0) return;
      const frame = encodeAdminPush('events', events);
      for (const c of conns) c.send(frame);
    }),
    backend.onSimulator((status) => {
      const frame = encodeAdminPush('simulator', status);
      for (const c of conns) c.send(frame);
    }),
    backend.onFleets((fleets) => {
      const frame = encodeAdminPush('simulator.fleets', { fleets });
      for (const c of conns) c.send(frame);
    }),
    backend.onAlerts?.((firing) => {
      const frame = encodeAdminPush('alerts', { firing });
      for (const c of conns) c.send(frame);
    }) ?? (() => undefined),
  ];
}

async function shutdown(hub: Hub, server: Server, disposers: (() => void)[]): Promise<void> {
  hub.running = false;
  for (const dispose of disposers) dispose();
  await Promise.all([...hub.conns].map((c) => closeClient(c)));
  hub.wss.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Sends a going-away close and waits for the handshake, cutting the socket off after a grace. */
function closeClient(c: AdminConnection): Promise<void> {
  c.close();
  if (c.ws.readyState === c.ws.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => c.ws.terminate(), CLOSE_GRACE_MS);
    timer.unref();
    c.ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    c.ws.close(1001, 'admin server stopping');
  });
}

function serveHttp(hub: Hub, req: IncomingMessage, res: ServerResponse): void {
  if (!hostAllowed(req.headers.host, hub.hosts)) return sendText(res, 421, misdirected(req.headers.host ?? ''));
  // The same pages as the WebSocket: CORS already keeps a foreign page from reading an answer (or
  // sending a token to /auth-check), and this refuses it before any handler runs.
  if (!adminOriginAllowed(req.headers.origin, req.headers.host, hub.opts.allowedOrigins)) return sendText(res, 403, foreignPage(req.headers.origin));
  try {
    if (hub.opts.http?.(req, res)) return;
    sendText(res, 404, 'not found');
  } catch (e) {
    hub.log(`HTTP ${req.method ?? ''} ${parseUrl(req.url)?.pathname ?? ''} failed: ${describe(e)}`);
    if (res.headersSent) res.destroy();
    else sendText(res, 500, 'internal error');
  }
}

/** The refusal of a request from a page the admin port does not serve (admin-origin.ts). */
function foreignPage(origin: string | undefined): string {
  return `forbidden: pages from ${origin} may not use the admin API (only the console served by this port, or the desktop app)`;
}

function parseUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

/** `?token=<token>` (all a browser can send), or `Authorization: Bearer <token>`. */
function authorized(req: IncomingMessage, url: URL, token: string): boolean {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && sameToken(fromQuery, token)) return true;
  const parts = (req.headers.authorization ?? '').trim().split(/\s+/);
  return parts.length === 2 && parts[0].toLowerCase() === 'bearer' && sameToken(parts[1], token);
}

/** Constant-time comparison; hashing first makes the lengths equal without leaking them. */
function sameToken(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A plain HTTP answer on the raw socket of a refused upgrade. */
function refuse(socket: Duplex, status: 401 | 403 | 404 | 421, text: string): void {
  const body = `${text}\n`;
  const extra = status === 401 ? 'WWW-Authenticate: Bearer realm="switchboard-admin"\r\n' : '';
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
  );
}

function sendText(res: ServerResponse, status: number, text: string): void {
  const body = `${text}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}
