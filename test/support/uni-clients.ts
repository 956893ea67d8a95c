/**
 * Plain clients of Centrifugo v6's unidirectional transports, as an application would write them
 * without an SDK: `ws` for uni_websocket, `fetch` streaming for uni_http_stream, the `eventsource`
 * package for uni_sse. Each collects the pushes it reads into a PushInbox.
 */
import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import type { TestCluster } from './test-cluster.js';

export type UniTransport = 'uni_websocket' | 'uni_sse' | 'uni_http_stream';
export const UNI_TRANSPORTS: readonly UniTransport[] = ['uni_websocket', 'uni_sse', 'uni_http_stream'];

/** A push as a uni client reads it (every field optional; `{}` is a ping). */
export interface Push {
  channel?: string;
  connect?: { client: string; version: string; session?: string; node?: string; ping?: number; pong?: boolean; expires?: boolean; ttl?: number; data?: unknown;
    subs?: Record<string, { recoverable?: boolean; positioned?: boolean; offset?: number; epoch?: string; recovered?: boolean; publications?: { data: unknown; offset?: number }[] }> };
  pub?: { data: unknown; offset?: number };
  disconnect?: { code: number; reason: string };
  [key: string]: unknown;
}

export const isPing = (p: Push): boolean => Object.keys(p).length === 0;

/** The pushes one client read, in order, and how its connection ended. */
export class PushInbox {
  readonly pushes: Push[] = [];
  /** Raw texts, as they arrived (one WebSocket message, one SSE event, one line). */
  readonly raw: string[] = [];
  ended: { code?: number; reason?: string } | null = null;
  private waiters: (() => void)[] = [];

  add(text: string): void {
    this.raw.push(text);
    for (const line of text.split('\n')) if (line.trim() !== '') this.pushes.push(JSON.parse(line) as Push);
    this.wake();
  }

  end(code?: number, reason?: string): void {
    this.ended ??= { ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason }) };
    this.wake();
  }

  /** The first push (from `from` on) that `match` accepts; fails after `timeoutMs` naming `what`. */
  async next(match: (p: Push) => boolean, what: string, timeoutMs = 8000, from = 0): Promise<Push> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.pushes.slice(from).find(match);
      if (found) return found;
      if (this.ended) throw new Error(`connection ended (${JSON.stringify(this.ended)}) before ${what}; read ${JSON.stringify(this.pushes)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; read ${JSON.stringify(this.pushes)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** Resolves once the connection ended. */
  async whenEnded(what: string, timeoutMs = 8000): Promise<{ code?: number; reason?: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; read ${JSON.stringify(this.pushes)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    return this.ended;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/**
 * `fetch`, retried (at most 5 times) while the answer is the 503 a stream gets on a connection kept
 * alive to the supervisor (fetch pools the connections of the server API calls; docs/protocol.md).
 */
export async function streamFetch(url: string | URL, init?: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, init);
    if (res.status !== 503 || attempt === 5) return res;
    await res.body?.cancel();
  }
}

export interface UniClient {
  inbox: PushInbox;
  /** The HTTP status the stream was answered with (uni_websocket: 101). */
  status: number;
  close(): void;
}

/** A uni_websocket client: the connect request as its first message (or in `cf_connect` with `viaQuery`). */
export async function uniWebSocket(cluster: TestCluster, connect: object, opts: { viaQuery?: boolean } = {}): Promise<UniClient & { ws: WebSocket; pings: number }> {
  const query = opts.viaQuery ? `?cf_connect=${encodeURIComponent(JSON.stringify(connect))}` : '';
  const ws = new WebSocket(`ws://127.0.0.1:${cluster.handle.port}/connection/uni_websocket${query}`);
  const inbox = new PushInbox();
  const client = { inbox, status: 101, ws, pings: 0, close: () => ws.terminate() };
  ws.on('message', (data: Buffer) => inbox.add(data.toString()));
  ws.on('ping', () => { client.pings++; });
  ws.on('close', (code: number, reason: Buffer) => inbox.end(code, reason.toString()));
  ws.on('error', () => inbox.end());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`uni_websocket answered ${res.statusCode}`));
    });
    ws.once('error', reject);
  });
  if (!opts.viaQuery) ws.send(JSON.stringify(connect));
  return client;
}

/** A uni_http_stream client: POSTs the connect request and reads the response line by line. */
export async function uniHttpStream(cluster: TestCluster, connect: object | string): Promise<UniClient> {
  const abort = new AbortController();
  const body = typeof connect === 'string' ? connect : JSON.stringify(connect);
  const res = await streamFetch(`http://127.0.0.1:${cluster.handle.port}/connection/uni_http_stream`, { method: 'POST', body, signal: abort.signal });
  const inbox = new PushInbox();
  void readLines(res, inbox);
  return { inbox, status: res.status, close: () => abort.abort() };
}

async function readLines(res: Response, inbox: PushInbox): Promise<void> {
  if (res.status !== 200 || res.body === null) return inbox.end();
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for await (const chunk of res.body) {
      pending += decoder.decode(chunk as Uint8Array, { stream: true });
      const end = pending.lastIndexOf('\n');
      if (end < 0) continue;
      inbox.add(pending.slice(0, end));
      pending = pending.slice(end + 1);
    }
  } catch {
    // aborted by close()
  }
  inbox.end();
}

/** A uni_sse client: an EventSource with the connect request in `cf_connect`; it is not let to reconnect. */
export function uniSse(cluster: TestCluster, connect: object): UniClient & { opened: Promise<number> } {
  const url = new URL(`http://127.0.0.1:${cluster.handle.port}/connection/uni_sse`);
  url.searchParams.set('cf_connect', JSON.stringify(connect));
  const inbox = new PushInbox();
  let status = 0;
  const es = new EventSource(url, {
    fetch: async (input, init) => {
      const res = await streamFetch(input as string, init as RequestInit);
      status = res.status;
      return res;
    },
  });
  es.onmessage = (e) => inbox.add(e.data);
  // The stream ended (the server closed it) or could not open: an application stops here.
  es.onerror = () => {
    es.close();
    inbox.end();
  };
  const opened = new Promise<number>((resolve) => {
    es.onopen = () => resolve(status);
  });
  const client = { inbox, opened, close: () => es.close(), get status() { return status; } };
  return client;
}

/** Opens a client of `transport` with a connect request; resolves once the stream is open. */
export async function uniClient(cluster: TestCluster, transport: UniTransport, connect: object): Promise<UniClient> {
  if (transport === 'uni_websocket') return uniWebSocket(cluster, connect);
  if (transport === 'uni_http_stream') return uniHttpStream(cluster, connect);
  const c = uniSse(cluster, connect);
  await Promise.race([c.opened, c.inbox.whenEnded('the uni_sse stream to open').then(() => undefined)]);
  return c;
}
