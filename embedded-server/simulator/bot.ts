/**
 * One simulated client over a real WebSocket, behaving as centrifuge-js does (PROTOCOL.md §2–§6):
 * connect and subscribe in one frame, answer pings, keep each channel's offset and epoch from the
 * subscribe reply and every publication, and after a reconnect resubscribe with `recover` from that
 * position. It owns no timers: its group's tick drives reconnects, publishing, drops and pauses.
 */
import WebSocket from 'ws';
import type { SubscribeResult } from '../../shared/protocol/client-protocol.js';
import type { ServerMessage } from './bot-frames.js';
import {
  PONG, backoffMs, connectCommand, isPing, monotonicMicros, parseFrame, reconnectsAfter, subscribeCommand,
} from './bot-frames.js';
import type { BotSub } from './bot-delivery.js';
import { applyPublication, applySubscribeReply } from './bot-delivery.js';
import type { LatencyHistogram } from './latency-histogram.js';
import type { ProfileSpec } from './profiles.js';
import type { BotTallies } from './sim-ipc.js';

/** What every bot of a process shares: the tallies it adds to, the gauges, the profile. */
export interface BotContext {
  readonly url: string;
  readonly spec: ProfileSpec;
  readonly tallies: BotTallies;
  readonly latency: LatencyHistogram;
  readonly gauges: { connected: number; subscribed: number };
}

export type Pending = { kind: 'connect' | 'publish' | 'typing' } | { kind: 'subscribe'; sub: BotSub; recovering: boolean };

/** centrifuge-js gives up on a silent server after the ping interval plus this much. */
const MAX_SERVER_PING_DELAY_MS = 10_000;
/** centrifuge-js's `timeout`: socket open plus connect reply, and each subscribe reply (PROTOCOL.md §5.4). */
const REPLY_TIMEOUT_MS = 5_000;

export class Bot {
  state: 'idle' | 'connecting' | 'connected' | 'waiting' | 'done' = 'idle';
  /** When a bot in `waiting` connects again. */
  reconnectAt = 0;
  paused = false;
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private attempts = 0;
  private lastFrameAt = 0;
  /** When the connect (socket open included) or the oldest unanswered subscribe started; 0 = none. */
  private waitingSince = 0;
  private pingMs = 0;
  private pong = false;
  private stopping = false;
  private onStopped: (() => void) | null = null;
  /** A disconnect push's code stands for the close that follows it. */
  private closeCode: { code: number; reason?: string } | null = null;

  constructor(
    readonly index: number,
    private readonly token: string,
    protected readonly ctx: BotContext,
    readonly subs: BotSub[],
  ) {}

  get isConnected(): boolean {
    return this.state === 'connected';
  }

  /** Opens the socket; connect and every subscribe go out in its first frame. */
  connect(): void {
    if (this.state === 'done' || this.stopping) return;
    if (this.state === 'waiting') this.ctx.tallies.reconnects++;
    this.state = 'connecting';
    this.waitingSince = Date.now();
    const ws = new WebSocket(this.ctx.url, { perMessageDeflate: false, handshakeTimeout: 10_000 });
    this.ws = ws;
    ws.on('open', () => this.onOpen());
    ws.on('message', (data: Buffer) => this.onFrame(data));
    ws.on('close', (code: number, reason: Buffer) => this.onClose(code, reason.toString()));
    ws.on('error', () => undefined); // 'close' follows every error
  }

  /** Sends one frame while the socket is open. */
  send(text: string): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  /** A command id, with what its reply means. */
  expect(pending: Pending): number {
    const id = this.nextId++;
    this.pending.set(id, pending);
    return id;
  }

  /** Ends the socket without a close frame (the server sees 1006). */
  terminate(): void {
    this.ws?.terminate();
  }

  pause(): void {
    if (this.paused || !this.ws) return;
    this.paused = true;
    this.ws.pause();
  }

  resume(now: number): void {
    if (!this.paused) return;
    this.paused = false;
    this.lastFrameAt = now;
    this.ws?.resume();
  }

  /**
   * centrifuge-js's checks, run by the group once a second: a connect or subscribe unanswered in
   * time, or a server silent past its ping interval, drops the connection (then reconnect).
   */
  sweep(now: number): void {
    if (this.paused || this.ws === null) return;
    if (this.waitingSince > 0 && now - this.waitingSince > REPLY_TIMEOUT_MS) {
      this.ctx.tallies.errors++;
      this.terminate();
    } else if (this.state === 'connected' && this.pingMs > 0 && now - this.lastFrameAt > this.pingMs + MAX_SERVER_PING_DELAY_MS) {
      this.terminate();
    }
  }

  /** Closes gracefully and resolves once the socket is gone; no reconnect after it. */
  stop(): Promise<void> {
    this.stopping = true;
    if (this.ws === null) {
      this.state = 'done';
      return Promise.resolve();
    }
    const closed = new Promise<void>((resolve) => (this.onStopped = resolve));
    this.resume(Date.now());
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, 'simulation over');
    else this.ws.terminate();
    return closed;
  }

  /** Gaps still open at the end are lost. */
  finish(): void {
    for (const sub of this.subs) sub.tracker?.close();
  }

  /** Hook for subclasses: the connect reply arrived. */
  protected connected(_now: number): void {}

  private onOpen(): void {
    this.lastFrameAt = Date.now();
    const lines = [connectCommand(this.expect({ kind: 'connect' }), this.token)];
    for (const sub of this.subs) {
      if (sub.state === 'ended') continue;
      lines.push(this.subscribeLine(sub));
    }
    this.send(lines.join('\n'));
  }

  private subscribeLine(sub: BotSub): string {
    const t = sub.tracker;
    const recovering = t !== null && t.positioned;
    sub.state = 'subscribing';
    if (this.waitingSince === 0) this.waitingSince = Date.now();
    const id = this.expect({ kind: 'subscribe', sub, recovering });
    return subscribeCommand(id, sub.channel, { joinLeave: sub.joinLeave, recover: recovering ? { offset: t.last, epoch: t.epoch } : undefined });
  }

  private onFrame(data: Buffer): void {
    const now = Date.now();
    this.lastFrameAt = now;
    let messages: ServerMessage[];
    try {
      messages = parseFrame(data.toString());
    } catch {
      this.ctx.tallies.errors++;
      this.terminate();
      return;
    }
    let micros = 0;
    for (const m of messages) {
      if (m.id !== undefined) this.onReply(m, now);
      else if (m.push !== undefined) {
        if (m.push.pub !== undefined && micros === 0) micros = monotonicMicros();
        this.onPush(m.push, micros);
      } else if (isPing(m) && this.pong) this.send(PONG);
    }
  }

  private onReply(m: ServerMessage, now: number): void {
    const p = this.pending.get(m.id!);
    if (p === undefined) return;
    this.pending.delete(m.id!);
    const t = this.ctx.tallies;
    if (m.error !== undefined) return this.onError(p, m.error);
    switch (p.kind) {
      case 'connect':
        this.state = 'connected';
        this.attempts = 0;
        this.ctx.gauges.connected++;
        this.pingMs = (m.connect?.ping ?? 0) * 1000;
        this.pong = m.connect?.pong === true;
        this.settleWaiting();
        return this.connected(now);
      case 'subscribe': return this.subscribed(p.sub, p.recovering, m.subscribe ?? {});
      case 'publish': t.sent++; return;
      case 'typing': t.typingSent++; return;
    }
  }

  private onError(p: Pending, error: { code: number; temporary?: boolean }): void {
    const retry = error.code < 100 || error.temporary === true || error.code === 109;
    if (p.kind === 'connect') {
      if (!retry) {
        this.ctx.tallies.refused++;
        this.stopping = true;
        this.state = 'done';
      }
      this.ws?.close(1000, 'connect failed');
      return;
    }
    this.ctx.tallies.errors++;
    if (p.kind !== 'subscribe') return;
    // A temporary refusal: come back through a reconnect (with backoff), recovering from the position.
    if (retry) this.terminate();
    else p.sub.state = 'ended';
  }

  private subscribed(sub: BotSub, recovering: boolean, res: SubscribeResult): void {
    sub.state = 'subscribed';
    this.ctx.gauges.subscribed++;
    this.settleWaiting();
    applySubscribeReply(this.ctx.tallies, sub, recovering, res);
  }

  /** Nothing is awaited once connected with no subscribe outstanding. */
  private settleWaiting(): void {
    if (this.state === 'connected' && !this.subs.some((s) => s.state === 'subscribing')) this.waitingSince = 0;
    else if (this.state === 'connected') this.waitingSince = Date.now();
  }

  private onPush(push: NonNullable<ServerMessage['push']>, micros: number): void {
    const sub = this.subs.find((s) => s.channel === push.channel);
    if (push.disconnect !== undefined) {
      this.closeCode = push.disconnect;
      this.ws?.close(1000, 'disconnect push');
      return;
    }
    if (sub === undefined || sub.state !== 'subscribed') return;
    const t = this.ctx.tallies;
    if (push.pub !== undefined) applyPublication(t, this.ctx.latency, sub, push.pub, micros);
    else if (push.join !== undefined) t.joins++;
    else if (push.leave !== undefined) t.leaves++;
    else if (push.unsubscribe !== undefined) {
      sub.state = 'idle';
      this.ctx.gauges.subscribed--;
      if (push.unsubscribe.code >= 2500) this.send(this.subscribeLine(sub));
      else sub.state = 'ended';
    }
  }

  private onClose(rawCode: number, rawReason: string): void {
    const code = this.closeCode?.code ?? rawCode;
    const reason = this.closeCode?.reason ?? rawReason;
    // The server gives a reader that does not read 1 s to answer its 3008, then cuts the socket: a
    // bot that was paused never read that close frame and sees 1006.
    const cutWhilePaused = this.paused && code === 1006;
    this.closeCode = null;
    this.ws = null;
    this.waitingSince = 0;
    this.paused = false;
    this.pending.clear();
    if (this.state === 'connected') this.ctx.gauges.connected--;
    for (const sub of this.subs) {
      if (sub.state === 'subscribed') this.ctx.gauges.subscribed--;
      if (sub.state !== 'ended') sub.state = 'idle';
    }
    if (code === 3008 || cutWhilePaused) this.ctx.tallies.slowCloses++;
    if (this.stopping) {
      this.state = 'done';
      this.onStopped?.();
      return;
    }
    if (!reconnectsAfter(code, reason)) {
      this.ctx.tallies.refused++;
      this.state = 'done';
      return;
    }
    this.state = 'waiting';
    this.reconnectAt = Date.now() + backoffMs(this.attempts++);
  }
}
