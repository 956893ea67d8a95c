/**
 * The supervisor's side of its engine, once a second: its heartbeat on the control bus (and when
 * it last heard it back — the liveness of its control subscription), and the sweep of expired
 * presence entries with the leave pushes they owe. A subscription silent for 3 s is reconnected;
 * whenever it was lost (silent or dropped), every node reconciles positions, since publications
 * sent meanwhile never reached it.
 */
import type { EngineStatus } from '../../shared/admin/admin-model.js';
import type { ChannelSettings } from '../../shared/channels/channel-options.js';
import type { ControlMessage, SupervisorHeartbeat } from '../../shared/engine/control-messages.js';
import type { Engine } from '../engine/engine.js';
import type { NewEvent } from './event-log.js';
import { publishLeaves } from './node-loss.js';

/** How long the supervisor may not hear its own heartbeat before it reconnects its subscription. */
export const CONTROL_SILENCE_MS = 3_000;

export interface EngineUpkeepDeps {
  /** This supervisor's id (`cluster.name`). */
  id: string;
  engine: Engine;
  channels: ChannelSettings;
  /** What the heartbeat reports besides who sent it and when. */
  beat: (now: number) => Pick<SupervisorHeartbeat, 'nodes' | 'totals'>;
  /** Makes every node reconcile its channels' positions (publications may have been missed). */
  reconcileAll: () => void;
  emit: (event: NewEvent) => void;
}

const log = (line: string): void => void process.stderr.write(`switchboard: ${line}\n`);

export class EngineUpkeep {
  /** When this supervisor last heard its own heartbeat (0: never). */
  private controlHeardAt = 0;
  /** Silence counts from here too: the first heartbeat published (again), a freeze of this process, a reconnect asked (0: not publishing). */
  private watchFrom = 0;
  /** The subscription was found silent and not heard since. */
  private silent = false;
  private lastTick = 0;
  private readonly disposers: (() => void)[] = [];
  private sweeping = false;

  constructor(private readonly d: EngineUpkeepDeps) {
    this.disposers.push(d.engine.control.subscribe((m) => this.onControl(m)));
    if (d.engine.onResubscribed) this.disposers.push(d.engine.onResubscribed(() => this.onResubscribed()));
  }

  /** Publishes the heartbeat and sweeps expired presence; called from the supervisor's 1 Hz tick. */
  tick(now: number): void {
    // Back from a freeze of this process: its own beats could not be heard meanwhile.
    if (this.lastTick && now - this.lastTick > CONTROL_SILENCE_MS) this.watchFrom = now;
    this.lastTick = now;
    const beat: SupervisorHeartbeat = { type: 'supervisor.heartbeat', supervisor: this.d.id, at: now, ...this.d.beat(now) };
    this.d.engine.control.publish(beat).then(
      // Beats that could not be published are not expected back: silence counts from the first that was.
      () => void (this.watchFrom ||= Date.now()),
      (e: Error) => {
        this.watchFrom = 0;
        log(`control heartbeat failed: ${e.message}`);
      },
    );
    this.checkSilence(now);
    void this.expirePresence();
  }

  /** The engine as the admin snapshot shows it. */
  status(): EngineStatus {
    return { kind: this.d.engine.kind, supervisor: this.d.id, controlHeardAt: this.controlHeardAt };
  }

  stop(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private onControl(message: ControlMessage): void {
    // Hearing our own beat proves the subscription delivers (a silent one can still look connected).
    if (message.type !== 'supervisor.heartbeat' || message.supervisor !== this.d.id) return;
    this.controlHeardAt = Date.now();
    // An engine that tells when it resubscribed has reconciled already (onResubscribed).
    if (this.silent) this.healed('silent');
  }

  /** Published beats unheard for {@link CONTROL_SILENCE_MS}: reconnect the subscription (once per silence period). */
  private checkSilence(now: number): void {
    if (!this.watchFrom) return;
    const silentMs = now - Math.max(this.controlHeardAt, this.watchFrom);
    if (silentMs <= CONTROL_SILENCE_MS) return;
    this.silent = true;
    this.watchFrom = now;
    log(`control bus: own heartbeat not heard for ${(silentMs / 1000).toFixed(1)} s; reconnecting the ${this.d.engine.kind} engine's subscription`);
    this.d.engine.reconnectSubscriber?.().catch((e: Error) => log(`control bus: reconnecting the subscription failed: ${e.message}`));
  }

  private onResubscribed(): void {
    this.healed(this.silent ? 'silent' : 'dropped');
  }

  /** The subscription delivers again after a loss: every node reconciles, since publications were missed. */
  private healed(cause: 'silent' | 'dropped'): void {
    this.silent = false;
    log(`control bus: subscription ${cause === 'silent' ? 'was silent' : 'dropped'} and is live again; nodes reconcile positions`);
    this.d.emit({ type: 'engine.resubscribed', supervisor: this.d.id, cause });
    this.d.reconcileAll();
  }

  /** Drops presence entries nobody refreshed within the TTL, with leave pushes where the namespace wants them. */
  private async expirePresence(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await publishLeaves(await this.d.engine.presence.expire(), { broker: this.d.engine.broker, channels: this.d.channels });
    } catch (e) {
      log(`presence expiry failed: ${(e as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }
}
