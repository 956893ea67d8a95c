/**
 * A backend publishing through the HTTP API that keeps every answer, accepted or refused (the
 * Redis outage and failover tests: publishes must fail clearly while Redis is away), and a capture
 * of this process's stderr (the cluster runs in it, so the engine's log lines land there).
 */
import assert from 'node:assert/strict';
import type { TestCluster } from './test-cluster.js';
import { sleep, waitFor } from './test-cluster.js';

export interface Attempt {
  seq: number;
  startedAt: number;
  ms: number;
  offset?: number;
  epoch?: string;
  error?: { code: number; message: string };
}

/** A backend publishing `{ seq }` (seq = attempt number) through the HTTP API, keeping every answer, accepted or not. */
export class Publisher {
  readonly attempts: Attempt[] = [];
  readonly finished: Promise<void>;
  private stopped = false;

  constructor(private readonly cluster: TestCluster, private readonly channel: string, opts: { everyMs: number; max: number; deadlineMs: number }) {
    this.finished = this.run(opts);
  }

  get accepted(): Attempt[] {
    return this.attempts.filter((a) => a.offset !== undefined);
  }

  acceptedAfter(t: number): Attempt[] {
    return this.accepted.filter((a) => a.startedAt >= t);
  }

  failedBetween(from: number, to: number): Attempt[] {
    return this.attempts.filter((a) => a.error && a.startedAt >= from && a.startedAt < to);
  }

  async waitAccepted(n: number, after: number, timeoutMs = 15_000): Promise<void> {
    await waitFor(() => this.acceptedAfter(after).length >= n, { timeoutMs, what: `${n} accepted publications` });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.finished;
  }

  private async run(opts: { everyMs: number; max: number; deadlineMs: number }): Promise<void> {
    const deadline = Date.now() + opts.deadlineMs;
    for (let seq = 1; seq <= opts.max && !this.stopped && Date.now() < deadline; seq++) {
      const startedAt = Date.now();
      const res = await this.cluster.api('publish', { channel: this.channel, data: { seq } });
      const ms = Date.now() - startedAt;
      assert.equal(res.status, 200, res.text);
      const body = res.body as { result?: { offset?: number; epoch?: string }; error?: { code: number; message: string } };
      const attempt: Attempt = { seq, startedAt, ms };
      if (body.result) {
        assert.equal(typeof body.result.offset, 'number', `publish reply without an offset: ${res.text}`);
        attempt.offset = body.result.offset!;
        attempt.epoch = body.result.epoch!;
      } else {
        assert.ok(body.error, `publish answered neither result nor error: ${res.text}`);
        attempt.error = body.error;
      }
      this.attempts.push(attempt);
      await sleep(opts.everyMs);
    }
  }
}

/** Lines this process writes to stderr meanwhile (the cluster runs in it), still passed through. */
export function captureStderr(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    lines.push(...String(chunk).split('\n').filter((l) => l !== ''));
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  return { lines, restore: () => { process.stderr.write = original; } };
}
