/**
 * The fleet coordinator: forks the bot processes (one per `botsPerProcess` bots), runs the
 * timeline — ramp, publish, drain, stop — and sums the processes' reports into one status a
 * second. It runs in the CLI's process or in the fleet process the supervisor forks; never in the
 * supervisor itself. Every timer and process it starts ends by the run's duration or `stop()`.
 */
import type { SimulatorParams, SimulatorState, SimulatorStatus } from '../../shared/admin/simulator-model.js';
import { DEFAULT_BOTS_PER_PROCESS, drainMs } from '../../shared/admin/simulator-model.js';
import { FeedPublisher } from './feed-publisher.js';
import { BotProcess } from './bot-process.js';
import { LatencyHistogram } from './latency-histogram.js';
import { PROFILES, dataChannel } from './profiles.js';
import type { BotTallies, SimTarget } from './sim-ipc.js';
import { zeroTallies } from './sim-ipc.js';
import { sumCounts } from './sim-counts.js';

/** Bot processes must be ready within this (tsx start-up and token minting). */
const READY_TIMEOUT_MS = 30_000;
/** After the ramp, publishing waits at most this long for every subscription. */
const SUBSCRIBE_GRACE_MS = 5_000;
const TIMELINE_MS = 250;
const STATUS_MS = 1_000;
/** Latency windows kept for the recent figure (one a second). */
const RECENT_SECONDS = 5;

export interface FleetOptions {
  id: string;
  params: SimulatorParams;
  target: SimTarget;
  botsPerProcess?: number;
  /** Once a second while it runs, and once more with the final counts. */
  onStatus?: (status: SimulatorStatus) => void;
}

export class Fleet {
  private state: SimulatorState = 'starting';
  private readonly procs: BotProcess[] = [];
  private readonly startedAt = Date.now();
  private rampAt = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly own: BotTallies = zeroTallies();
  private readonly windows: LatencyHistogram[] = [];
  private readonly params: SimulatorParams;
  private readonly tag = Math.random().toString(36).slice(2, 7);
  private feed: FeedPublisher | null = null;
  private message: string | undefined;
  private stopping: Promise<SimulatorStatus> | null = null;
  private resolveDone!: (s: SimulatorStatus) => void;
  /** Resolves with the final status when the run is over (by its duration, stop() or failure). */
  readonly done = new Promise<SimulatorStatus>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly opts: FleetOptions) {
    this.params = { ...opts.params, channels: Math.min(opts.params.channels, opts.params.clients) };
  }

  /** Forks the bot processes and starts the ramp; a fleet that cannot start ends as `failed`. */
  async start(): Promise<void> {
    const { params, opts } = this;
    const per = opts.botsPerProcess ?? DEFAULT_BOTS_PER_PROCESS;
    const count = Math.max(1, Math.ceil(params.clients / per));
    for (let p = 0; p < count; p++) {
      this.procs.push(new BotProcess({
        tag: this.tag, profile: params.profile, target: opts.target, offset: p, stride: count,
        clients: params.clients, channels: params.channels, rate: params.rate, rampMs: params.rampSeconds * 1000,
      }));
    }
    this.timers.push(setInterval(() => this.emit(), STATUS_MS));
    const ready = await Promise.all(this.procs.map((p) => p.ready(READY_TIMEOUT_MS)));
    if (this.stopping) return;
    if (!ready.every(Boolean)) return void this.fail('a bot process did not start (see its output above)');
    this.rampAt = Date.now();
    this.state = 'ramping';
    for (const p of this.procs) p.phase('ramping');
    this.timers.push(setInterval(() => this.timeline(), TIMELINE_MS));
  }

  /** Ends the run: bots close, final reports are summed, every process is gone. Idempotent. */
  stop(): Promise<SimulatorStatus> {
    this.stopping ??= (async () => {
      for (const t of this.timers) clearInterval(t);
      await this.feed?.stop();
      await Promise.all(this.procs.map((p) => p.finish()));
      if (this.state !== 'failed') this.state = 'finished';
      const status = this.status();
      this.opts.onStatus?.(status);
      this.resolveDone(status);
      return status;
    })();
    return this.stopping;
  }

  status(): SimulatorStatus {
    const now = Date.now();
    const latency = new LatencyHistogram();
    for (const p of this.procs) if (p.report) latency.add(p.report.latency.counts, p.report.latency.max);
    const earliest = this.windows[0] ?? new LatencyHistogram();
    const counts = sumCounts(this.procs.map((p) => p.report), this.own, latency.summary(), latency.since(earliest).summary());
    return {
      id: this.opts.id,
      params: this.params,
      state: this.state,
      startedAt: this.startedAt,
      elapsedMs: now - this.startedAt,
      pids: [process.pid, ...this.procs.map((p) => p.pid)],
      counts,
      ...(this.message === undefined ? {} : { message: this.message }),
    };
  }

  private emit(): void {
    const latency = new LatencyHistogram();
    for (const p of this.procs) if (p.report) latency.add(p.report.latency.counts, p.report.latency.max);
    this.windows.push(latency);
    if (this.windows.length > RECENT_SECONDS) this.windows.shift();
    if (!this.stopping) this.opts.onStatus?.(this.status());
  }

  /** ramping → running → draining → over, by the clock (and, for running, by the subscriptions). */
  private timeline(): void {
    const t = Date.now() - this.rampAt;
    const { params } = this;
    const durationMs = params.durationSeconds * 1000;
    const rampMs = params.rampSeconds * 1000;
    const drainAt = durationMs - drainMs(durationMs);
    if (t >= durationMs) return void this.stop();
    if (this.state === 'running' && t >= drainAt) return this.enter('draining');
    if (this.state !== 'ramping' || t < rampMs) return;
    if (t >= drainAt) return this.enter('draining');
    const spec = PROFILES[params.profile];
    const expected = params.clients * (spec.typing ? 2 : 1);
    const subscribed = this.procs.reduce((n, p) => n + (p.report?.subscribed ?? 0), 0);
    if (subscribed >= expected || t >= rampMs + SUBSCRIBE_GRACE_MS) this.enter('running');
  }

  private enter(state: 'running' | 'draining'): void {
    this.state = state;
    for (const p of this.procs) p.phase(state);
    if (state === 'draining') {
      void this.feed?.stop();
      return;
    }
    const spec = PROFILES[this.params.profile];
    if (spec.botsPublish) return;
    const channels = Array.from({ length: this.params.channels }, (_, r) => dataChannel(spec, this.tag, r));
    this.feed = new FeedPublisher(this.opts.target, channels, this.params.rate, this.own);
    this.feed.start();
  }

  private fail(message: string): void {
    this.message = message;
    this.state = 'failed';
    void this.stop();
  }
}
