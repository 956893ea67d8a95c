/** What `/metrics` reads from the supervisor at scrape time. */
import type { NodeState } from '../../shared/admin/admin-model.js';
import type { NodeStats } from '../../shared/ipc/node-ipc.js';

export interface MetricsNode {
  id: string;
  state: NodeState;
  /** Times the node's process was restarted. */
  restarts: number;
  /** The last report (counters are totals since that process started), null before the first. */
  stats: NodeStats | null;
}

export interface MetricsSource {
  nodes(): MetricsNode[];
  /** Channels with at least one subscriber. */
  channels(): number;
  /** Distinct users with an open connection. */
  users(): number;
  /** Publications accepted by the broker since the cluster started. */
  publications(): number;
  /** Channel streams kept without a subscriber, and those dropped since start (expired, or over the limit). */
  idleChannels?(): { kept: number; dropped: { expired: number; limit: number } };
}
