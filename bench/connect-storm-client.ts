/**
 * A connect storm's clients: every one opens a WebSocket at once (or, with `concurrency`, at most
 * that many handshakes in flight) and does its peer's handshake; a refusal (HTTP 503, a close, an
 * error, no reply in 5 s) is retried with the centrifuge client's own backoff (PROTOCOL.md §5.4:
 * `min + random(0, min(max, min·2^attempt))`, 500 ms to 20 s), so the storm meets the server as real
 * clients would. Admitted sockets stay open until `close()`, answering the server's pings.
 *
 * The same thin client for every peer kind (as bench/generator.ts): raw ws `{"subscribe":…}`,
 * Socket.IO's framing by hand, Switchboard's Centrifugo JSON protocol (connect with a token and the
 * subscribes in the same frame). Each admitted client records, for its successful attempt, the time
 * to the socket's `open` (TCP connect + HTTP upgrade) and to ready (Switchboard: the connect reply and
 * every subscribe reply; Socket.IO: the namespace connect and every subscribe ack; raw ws: open and
 * every `subscribed`).
 */
import WebSocket from 'ws';

export type StormKind = 'raw' | 'sio' | 'sb';

export interface StormOptions {
  url: string;
  /** Switchboard (the default kind): one connection token per client; other kinds: only its length counts. */
  tokens: string[];
  kind?: StormKind;
  /** Channels every client subscribes to once connected (none: connect only). */
  channels?: (index: number) => string[];
  /** Source address of every socket (127.0.0.2, …: another loopback address has its own ephemeral ports). */
  localAddress?: string;
  /** Handshakes in flight at most; default: all at once. */
  concurrency?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** A client not admitted this long after its first attempt stops trying. */
  giveUpMs?: number;
}

export interface StormResult {
  admitted: number;
  failed: number;
  /** From the first attempt to the last admission. */
  ms: number;
  /** Connection attempts in all, first ones included. */
  attempts: number;
  /** Why attempts failed, with counts (`503`, `close 3504`, `error ECONNRESET`, `timeout`). */
  refusals: Record<string, number>;
  /** Per admitted client, its successful attempt: ms to the socket's open, and to ready. */
  openMs: number[];
  readyMs: number[];
  /** Per admitted client: ms from its first attempt to ready (retries and backoff included). */
  totalMs: number[];
  /** Terminates every admitted socket. */
  close(): void;
}

const ATTEMPT_TIMEOUT_MS = 5000;
/**
 * centrifuge-js gives a reply 1 s of grace when its timeout timer itself ran ≥ 1 s late (the event
 * loop was blocked: build/index.js 4444-4447), so a client process that is busy does not time out a
 * reply that is already in its socket buffer. The same here (the generator models it too).
 */
const LATE_TIMER_MS = 1000;
const LATE_GRACE_MS = 1000;

function backoff(attempt: number, min: number, max: number): number {
  return Math.min(max, min + Math.floor(Math.random() * Math.min(max, min * 2 ** Math.min(attempt, 31))));
}

type Outcome = { ok: true; ws: WebSocket; openMs: number; readyMs: number } | { ok: false; why: string };

interface Attempt {
  url: string;
  kind: StormKind;
  token: string;
  channels: string[];
  localAddress?: string;
}

/** Lines the server sent that complete the handshake; answers how many acks are still awaited. */
function onText(ws: WebSocket, a: Attempt, text: string, waiting: number): number | string {
  if (a.kind === 'raw') {
    // The coalesced raw ws peer joins a turn's objects with "\n" (as the generator splits them).
    let left = waiting;
    for (const line of text.split('\n')) if (line !== '' && (JSON.parse(line) as { subscribed?: string }).subscribed !== undefined) left--;
    return left;
  }
  if (a.kind === 'sio') {
    if (text === '2') ws.send('3'); // engine.io ping → pong
    else if (text.startsWith('0')) ws.send('40');
    else if (text.startsWith('40')) {
      a.channels.forEach((ch, i) => ws.send(`42${i + 1}${JSON.stringify(['subscribe', ch])}`));
      return waiting - 1;
    } else if (text.startsWith('43')) return waiting - 1;
    else if (text.startsWith('44')) return `sio connect error ${text.slice(2, 80)}`;
    return waiting;
  }
  let left = waiting;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line === '{}') {
      ws.send('{}'); // ping → pong
      continue;
    }
    const m = JSON.parse(line) as { id?: number; error?: { code: number } };
    if (m.error) return `error ${m.error.code}`;
    if (m.id !== undefined) left--;
  }
  return left;
}

function attemptOnce(a: Attempt): Promise<Outcome> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let openMs = 0;
    const ws = new WebSocket(a.url, { perMessageDeflate: false, skipUTF8Validation: true, ...(a.localAddress ? { localAddress: a.localAddress } : {}) });
    // Replies still awaited: Switchboard connect + subscribes; Socket.IO namespace connect + acks; raw subscribed.
    let waiting = a.kind === 'raw' ? a.channels.length : 1 + a.channels.length;
    let settled = false;
    const done = (o: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!o.ok) ws.terminate();
      resolve(o);
    };
    const ready = (): void => done({ ok: true, ws, openMs, readyMs: performance.now() - t0 });
    const due = t0 + ATTEMPT_TIMEOUT_MS;
    let timer = setTimeout(function expire() {
      if (performance.now() - due >= LATE_TIMER_MS) {
        timer = setTimeout(() => done({ ok: false, why: 'timeout' }), LATE_GRACE_MS);
        return;
      }
      done({ ok: false, why: 'timeout' });
    }, ATTEMPT_TIMEOUT_MS);
    ws.on('open', () => {
      openMs = performance.now() - t0;
      if (a.kind === 'sb') {
        const frames = [JSON.stringify({ id: 1, connect: { token: a.token, name: 'bench' } })];
        a.channels.forEach((channel, i) => frames.push(JSON.stringify({ id: i + 2, subscribe: { channel } })));
        ws.send(frames.join('\n'));
      } else if (a.kind === 'raw') {
        for (const ch of a.channels) ws.send(JSON.stringify({ subscribe: ch }));
      }
      if (waiting === 0) ready();
    });
    ws.on('message', (data: Buffer) => {
      const r = onText(ws, a, data.toString(), waiting);
      if (typeof r === 'string') return done({ ok: false, why: r });
      waiting = r;
      if (waiting === 0 && !settled) ready();
    });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      done({ ok: false, why: String(res.statusCode) });
    });
    ws.on('close', (code: number) => done({ ok: false, why: `close ${code}` }));
    ws.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, why: `error ${e.code ?? e.message}` }));
  });
}

/** Runs `work(i)` for i in [0, n) with at most `limit` at once. */
async function pool(n: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, limit)) }, lane));
}

export async function connectStorm(opts: StormOptions): Promise<StormResult> {
  const min = opts.minDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 20_000;
  const giveUpMs = opts.giveUpMs ?? 300_000;
  const kind = opts.kind ?? 'sb';
  const start = Date.now();
  const open: WebSocket[] = [];
  const refusals: Record<string, number> = {};
  const openMs: number[] = [];
  const readyMs: number[] = [];
  const totalMs: number[] = [];
  let attempts = 0;
  let lastAdmitted = start;
  let failed = 0;
  await pool(opts.tokens.length, opts.concurrency ?? opts.tokens.length, async (i) => {
    const a: Attempt = { url: opts.url, kind, token: opts.tokens[i]!, channels: opts.channels?.(i) ?? [], localAddress: opts.localAddress };
    // Bounded from the client's own first attempt: with a cap on handshakes in flight, later clients start later.
    const first = performance.now();
    for (let attempt = 0; performance.now() - first < giveUpMs; attempt++) {
      attempts++;
      const o = await attemptOnce(a);
      if (o.ok) {
        open.push(o.ws);
        o.ws.on('error', () => undefined);
        openMs.push(o.openMs);
        readyMs.push(o.readyMs);
        totalMs.push(performance.now() - first);
        lastAdmitted = Date.now();
        return;
      }
      refusals[o.why] = (refusals[o.why] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, backoff(attempt, min, max)));
    }
    failed++;
  });
  return {
    admitted: open.length, failed, ms: lastAdmitted - start, attempts, refusals, openMs, readyMs, totalMs,
    close: () => {
      for (const ws of open) ws.terminate();
    },
  };
}
