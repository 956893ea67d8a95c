/**
 * The publisher: one HTTP POST per publication to the peer's publish endpoint (raw ws and Socket.IO:
 * the bench's `POST /publish`; Switchboard: its real `POST /api/publish`), keep-alive, at most a few
 * requests in flight. Open loop: publications are created on schedule and stamped then, so a
 * server that answers late shows as latency, not as a slower publisher.
 *
 * Payload: `{"seq":…,"t":…,"pad":"…"}`, about 100 bytes of JSON; `t` is hrtime in µs.
 */
import http from 'node:http';
import type { ServerInfo } from './servers/common.js';

export const PAYLOAD_BYTES = 100;

export const nowUs = (): number => {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3;
};

export function payload(seq: number, t: number): string {
  const base = { seq, t: Math.round(t), pad: '' };
  const size = JSON.stringify(base).length;
  base.pad = 'x'.repeat(Math.max(0, PAYLOAD_BYTES - size));
  return JSON.stringify(base);
}

/**
 * A payload of about `bytes` bytes of JSON (the shapes: the size sweep, and the chat's channel index
 * `c` beside its per-channel `seq`); `payload(seq, t)` is `payloadOf({ seq, t }, PAYLOAD_BYTES)`.
 */
export function payloadOf(fields: { seq: number; t: number; c?: number }, bytes: number): string {
  const base = { ...fields, t: Math.round(fields.t), pad: '' };
  base.pad = 'x'.repeat(Math.max(0, bytes - JSON.stringify(base).length));
  return JSON.stringify(base);
}

export interface PacedRun {
  /** Publications in all. */
  count: number;
  /** Publications per second. */
  rate: number;
  /** Channel of publication i (0-based). */
  channel(i: number): string;
  /** Seq carried by publication i. */
  seq(i: number): number;
  /** Give up waiting for answers this long after the last publication was due. */
  graceMs: number;
  /** Start at this hrtime (µs) rather than now. */
  startAtUs?: number;
  /** The data of publication i created at hrtime `t` (µs); default `payload(seq(i), t)`. */
  data?: (i: number, t: number) => string;
}

export interface PacedResult {
  created: number;
  answered: number;
  errors: number;
  /** When the first publication was created (hrtime µs). */
  startUs: number;
  /** ms from start until the last answer. */
  ms: number;
}

/** Requests a publisher keeps in flight unless told otherwise (fan-out, soak). */
export const PUBLISHER_IN_FLIGHT = 4;

export class Publisher {
  private readonly agent: http.Agent;
  private readonly url: URL;
  private inFlight = 0;
  private readonly queue: { body: string; done: (ok: boolean) => void }[] = [];
  private stopped = false;

  constructor(info: ServerInfo, private readonly maxInFlight = PUBLISHER_IN_FLIGHT) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
    this.url = new URL(info.publishUrl);
    this.headers = { ...info.publishHeaders, 'content-type': 'application/json' };
  }

  private readonly headers: Record<string, string>;

  /** One publication; resolves true on a 200 answer. */
  publish(channel: string, data: string): Promise<boolean> {
    const body = `{"channel":${JSON.stringify(channel)},"data":${data}}`;
    return new Promise((resolve) => {
      this.queue.push({ body, done: resolve });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0 && !this.stopped) {
      const item = this.queue.shift()!;
      this.inFlight++;
      let settled = false;
      const finish = (ok: boolean): void => {
        if (settled) return;
        settled = true;
        this.inFlight--;
        item.done(ok);
        this.pump();
      };
      const req = http.request(this.url, {
        method: 'POST', agent: this.agent,
        headers: { ...this.headers, 'content-length': Buffer.byteLength(item.body) },
      }, (res) => {
        res.resume();
        res.on('end', () => finish(res.statusCode === 200));
        res.on('error', () => finish(false));
      });
      req.on('error', () => finish(false));
      req.end(item.body);
    }
  }

  /** Publishes `count` publications evenly at `rate` per second; resolves when all are answered (bounded). */
  async paced(run: PacedRun): Promise<PacedResult> {
    if (run.startAtUs !== undefined) {
      const waitMs = (run.startAtUs - nowUs()) / 1000;
      if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
      while (nowUs() < run.startAtUs) { /* the last fraction of a millisecond */ }
    }
    const startUs = nowUs();
    const t0 = performance.now();
    let created = 0;
    let answered = 0;
    let errors = 0;
    return new Promise((resolve) => {
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        clearInterval(tick);
        this.drop();
        resolve({ created, answered, errors, startUs, ms: performance.now() - t0 });
      };
      const due = (): number => Math.min(run.count, Math.floor(((performance.now() - t0) / 1000) * run.rate) + 1);
      const emit = (): void => {
        const upTo = due();
        while (created < upTo) {
          const i = created++;
          const data = run.data ? run.data(i, nowUs()) : payload(run.seq(i), nowUs());
          void this.publish(run.channel(i), data).then((ok) => {
            answered++;
            if (!ok) errors++;
            if (answered === run.count) finish();
          });
        }
        if (created === run.count) {
          const lastDueMs = ((run.count - 1) / run.rate) * 1000;
          if (performance.now() - t0 > lastDueMs + run.graceMs) finish();
        }
      };
      const tick = setInterval(emit, 2);
      if (run.count === 0) finish();
      else emit();
    });
  }

  /** Forgets publications not yet sent (a step that gave up on a server that stopped answering). */
  private drop(): void {
    for (const item of this.queue.splice(0)) item.done(false);
  }

  close(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.agent.destroy();
  }
}
