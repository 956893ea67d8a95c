/**
 * A test client of the admin API: a real WebSocket to the cluster's admin port, typed requests,
 * and the pushes it received (snapshots, events, channel activity) with bounded waits.
 */
import WebSocket from 'ws';
import type { AdminError, AdminMethod, AdminParamsInput, AdminPushes, AdminResults } from '../../shared/admin/admin-api.js';
import type { AdminEvent, ChannelActivity, ClusterSnapshot } from '../../shared/admin/admin-model.js';
import type { SimulatorStatus } from '../../shared/admin/simulator-model.js';
import { decodeAdminServerFrame } from '../../shared/admin/admin.codec.js';
import type { ClusterHandle } from '../../embedded-server/index.js';
import { waitFor } from './test-cluster.js';

/** An error reply of the admin API, thrown by `request`. */
export class AdminRequestError extends Error {
  constructor(readonly error: AdminError) {
    super(`admin error ${error.code}: ${error.message}`);
  }
}

export class AdminClient {
  readonly snapshots: ClusterSnapshot[] = [];
  readonly events: AdminEvent[] = [];
  /** `channel.activity` pushes, whole (items and, for publications, the sampling counts). */
  readonly activity: (AdminPushes['channel.activity'] & { items: ChannelActivity[] })[] = [];
  /** `simulator` pushes: the simulated fleet's status, once a second while one runs. */
  readonly simulator: SimulatorStatus[] = [];
  /** `simulator.fleets` pushes: the fleets started elsewhere, once a second while any is listed. */
  readonly fleets: AdminPushes['simulator.fleets'][] = [];
  /** `alerts` pushes: the firing alerts, each time one fires or resolves. */
  readonly alerts: AdminPushes['alerts'][] = [];
  hello: AdminPushes['hello'] | null = null;
  series: AdminPushes['series'] | null = null;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.onFrame(data.toString()));
  }

  /** Connects with the cluster's admin token and waits for the hello push. */
  static async connect(handle: Pick<ClusterHandle, 'adminUrl' | 'adminToken'>, token = handle.adminToken): Promise<AdminClient> {
    const ws = new WebSocket(`${handle.adminUrl}?token=${encodeURIComponent(token)}`);
    const client = new AdminClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await waitFor(() => client.hello !== null && client.snapshots.length > 0, { timeoutMs: 5000, what: 'admin hello and first snapshot' });
    return client;
  }

  /** Sends a request; resolves with its result or rejects with AdminRequestError. */
  request<M extends AdminMethod>(method: M, params: AdminParamsInput<M>, timeoutMs = 10_000): Promise<AdminResults[M]> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`admin request ${method} timed out`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v as AdminResults[M]); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** The latest snapshot. */
  get snapshot(): ClusterSnapshot {
    return this.snapshots[this.snapshots.length - 1]!;
  }

  /** Waits until a snapshot satisfies `check`; answers it. */
  async snapshotWhere(check: (s: ClusterSnapshot) => boolean, timeoutMs = 10_000, what = 'a matching snapshot'): Promise<ClusterSnapshot> {
    let found: ClusterSnapshot | undefined;
    await waitFor(() => (found = this.snapshots.slice(-3).find(check)) !== undefined, { timeoutMs, what });
    return found!;
  }

  /** Waits until an event satisfies `check`; answers it. */
  async eventWhere(check: (e: AdminEvent) => boolean, timeoutMs = 10_000, what = 'a matching event'): Promise<AdminEvent> {
    let found: AdminEvent | undefined;
    await waitFor(() => (found = this.events.find(check)) !== undefined, { timeoutMs, what });
    return found!;
  }

  close(): void {
    this.ws.terminate();
  }

  private onFrame(text: string): void {
    const frame = decodeAdminServerFrame(text);
    if (!frame.ok) throw new Error(frame.error);
    const f = frame.value;
    if ('push' in f) {
      switch (f.push) {
        case 'hello': this.hello = f.data; return;
        case 'series': this.series = f.data; return;
        case 'snapshot': this.snapshots.push(f.data); if (this.snapshots.length > 600) this.snapshots.shift(); return;
        case 'events': this.events.push(...f.data); return;
        case 'channel.activity': this.activity.push(f.data); return;
        case 'simulator': this.simulator.push(f.data); if (this.simulator.length > 600) this.simulator.shift(); return;
        case 'simulator.fleets': this.fleets.push(f.data); if (this.fleets.length > 600) this.fleets.shift(); return;
        case 'alerts': this.alerts.push(f.data); if (this.alerts.length > 600) this.alerts.shift(); return;
      }
    }
    if (f.id === null) return;
    const p = this.pending.get(f.id);
    if (!p) return;
    this.pending.delete(f.id);
    if ('error' in f) p.reject(new AdminRequestError(f.error));
    else p.resolve(f.result);
  }
}
