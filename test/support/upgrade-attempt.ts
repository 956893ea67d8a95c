/**
 * One WebSocket upgrade on the client endpoint, optionally from another loopback address (Linux
 * routes all of 127.0.0.0/8 to lo, so `127.0.0.2` is a second "client IP"), optionally followed by
 * a connect: answers the open socket (and the connect reply), or the HTTP refusal with its
 * `Retry-After`.
 */
import WebSocket from 'ws';

export type Upgrade =
  | { ok: true; ws: WebSocket; reply?: Record<string, unknown>; close?: { code: number; reason: string } }
  | { ok: false; status: number; body: string; retryAfter: string | undefined };

export interface UpgradeOptions {
  /** Sent as a connect command once open; the attempt then waits for the reply (or the close). */
  token?: string;
  /** Source address of the TCP connection (a 127.x.y.z). */
  localAddress?: string;
  timeoutMs?: number;
}

export function upgrade(url: string, opts: UpgradeOptions = {}): Promise<Upgrade> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, ...(opts.localAddress ? { localAddress: opts.localAddress } : {}) });
    const done = (u: Upgrade): void => {
      clearTimeout(timer);
      resolve(u);
    };
    const timer = setTimeout(() => {
      ws.terminate();
      done({ ok: false, status: 0, body: `no answer in ${opts.timeoutMs ?? 10_000} ms`, retryAfter: undefined });
    }, opts.timeoutMs ?? 10_000);
    ws.on('open', () => {
      if (opts.token === undefined) return done({ ok: true, ws });
      ws.send(JSON.stringify({ id: 1, connect: { token: opts.token } }));
    });
    ws.on('message', (data: Buffer) => done({ ok: true, ws, reply: JSON.parse(data.toString().split('\n')[0]!) as Record<string, unknown> }));
    ws.on('close', (code: number, reason: Buffer) => done({ ok: true, ws, close: { code, reason: reason.toString() } }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => done({ ok: false, status: res.statusCode ?? 0, body, retryAfter: res.headers['retry-after'] }));
    });
    ws.on('error', () => undefined);
  });
}
