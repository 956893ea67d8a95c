/**
 * A front in the client's path that does not pass WebSocket upgrades, as a proxy without WebSocket
 * support: a TCP server on 127.0.0.1 port 0 that reads a connection's first request head, answers a
 * WebSocket upgrade `403` and closes, and pipes any other connection, bytes unchanged, to the
 * cluster's client port (one upstream connection per client connection, so the gateway still routes
 * each connection by its first request). Heads are bounded in size and time.
 */
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

const HEAD_MAX_BYTES = 16 * 1024;
const HEAD_TIMEOUT_MS = 5000;

export class WebSocketRefusingFront {
  /** Upgrades refused so far (request lines). */
  readonly refused: string[] = [];
  /** Connections passed to the cluster so far (request lines of their first request). */
  readonly passed: string[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(targetPort: number): Promise<WebSocketRefusingFront> {
    const server = createServer({ pauseOnConnect: true });
    const front = new WebSocketRefusingFront(server);
    server.on('connection', (socket) => front.take(socket, targetPort));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return front;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => this.sockets.delete(socket));
  }

  private take(socket: Socket, targetPort: number): void {
    this.track(socket);
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), HEAD_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > HEAD_MAX_BYTES) socket.destroy();
        return;
      }
      clearTimeout(timer);
      socket.off('data', onData);
      socket.pause();
      const text = head.toString('latin1', 0, end);
      const requestLine = text.slice(0, text.indexOf('\r\n') < 0 ? text.length : text.indexOf('\r\n'));
      if (/\r\nupgrade:[ \t]*websocket[ \t]*(\r\n|$)/i.test(text)) {
        this.refused.push(requestLine);
        const body = 'WebSocket upgrades do not pass this front\n';
        socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
        return;
      }
      this.passed.push(requestLine);
      const upstream = connect(targetPort, '127.0.0.1');
      this.track(upstream);
      upstream.once('connect', () => {
        upstream.write(head);
        socket.pipe(upstream);
        upstream.pipe(socket);
        socket.resume();
      });
      socket.once('close', () => upstream.destroy());
      upstream.once('close', () => socket.destroy());
    };
    socket.on('data', onData);
    socket.once('close', () => clearTimeout(timer));
    socket.resume();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
