/**
 * What the admin WebSocket server needs from the supervisor. The server owns transport, auth,
 * the codec and per-connection state; every method's meaning lives behind `call`.
 */
import type { AdminError, AdminMethod, AdminParams, AdminResults } from '../../shared/admin/admin-api.js';
import type { ActivitySampling, AdminEvent, AdminHello, ChannelActivity, ClusterSnapshot, TimeSeries } from '../../shared/admin/admin-model.js';
import type { SimulatorStatus } from '../../shared/admin/simulator-model.js';
import type { ExternalFleet } from '../../shared/admin/external-fleet-model.js';
import type { AlertInstance } from '../../shared/admin/alerts-model.js';
import type { Result } from '../../shared/result.js';

/** Methods the admin server answers itself, per connection. */
export type ServerHandledMethod = 'channel.watch' | 'channel.unwatch';

export interface AdminBackend {
  /** The hello push for a new admin connection named `you`. */
  hello(you: string): AdminHello;
  /** Runs one method for the admin connection `who` (it appears as `by` in events). */
  call<M extends Exclude<AdminMethod, ServerHandledMethod>>(
    method: M, params: AdminParams<M>, who: string,
  ): Promise<Result<AdminResults[M], AdminError>>;
  snapshot(): ClusterSnapshot;
  series(): TimeSeries;
  /** 1 Hz snapshots. Returns a dispose. */
  onSnapshot(listener: (snapshot: ClusterSnapshot) => void): () => void;
  /** New lifecycle events, in batches. Returns a dispose. */
  onEvents(listener: (events: AdminEvent[]) => void): () => void;
  /**
   * Live publications (sampled, with their counts), joins and leaves of one channel. Returns a
   * dispose, or a 400 for a channel name the namespaces refuse.
   */
  watch(channel: string, listener: (items: ChannelActivity[], sampling?: ActivitySampling) => void): Result<() => void, AdminError>;
  /** The simulated fleet's status, once a second while one runs and once with its final counts. Returns a dispose. */
  onSimulator(listener: (status: SimulatorStatus) => void): () => void;
  /** Fleets started elsewhere, once a second while any is listed and once more when none is left. Returns a dispose. */
  onFleets(listener: (fleets: ExternalFleet[]) => void): () => void;
  /** The firing alerts, each time one fires or resolves (absent: no alerts evaluated). Returns a dispose. */
  onAlerts?(listener: (firing: AlertInstance[]) => void): () => void;
}
