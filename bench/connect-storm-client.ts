/**
 * A connect storm's clients: every one opens a WebSocket at once and sends connect; a refusal (HTTP
 * 503, a close, an error, no reply in 5 s) is retried with the centrifuge client's own backoff
 * (PROTOCOL.md §5.4: `min + random(0, min(max, min·2^attempt))`, 500 ms to 20 s), so the storm meets
 * the server as real clients would. Admitted sockets stay open until `close()`.
 */
import WebSocket from 'ws';

export interface StormOptions {
  url: string;
  /** One connection token per client. */
  tokens: string[];
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Clients not admitted by then stop trying. */
  giveUpMs?: number;
}

export interface StormResult {
  admitted: number;
  failed: number;
  /** From the first attempt to the last admission. */
  ms: number;
  /** Connection attempts in all, first ones included. */
  attempts: number;
  /** Why attempts failed, with counts (`503`, `close 3504`, `error`, `timeout`). */
  refusals: Record<string, number>;
  /** Terminates every admitted socket. */
  close(): void;
}

function backoff(attempt: number, min: number, max: number): number {
  return Math.min(max, min + Math.floor(Math.random() * Math.min(max, min * 2 ** Math.min(attempt, 31))));
}

type Outcome = { ok: true; ws: WebSocket } | { ok: false; why: string };

function attemptOnce(url: string, token: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let settled = false;
    const done = (o: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!o.ok) ws.terminate();
      resolve(o);
    };
    const timer = setTimeout(() => done({ ok: false, why: 'timeout' }), 5000);
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, connect: { token } })));
    ws.on('message', (data: Buffer) => {
      const reply = JSON.parse(data.toString().split('\n')[0]!) as { connect?: unknown; error?: { code: number } };
      done(reply.connect ? { ok: true, ws } : { ok: false, why: `error ${reply.error?.code}` });
    });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      done({ ok: false, why: String(res.statusCode) });
    });
    ws.on('close', (code: number) => done({ ok: false, why: `close ${code}` }));
    ws.on('error', () => done({ ok: false, why: 'error' }));
  });
}

export async function connectStorm(opts: StormOptions): Promise<StormResult> {
  const min = opts.minDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 20_000;
  const giveUpMs = opts.giveUpMs ?? 300_000;
  const start = Date.now();
  const open: WebSocket[] = [];
  const refusals: Record<string, number> = {};
  let attempts = 0;
  let lastAdmitted = start;
  let failed = 0;
  await Promise.all(opts.tokens.map(async (token) => {
    for (let attempt = 0; Date.now() - start < giveUpMs; attempt++) {
      attempts++;
      const o = await attemptOnce(opts.url, token);
      if (o.ok) {
        open.push(o.ws);
        lastAdmitted = Date.now();
        return;
      }
      refusals[o.why] = (refusals[o.why] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, backoff(attempt, min, max)));
    }
    failed++;
  }));
  return {
    admitted: open.length, failed, ms: lastAdmitted - start, attempts, refusals,
    close: () => {
      for (const ws of open) ws.terminate();
    },
  };
}
