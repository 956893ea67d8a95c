/**
 * The bots of one process: built from the plan, started evenly over the ramp, driven by one tick
 * (no timer per bot), checked for silent servers once a second, and reported once a second as
 * cumulative counts. `stop()` closes every socket (bounded), sends the final report and clears
 * every timer it started.
 */
import { mintConnectionToken } from '../config/tokens.js';
import type { BotSub } from './bot-delivery.js';
import { botSub } from './bot-delivery.js';
import { LatencyHistogram } from './latency-histogram.js';
import {
  PROFILES, dataChannel, meanUptimeMs, publishIntervalMs, roomOf, roomSize, typingChannel,
} from './profiles.js';
import type { BotPhase, BotPlan, BotReport } from './sim-ipc.js';
import { zeroTallies } from './sim-ipc.js';
import type { SimBotContext } from './sim-bot.js';
import { SimBot } from './sim-bot.js';

const TICK_MS = 25;
const REPORT_MS = 1_000;
/** How long stop() waits for close handshakes before cutting sockets off. */
const CLOSE_GRACE_MS = 3_000;

/** Global indices of a plan's bots: offset, offset + stride, … below clients. */
export function planIndices(plan: Pick<BotPlan, 'offset' | 'stride' | 'clients'>): number[] {
  const out: number[] = [];
  for (let i = plan.offset; i < plan.clients; i += plan.stride) out.push(i);
  return out;
}

export class BotGroup {
  private readonly bots: SimBot[] = [];
  private readonly ctx: SimBotContext;
  private readonly timers: NodeJS.Timeout[] = [];
  private rampStartedAt = 0;
  /** Bots [0, started) have been told to connect. */
  private started = 0;
  private stopping: Promise<BotReport> | null = null;

  constructor(private readonly plan: BotPlan, private readonly onReport: (report: BotReport) => void) {
    const spec = PROFILES[plan.profile];
    this.ctx = {
      url: plan.target.url, spec, tallies: zeroTallies(), latency: new LatencyHistogram(), gauges: { connected: 0, subscribed: 0 },
      running: false, meanUptimeMs: meanUptimeMs(plan.clients), pad: 'x'.repeat(spec.padBytes),
    };
  }

  /** Mints a token per bot and builds the bots; nothing connects yet. */
  async prepare(): Promise<void> {
    const { plan, ctx } = this;
    const { target } = plan;
    for (const i of planIndices(plan)) {
      const token = await mintConnectionToken({
        secret: target.tokenSecret, user: `bot-${i}`, info: { name: `Bot ${i}` },
        audience: target.tokenAudience || undefined, issuer: target.tokenIssuer || undefined,
      });
      const room = roomOf(i, plan.channels);
      const data: BotSub = botSub(dataChannel(ctx.spec, plan.tag, room), ctx.tallies, ctx.spec.joinLeave);
      const typing = ctx.spec.typing ? botSub(typingChannel(plan.tag, room), null) : null;
      const every = ctx.spec.botsPublish ? publishIntervalMs(plan.rate, roomSize(room, plan.clients, plan.channels)) : Infinity;
      this.bots.push(new SimBot(i, token, ctx, data, typing, every));
    }
  }

  phase(phase: BotPhase): void {
    const now = Date.now();
    switch (phase) {
      case 'ramping':
        if (this.timers.length > 0) return;
        this.rampStartedAt = now;
        this.timers.push(setInterval(() => this.tick(), TICK_MS));
        this.timers.push(setInterval(() => this.sweep(), 1_000));
        this.timers.push(setInterval(() => this.onReport(this.report()), REPORT_MS));
        return;
      case 'running':
        this.ctx.running = true;
        for (const bot of this.bots) bot.begin(now);
        return;
      case 'draining':
        this.ctx.running = false;
        for (const bot of this.bots) bot.settle(now);
        return;
      case 'stopping':
        void this.stop();
        return;
    }
  }

  /** Closes every bot (bounded), counts open gaps as lost, answers the final report. Idempotent. */
  stop(): Promise<BotReport> {
    this.stopping ??= (async () => {
      for (const t of this.timers) clearInterval(t);
      this.timers.length = 0;
      const now = Date.now();
      for (const bot of this.bots) bot.settle(now);
      let grace: NodeJS.Timeout | undefined;
      const cutOff = new Promise<void>((resolve) => {
        grace = setTimeout(() => {
          for (const bot of this.bots) bot.terminate();
          resolve();
        }, CLOSE_GRACE_MS);
      });
      await Promise.race([Promise.all(this.bots.map((b) => b.stop())), cutOff]);
      clearTimeout(grace);
      for (const bot of this.bots) bot.finish();
      return this.report();
    })();
    return this.stopping;
  }

  /** Cuts every socket at once (the coordinator is gone). */
  abort(): void {
    for (const t of this.timers) clearInterval(t);
    for (const bot of this.bots) bot.terminate();
  }

  private tick(): void {
    const now = Date.now();
    const { rampMs } = this.plan;
    while (this.started < this.bots.length) {
      const bot = this.bots[this.started]!;
      if (rampMs > 0 && now < this.rampStartedAt + (rampMs * bot.index) / this.plan.clients) break;
      this.started++;
      bot.connect();
      if (this.ctx.running) bot.begin(now);
    }
    for (let i = 0; i < this.started; i++) this.bots[i]!.tick(now);
  }

  private sweep(): void {
    const now = Date.now();
    for (let i = 0; i < this.started; i++) this.bots[i]!.sweep(now);
  }

  /** Cumulative counts; gaps still open count as lost until something fills them. */
  private report(): BotReport {
    let pending = 0;
    for (const bot of this.bots) for (const sub of bot.subs) pending += sub.tracker?.pending ?? 0;
    const { tallies, gauges, latency } = this.ctx;
    return {
      tallies: { ...tallies, lost: tallies.lost + pending },
      connected: gauges.connected,
      subscribed: gauges.subscribed,
      latency: { counts: latency.sparse(), max: latency.max },
    };
  }
}
