/**
 * Messages of the engine's control bus: what supervisors tell each other (and themselves) outside
 * channel traffic. A discriminated union on `type`; the allow-list below keeps codecs exhaustive.
 */
import type { NodeState } from '../admin/admin-model.js';

/** One node as a supervisor's heartbeat reports it. */
export interface HeartbeatNode {
  /** The short id shown everywhere (`node-1`). */
  id: string;
  /** The process incarnation, unique across supervisors and restarts (`sb-abc123/node-1#0`). */
  incarnation: string;
  state: NodeState;
}

/** A supervisor says it is alive, once a second; hearing its own is the probe of its subscription. */
export interface SupervisorHeartbeat {
  type: 'supervisor.heartbeat';
  /** The sending supervisor's id (`cluster.name`). */
  supervisor: string;
  /** Unix ms when it was sent (the sender's clock). */
  at: number;
  nodes: HeartbeatNode[];
  totals: { connections: number; subscriptions: number; publications: number };
}

/** Every control message. */
export type ControlMessage = SupervisorHeartbeat;

/** The known control message types; a new one breaks the build until it is listed here. */
export const CONTROL_MESSAGE_TYPES = { 'supervisor.heartbeat': 1 } satisfies Record<ControlMessage['type'], 1>;
