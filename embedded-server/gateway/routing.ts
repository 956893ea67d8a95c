/**
 * Which node takes a new connection: least-connections (default), round-robin, or sticky —
 * rendezvous hashing of a user key, so a user's reconnects land on the same healthy node and move
 * only when that node is gone (ARCHITECTURE.md "Routing strategies").
 */
import type { RoutingStrategy } from '../config/cluster-config.js';

export interface Candidate {
  id: string;
  /** Current connections (reported plus handed over since). */
  load: number;
  /** Sockets waiting for their turn on the node's IPC channel (hand-offs queued); 0 if unknown. */
  pending?: number;
}

/**
 * Hand-offs that may wait for a node's IPC channel before least-connections looks elsewhere. A node takes
 * sockets one at a time (each waits for the node's acknowledgement over its IPC channel), so a burst
 * — a failed node's clients all reconnecting — sent to the one least-loaded node (the restarted,
 * empty one) would queue thousands behind one channel while the others idle. Past this many, the
 * node with the fewest in progress is picked instead, and the burst spreads over every node.
 */
export const PENDING_SPREAD = 32;

export class Router {
  private turn = 0;

  constructor(public strategy: RoutingStrategy) {}

  /** Picks among healthy candidates; null when there is none. */
  pick(candidates: readonly Candidate[], userKey: string | null): Candidate | null {
    if (candidates.length === 0) return null;
    switch (this.strategy) {
      case 'round-robin':
        return candidates[this.turn++ % candidates.length]!;
      case 'sticky':
        return userKey ? rendezvous(candidates, userKey) : leastLoaded(candidates);
      case 'least-connections':
        return leastLoaded(candidates);
    }
  }
}

function leastLoaded(candidates: readonly Candidate[]): Candidate {
  let best: Candidate | null = null;
  for (const c of candidates) if ((c.pending ?? 0) < PENDING_SPREAD && (best === null || c.load < best.load)) best = c;
  if (best !== null) return best;
  best = candidates[0]!;
  for (const c of candidates) if (c.pending! < best.pending!) best = c;
  return best;
}

/** Highest-random-weight: the node whose hash with the key is largest. */
export function rendezvous(candidates: readonly Candidate[], key: string): Candidate {
  let best = candidates[0]!;
  let bestScore = -1;
  for (const c of candidates) {
    const score = fnv1a(`${key}\u0000${c.id}`);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** 32-bit FNV-1a with a final avalanche, enough to spread short keys evenly. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
