/**
 * What every bench server process shares: the ready message to the bench over IPC, answering the
 * bench's requests for its process ids, reading a publish request body, and ending on SIGTERM.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How the bench reaches a server: where clients connect, where a publication is POSTed. */
export interface ServerInfo {
  clientUrl: string;
  /**
   * Every address clients may connect to when the server is several supervisors (the Redis engine):
   * client i starts on `clientUrls[i % length]`. Absent: `clientUrl` alone.
   */
  clientUrls?: string[];
  publishUrl: string;
  publishHeaders: Record<string, string>;
  adminUrl?: string;
  adminToken?: string;
}

export type ServerToBench =
  | { t: 'ready'; info: ServerInfo; pids: number[] }
  | { t: 'pids'; id: number; pids: number[]; nodes: { id: string; pid: number; state: string }[] };

export type BenchToServer = { t: 'pids'; id: number };

/** The JSON argument the bench passes as argv[2]. */
export function serverArgs<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

/** Tells the bench the server is up, then answers its pid requests. */
export function announce(info: ServerInfo, pids: () => { pids: number[]; nodes?: { id: string; pid: number; state: string }[] }): void {
  process.send!({ t: 'ready', info, pids: pids().pids } satisfies ServerToBench);
  process.on('message', (m: BenchToServer) => {
    if (m.t === 'pids') {
      const p = pids();
      process.send!({ t: 'pids', id: m.id, pids: p.pids, nodes: p.nodes ?? [] } satisfies ServerToBench);
    }
  });
  // The bench going away (its IPC closing) ends the server too: nothing outlives a run.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

/** Runs `stop` once on SIGTERM/SIGINT, then exits (bounded: exits after 3 s regardless). */
export function onStop(stop: () => Promise<void> | void): void {
  let stopping = false;
  const handler = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 3000).unref();
    void Promise.resolve().then(stop).finally(() => process.exit(0));
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

/**
 * `POST /publish` with `{"channel": …, "data": …}`: the same HTTP publish every peer exposes (for
 * Switchboard it is its own server API). Calls `publish` once per request and answers `{}`.
 */
export function publishRoute(publish: (channel: string, data: unknown) => void) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST' || req.url !== '/publish') return false;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: { channel?: unknown; data?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString()) as typeof body;
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (typeof body.channel !== 'string') {
        res.writeHead(400).end();
        return;
      }
      publish(body.channel, body.data);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' }).end('{}');
    });
    return true;
  };
}

export function urlOf(port: number): { http: string; ws: string } {
  return { http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
}
