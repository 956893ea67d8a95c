/**
 * The other supervisors on this engine, as their heartbeats tell: who is alive, their nodes, totals
 * and engine link. One that misses 3 beats (silent for {@link PEER_SILENCE_MS}) leaves the view.
 */
import type { SupervisorHeartbeat } from '../../shared/engine/control-messages.js';

/** A supervisor silent this long (3 missed 1 s heartbeats) has left. */
export const PEER_SILENCE_MS = 3_000;

export interface Peer {
  beat: SupervisorHeartbeat;
  /** Unix ms (this process's clock) the last beat was heard. */
  heardAt: number;
}

export interface PeerViewEvents {
  joined(beat: SupervisorHeartbeat): void;
  /** Its last heartbeat, for what it owned. */
  left(beat: SupervisorHeartbeat): void;
}

export class PeerView {
  private readonly peers = new Map<string, Peer>();

  constructor(private readonly self: string, private readonly on: PeerViewEvents) {}

  /** A heartbeat arrived (this supervisor's own ones are ignored). */
  heard(beat: SupervisorHeartbeat, now: number): void {
    if (beat.supervisor === this.self) return;
    const known = this.peers.get(beat.supervisor);
    // A late beat that overtook a newer one (a slow subscriber) must not roll the view back.
    if (known && known.beat.at > beat.at) return;
    this.peers.set(beat.supervisor, { beat, heardAt: now });
    if (!known) this.on.joined(beat);
  }

  /** Drops every supervisor silent past {@link PEER_SILENCE_MS}; answers whether any left. */
  sweep(now: number): boolean {
    let anyLeft = false;
    for (const [id, peer] of this.peers) {
      if (now - peer.heardAt <= PEER_SILENCE_MS) continue;
      this.peers.delete(id);
      anyLeft = true;
      this.on.left(peer.beat);
    }
    return anyLeft;
  }

  /** The live peers, by id. */
  list(): Peer[] {
    return [...this.peers.values()].sort((a, b) => (a.beat.supervisor < b.beat.supervisor ? -1 : 1));
  }

  get(id: string): Peer | undefined {
    return this.peers.get(id);
  }

  ids(): string[] {
    return this.list().map((p) => p.beat.supervisor);
  }
}
