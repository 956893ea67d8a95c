/**
 * Deadlines for the supervisor's HTTP server on the client port. Its sockets arrive from the gateway
 * by `emit('connection')`; the server never listens, so Node's own `headersTimeout` and
 * `requestTimeout` checks (armed by `listen()`) never run, and a client could hold a socket forever
 * with a body sent one byte a minute. The gateway bounds the first request head; this bounds the
 * rest: each request's body, and the wait for the next request on a kept-alive connection.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpDeadlines {
  /** From a request's head to the last byte of its body; past it: 408 (or a cut, once answering). */
  bodyTimeoutMs: number;
  /** After an answer, the next request's head must be complete within this long; else the socket is closed. */
  idleTimeoutMs: number;
}

/** How long a 408 may take to reach a client that is still sending before its socket is cut. */
const CUT_AFTER_408_MS = 500;

/** The one timer each connection has at a time. */
const timers = new WeakMap<Socket, NodeJS.Timeout>();

function arm(socket: Socket, ms: number, then: () => void): void {
  disarm(socket);
  const timer = setTimeout(then, ms);
  timer.unref();
  timers.set(socket, timer);
}

function disarm(socket: Socket): void {
  clearTimeout(timers.get(socket));
  timers.delete(socket);
}

/** Applies the deadlines to every connection the server is handed. */
export function enforceHttpDeadlines(server: Server, deadlines: HttpDeadlines): void {
  server.on('connection', (socket: Socket) => {
    // The gateway read the first head already; this covers the server parsing it again.
    arm(socket, deadlines.idleTimeoutMs, () => socket.destroy());
    socket.once('close', () => disarm(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    arm(socket, deadlines.bodyTimeoutMs, () => bodyTooSlow(req, res, deadlines.bodyTimeoutMs));
    const exchangeDone = (): void => {
      if (!req.complete) return;
      if (!res.writableFinished) return void disarm(socket);
      arm(socket, deadlines.idleTimeoutMs, () => socket.destroy());
    };
    req.once('end', exchangeDone);
    res.once('finish', exchangeDone);
  });
}

function bodyTooSlow(req: IncomingMessage, res: ServerResponse, ms: number): void {
  // The body arrived; what remains is our own answer, which is not the client's to hurry.
  if (req.complete) return;
  if (res.headersSent) return void req.socket.destroy();
  const body = `request timeout: the request body did not arrive within ${ms / 1000} s\n`;
  res.writeHead(408, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
  // The client is still sending: give the answer a moment to arrive, then cut.
  res.once('finish', () => setTimeout(() => req.socket.destroy(), CUT_AFTER_408_MS).unref());
}
