/**
 * An application backend for the proxy tests: a real HTTP server on 127.0.0.1 port 0 whose answer
 * to each path is set by the test — a JSON body with a status, or a misbehaviour (hang without
 * answering, crash mid-request, garbage). Every call is recorded with its body and headers.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ProxyCall {
  path: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

export type Behaviour =
  | { status?: number; body: unknown }
  /** Reads the request and never answers. */
  | 'hang'
  /** Destroys the connection without an answer. */
  | 'crash'
  /** Answers 200 with a body that is not JSON. */
  | 'garbage';

type Answer = Behaviour | ((call: ProxyCall) => Behaviour);

export class ProxyBackend {
  readonly calls: ProxyCall[] = [];
  private readonly answers = new Map<string, Answer>();
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<ProxyBackend> {
    const self: { backend?: ProxyBackend } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          // recorded as {}: the tests assert on what the node sent, which is always JSON
        }
        const call: ProxyCall = { path: req.url ?? '/', body, headers: req.headers };
        self.backend!.calls.push(call);
        const set = self.backend!.answers.get(call.path) ?? { status: 404, body: { error: 'no answer set for this path' } };
        const b = typeof set === 'function' ? set(call) : set;
        if (b === 'hang') return;
        if (b === 'crash') return void req.socket.destroy();
        if (b === 'garbage') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"result": {"user": "a"');
        res.writeHead(b.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(b.body));
      });
    });
    server.on('connection', (socket: Socket) => {
      self.backend?.sockets.add(socket);
      socket.on('close', () => self.backend?.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('backend did not bind');
    self.backend = new ProxyBackend(server, `http://127.0.0.1:${address.port}`);
    return self.backend;
  }

  /** Sets how `path` answers from now on. */
  answer(path: string, answer: Answer): void {
    this.answers.set(path, answer);
  }

  /** Calls to `path` so far. */
  callsTo(path: string): ProxyCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
