/**
 * The supervisor's side of its engine, once a second: its heartbeat on the control bus (and when
 * it last heard it back — the liveness of its control subscription), and the sweep of expired
 * presence entries with the leave pushes they owe.
 */
import type { EngineStatus } from '../../shared/admin/admin-model.js';
import type { ChannelSettings } from '../../shared/channels/channel-options.js';
import type { ControlMessage, SupervisorHeartbeat } from '../../shared/engine/control-messages.js';
import type { Engine } from '../engine/engine.js';
import { publishLeaves } from './node-loss.js';

export interface EngineUpkeepDeps {
  /** This supervisor's id (`cluster.name`). */
  id: string;
  engine: Engine;
  channels: ChannelSettings;
  /** What the heartbeat reports besides who sent it and when. */
  beat: (now: number) => Pick<SupervisorHeartbeat, 'nodes' | 'totals'>;
}

const log = (line: string): void => void process.stderr.write(`switchboard: ${line}\n`);

export class EngineUpkeep {
  /** When this supervisor last heard its own heartbeat (0: never). */
  private controlHeardAt = 0;
  private readonly disposeControl: () => void;
  private sweeping = false;

  constructor(private readonly d: EngineUpkeepDeps) {
    this.disposeControl = d.engine.control.subscribe((m) => this.onControl(m));
  }

  /** Publishes the heartbeat and sweeps expired presence; called from the supervisor's 1 Hz tick. */
  tick(now: number): void {
    const beat: SupervisorHeartbeat = { type: 'supervisor.heartbeat', supervisor: this.d.id, at: now, ...this.d.beat(now) };
    this.d.engine.control.publish(beat).catch((e: Error) => log(`control heartbeat failed: ${e.message}`));
    void this.expirePresence();
  }

  /** The engine as the admin snapshot shows it. */
  status(): EngineStatus {
    return { kind: this.d.engine.kind, supervisor: this.d.id, controlHeardAt: this.controlHeardAt };
  }

  stop(): void {
    this.disposeControl();
  }

  private onControl(message: ControlMessage): void {
    // Hearing our own beat proves the subscription delivers (a silent one can still look connected).
    if (message.type === 'supervisor.heartbeat' && message.supervisor === this.d.id) this.controlHeardAt = Date.now();
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
