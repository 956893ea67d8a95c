/**
 * Messages of the engine's control bus: what supervisors tell each other (and themselves) outside
 * channel traffic. A discriminated union on `type`; the allow-list below keeps codecs exhaustive.
 */
import type { EngineStatus, NodeSnapshot } from '../admin/admin-model.js';
import type { Json } from '../protocol/client-protocol.js';

/** One node as a supervisor's heartbeat reports it: its snapshot (with the local id) and incarnation. */
export interface HeartbeatNode extends NodeSnapshot {
  /** The process incarnation, unique across supervisors and restarts (`sb-abc123/node-1#0`). */
  incarnation: string;
  /** Channels with a subscriber on it (the HTTP API's `info`). */
  channels?: number;
}

/** A supervisor says it is alive, once a second; hearing its own is the probe of its subscription. */
export interface SupervisorHeartbeat {
  type: 'supervisor.heartbeat';
  /** The sending supervisor's id (`cluster.name`). */
  supervisor: string;
  /** Unix ms when it was sent (the sender's clock). */
  at: number;
  nodes: HeartbeatNode[];
  totals: {
    connections: number;
    subscriptions: number;
    /** Publications this supervisor received from the engine since start (for its own rates). */
    publications: number;
    /** Distinct users connected to this supervisor's nodes. */
    users?: number;
    /** Channels with a subscriber on this supervisor's nodes. */
    channels?: number;
    /** Publications made through this supervisor, per second: cluster rates count each once, at its publisher. */
    publishedPerSec?: number;
  };
  /** Its engine link, for every console's supervisor list. */
  engine?: EngineStatus;
  /** What it counted over the last minute for the alert rules; left out while all are 0. */
  alertCounts?: HeartbeatAlertCounts;
}

/**
 * What only a supervisor's own event log and server API see, counted over the last minute, so the
 * alert rules of every console judge its nodes as they judge their own: per node (by the sender's
 * node ids; nodes at 0 left out) and for the supervisor.
 */
export interface HeartbeatAlertCounts {
  /** Slow-consumer disconnects (code 3008) per node. */
  slow: Record<string, number>;
  /** Resubscribes answered `recovered: false` per node. */
  notRecovered: Record<string, number>;
  /** Server API publish and broadcast requests that did not succeed. */
  publishErrors: number;
}

/** Most nodes one heartbeat's alert counts name, per kind. */
export const MAX_COUNTED_NODES = 256;

/**
 * A question to other supervisors (a survey): `to` names who must answer; each answers once with a
 * {@link SurveyAnswer}. The asker waits a bounded time and names whoever did not answer.
 */
export interface SurveyAsk {
  type: 'survey.ask';
  /** Unique per ask (the asker's id and a counter). */
  id: string;
  from: string;
  to: string[];
  op: string;
  params: Json;
}

/** One supervisor's answer to a {@link SurveyAsk}: its result, or why it has none. */
export interface SurveyAnswer {
  type: 'survey.answer';
  id: string;
  from: string;
  /** The asker. */
  to: string;
  result?: Json;
  /** Set when the supervisor could not answer (unknown op, bad params, its handler failed). */
  error?: string;
}

/**
 * A command frame of an emulated connection (`POST /emulation`) that reached a supervisor other than
 * the one holding the stream: `to` delivers it to its node `node`, which runs it for session `session`.
 */
export interface EmulationFrame {
  type: 'emulation.frame';
  to: string;
  node: string;
  session: string;
  data: string;
}

/** Every control message. */
export type ControlMessage = SupervisorHeartbeat | SurveyAsk | SurveyAnswer | EmulationFrame;

/** The known control message types; a new one breaks the build until it is listed here. */
export const CONTROL_MESSAGE_TYPES = {
  'supervisor.heartbeat': 1, 'survey.ask': 1, 'survey.answer': 1, 'emulation.frame': 1,
} satisfies Record<ControlMessage['type'], 1>;
