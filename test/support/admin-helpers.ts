/**
 * Small helpers for admin API integration tests: an admin client the cluster closes, error replies
 * as values, events and channel activity that arrived after a mark, connection counts as the
 * registry sees them, and the close a real client gets.
 */
import assert from 'node:assert/strict';
import type { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import type { AdminError, AdminMethod, AdminParamsInput, AdminResults } from '../../shared/admin/admin-api.js';
import type { AdminEvent, AdminEventType, ChannelActivity, ClusterSnapshot } from '../../shared/admin/admin-model.js';
import { AdminClient, AdminRequestError } from './admin-client.js';
import type { TestCluster } from './test-cluster.js';
import { waitFor } from './test-cluster.js';

/** The event type(s) that may carry `type` T (some members share one shape between two types). */
export type EventOf<T extends AdminEventType> = Carrying<AdminEvent, T>;
type Carrying<E, T> = E extends { type: infer U } ? (T extends U ? E : never) : never;
export type ConnectionFilter = NonNullable<AdminParamsInput<'connections.query'>['filter']>;
export type Close = { code: number; reason: string };

/** An admin client with the cluster's token; closed by `cluster.stop()`. */
export async function openAdmin(cluster: TestCluster): Promise<AdminClient> {
  return cluster.track(await AdminClient.connect(cluster.handle));
}

/** The admin connection's own name, as events give it in `by`. */
export function nameOf(admin: AdminClient): string {
  assert.ok(admin.hello, 'no hello yet');
  return admin.hello.you;
}

/** Sends a request that must fail; answers its error reply. */
export async function adminError<M extends AdminMethod>(admin: AdminClient, method: M, params: AdminParamsInput<M>): Promise<AdminError> {
  let result: AdminResults[M];
  try {
    result = await admin.request(method, params);
  } catch (e) {
    if (e instanceof AdminRequestError) return e.error;
    throw e;
  }
  assert.fail(`${method} answered ${JSON.stringify(result)}; an error reply was expected`);
}

/** Where the events received so far end; pass it to `eventAfter`. */
export const eventMark = (admin: AdminClient): number => admin.events.length;

/** Events of a type received after `mark` (and matching `check`), so far. */
export function eventsAfter<T extends AdminEventType>(
  admin: AdminClient, mark: number, type: T, check: (e: EventOf<T>) => boolean = () => true,
): EventOf<T>[] {
  return admin.events.slice(mark).filter((e): e is EventOf<T> => e.type === type && check(e as EventOf<T>));
}

/** Waits for an event of a type, received after `mark`, that matches `check`. */
export async function eventAfter<T extends AdminEventType>(
  admin: AdminClient, mark: number, type: T, check: (e: EventOf<T>) => boolean = () => true, timeoutMs = 5000,
): Promise<EventOf<T>> {
  let found: EventOf<T> | undefined;
  await waitFor(() => (found = eventsAfter(admin, mark, type, check)[0]) !== undefined, { timeoutMs, what: `a ${type} event` });
  return found!;
}

/**
 * Waits for a snapshot received after `mark` (an index into `admin.snapshots`) that matches
 * `check`. A mark taken after a command's reply sees only snapshots taken after the command.
 */
export async function snapshotAfter(
  admin: AdminClient, mark: number, check: (s: ClusterSnapshot) => boolean, what: string, timeoutMs = 5000,
): Promise<ClusterSnapshot> {
  let found: ClusterSnapshot | undefined;
  await waitFor(() => (found = admin.snapshots.slice(mark).find(check)) !== undefined, { timeoutMs, what });
  return found!;
}

/** Waits for a `channel.activity` item of `channel`, pushed after `mark` (an index into `admin.activity`). */
export async function activityAfter(
  admin: AdminClient, mark: number, channel: string, check: (item: ChannelActivity) => boolean, what = `activity on ${channel}`,
): Promise<ChannelActivity> {
  let found: ChannelActivity | undefined;
  await waitFor(() => (found = activitiesAfter(admin, mark, channel).find(check)) !== undefined, { timeoutMs: 5000, what });
  return found!;
}

/** Every activity item of `channel` pushed after `mark`, so far. */
export function activitiesAfter(admin: AdminClient, mark: number, channel: string): ChannelActivity[] {
  return admin.activity.slice(mark).filter((a) => a.channel === channel).flatMap((a) => a.items);
}

/** How many connections the supervisor's registry holds for a filter. */
export async function connectionCount(admin: AdminClient, filter: ConnectionFilter = {}): Promise<number> {
  return (await admin.request('connections.query', { filter, limit: 1 })).total;
}

/** Waits until the registry holds exactly `total` connections for a filter. */
export async function registryHolds(admin: AdminClient, filter: ConnectionFilter, total: number, timeoutMs = 5000): Promise<void> {
  await waitFor(async () => (await connectionCount(admin, filter)) === total, {
    timeoutMs, intervalMs: 50, what: `${total} connections for ${JSON.stringify(filter)}`,
  });
}

/** The node each listed connection is on, as the registry says. */
export async function nodesOf(admin: AdminClient, clients: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const client of clients) {
    const { items } = await admin.request('connections.query', { filter: { client }, limit: 1 });
    assert.equal(items[0]?.client, client, `the registry does not know ${client}`);
    out.set(client, items[0].node);
  }
  return out;
}

/** The next `disconnected` event of a real client. */
export const nextDisconnect = (c: Centrifuge): Promise<Close> =>
  new Promise((resolve) => c.once('disconnected', (ctx) => resolve({ code: ctx.code, reason: ctx.reason })));

/** The next `connecting` event of a real client (a reconnect starting). */
export const nextConnecting = (c: Centrifuge): Promise<Close> =>
  new Promise((resolve) => c.once('connecting', (ctx) => resolve({ code: ctx.code, reason: ctx.reason })));

/** The client id of the next `connected` event of a real client. */
export const nextConnected = (c: Centrifuge): Promise<string> =>
  new Promise((resolve) => c.once('connected', (ctx) => resolve(ctx.client)));

/**
 * Tries a WebSocket upgrade at `url` and answers the HTTP status: that of the refusal, or 101 when
 * the socket opened (it is closed again at once).
 */
export function upgradeStatusAt(url: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<number> {
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no answer to the upgrade in time'));
    }, timeoutMs);
    const done = (status: number): void => {
      clearTimeout(timer);
      resolve(status);
    };
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      done(res.statusCode ?? 0);
    });
    ws.once('open', () => {
      ws.terminate();
      done(101);
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
