/**
 * A bot with its profile's behaviour, driven by its group's tick: reconnect when its backoff is
 * over, publish in turn with its room (a typing publication first), drop abruptly (flaky), pause
 * reading for stretches (slow). Nothing happens before the fleet runs, nor after it drains.
 */
import type { BotContext } from './bot.js';
import type { BotSub } from './bot-delivery.js';
import { Bot } from './bot.js';
import { messageData, monotonicMicros, publishCommand } from './bot-frames.js';
import { SLOW_PAUSE_MS, SLOW_READ_MS, jitter } from './profiles.js';

export interface SimBotContext extends BotContext {
  /** True while the fleet is in its publishing phase. */
  running: boolean;
  /** Mean connected time before a flaky drop. */
  readonly meanUptimeMs: number;
  /** Padding carried by every publication. */
  readonly pad: string;
}

/** A typing indicator is sent this long before the message it announces. */
const TYPING_LEAD_MS = 500;

export class SimBot extends Bot {
  private nextPublishAt = Infinity;
  private typingAt = Infinity;
  private seq = 0;
  private dropAt = Infinity;
  private pauseAt = Infinity;
  private resumeAt = Infinity;

  constructor(
    index: number,
    token: string,
    private readonly sim: SimBotContext,
    private readonly data: BotSub,
    private readonly typing: BotSub | null,
    /** Milliseconds between this bot's publications; Infinity when it does not publish. */
    private readonly publishEveryMs: number,
  ) {
    super(index, token, sim, typing ? [data, typing] : [data]);
  }

  /** The fleet starts publishing: a random first turn spreads the room's publishers out. */
  begin(now: number): void {
    if (Number.isFinite(this.publishEveryMs)) this.schedulePublish(now + Math.random() * this.publishEveryMs);
    if (this.isConnected) this.arm(now);
  }

  /** The fleet drains: no more publications, drops or pauses. */
  settle(now: number): void {
    this.nextPublishAt = this.typingAt = this.dropAt = this.pauseAt = this.resumeAt = Infinity;
    this.resume(now);
  }

  tick(now: number): void {
    if (this.state === 'waiting' && now >= this.reconnectAt) this.connect();
    if (now >= this.typingAt) this.sendTyping();
    if (now >= this.nextPublishAt) this.publish(now);
    if (!this.isConnected) return;
    if (now >= this.dropAt) {
      this.dropAt = Infinity;
      this.sim.tallies.drops++;
      this.terminate();
    } else if (now >= this.pauseAt) {
      this.pauseAt = Infinity;
      this.pause();
      this.resumeAt = now + jitter(SLOW_PAUSE_MS);
    } else if (now >= this.resumeAt) {
      this.resumeAt = Infinity;
      this.resume(now);
      this.pauseAt = now + jitter(SLOW_READ_MS);
    }
  }

  protected override connected(now: number): void {
    if (this.sim.running) this.arm(now);
  }

  /** Schedules the next drop or pause of this connection. */
  private arm(now: number): void {
    if (this.sim.spec.drops) this.dropAt = now + jitter(this.sim.meanUptimeMs);
    if (this.sim.spec.pauses) {
      this.resumeAt = Infinity;
      this.pauseAt = now + jitter(SLOW_READ_MS);
    }
  }

  private schedulePublish(at: number): void {
    this.nextPublishAt = at;
    if (this.typing !== null && this.publishEveryMs >= 4 * TYPING_LEAD_MS) this.typingAt = at - TYPING_LEAD_MS;
  }

  private publish(now: number): void {
    const next = this.nextPublishAt + this.publishEveryMs;
    this.schedulePublish(next > now ? next : now + this.publishEveryMs);
    if (this.data.state !== 'subscribed') return;
    const data = messageData(monotonicMicros(), this.index, ++this.seq, this.sim.pad);
    this.send(publishCommand(this.expect({ kind: 'publish' }), this.data.channel, data));
  }

  private sendTyping(): void {
    this.typingAt = Infinity;
    if (this.typing?.state !== 'subscribed') return;
    this.send(publishCommand(this.expect({ kind: 'typing' }), this.typing.channel, `{"typing":true,"bot":${this.index}}`));
  }
}
