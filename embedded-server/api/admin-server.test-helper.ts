/**
 * Test kit for the admin server: a recording in-test AdminBackend, a real `ws` admin client that
 * decodes frames with the admin codec, and raw-socket helpers.
 */
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { AdminError, AdminMethod, AdminParams, AdminParamsInput, AdminPushFrame, AdminResponseFrame, AdminResults } from '../../shared/admin/admin-api.js';
import { decodeAdminServerFrame } from '../../shared/admin/admin.codec.js';
import type { AdminEvent, ChannelActivity, ClusterSnapshot } from '../../shared/admin/admin-model.js';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { AdminBackend, ServerHandledMethod } from './admin-backend.js';

type Relayed = Exclude<AdminMethod, ServerHandledMethod>;
type Frame = AdminResponseFrame | AdminPushFrame;

export const snapshot = (at: number, pad = ''): ClusterSnapshot => ({
  at,
  nodes: pad === '' ? [] : [{
    id: pad, pid: 1, state: 'healthy', uptimeMs: 1, restarts: 0, connections: 0, users: 0, subscriptions: 0, messagesInPerSec: 0,
    messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 0, rss: 0, heapUsed: 0, loopDelayP50Ms: 0, loopDelayP99Ms: 0,
  }],
  totals: {
    nodesUp: 0, nodesTotal: 0, connections: 0, users: 0, channels: 0, subscriptions: 0, messagesInPerSec: 0, messagesOutPerSec: 0,
    bytesInPerSec: 0, bytesOutPerSec: 0, publicationsPerSec: 0,
  },
  strategy: 'least-connections',
  autoRestart: true,
  proxies: [],
});

/** The test backend answers by method name; the compiler cannot tie that check to M. */
const answer = <M extends Relayed>(value: AdminResults[Relayed]) => value as AdminResults[M];

/** A recording backend: every call, subscription, watch and dispose is kept for the assertions. */
export function recordingBackend() {
  const rec = {
    hellos: [] as string[],
    calls: [] as { method: Relayed; params: unknown; who: string }[],
    snapshotListeners: new Set<(s: ClusterSnapshot) => void>(),
    eventListeners: new Set<(e: AdminEvent[]) => void>(),
    watches: new Map<string, (items: ChannelActivity[]) => void>(),
    watchCalls: [] as string[],
    unwatched: [] as string[],
  };
  const backend: AdminBackend = {
    hello: (you) => {
      rec.hellos.push(you);
      return { serverVersion: 'test', you, clientUrl: 'ws://c', apiUrl: 'http://a', namespaces: [], personalNamespace: '', lastEventSeq: 0, eventsStartedAt: 1 };
    },
    async call<M extends Relayed>(method: M, params: AdminParams<M>, who: string): Promise<Result<AdminResults[M], AdminError>> {
      rec.calls.push({ method, params, who });
      if (method === 'node.add') throw new Error('backend exploded');
      if (method === 'node.restart') return err({ code: 404, message: 'no such node: n9' });
      if (method === 'connections.query') return ok(answer<M>({ total: 0, offset: 0, items: [] }));
      return ok(answer<M>({}));
    },
    snapshot: () => snapshot(1),
    series: () => ({ intervalMs: 1000, total: [], nodes: {} }),
    onSnapshot: (l) => {
      rec.snapshotListeners.add(l);
      return () => rec.snapshotListeners.delete(l);
    },
    onEvents: (l) => {
      rec.eventListeners.add(l);
      return () => rec.eventListeners.delete(l);
    },
    onSimulator: () => () => undefined,
    onFleets: () => () => undefined,
    watch: (channel, l) => {
      rec.watchCalls.push(channel);
      rec.watches.set(channel, l);
      return ok(() => {
        rec.watches.delete(channel);
        rec.unwatched.push(channel);
      });
    },
  };
  const emitSnapshot = (s: ClusterSnapshot) => rec.snapshotListeners.forEach((l) => l(s));
  const emitEvents = (e: AdminEvent[]) => rec.eventListeners.forEach((l) => l(e));
  return { backend, rec, emitSnapshot, emitEvents };
}

/** A real `ws` client that decodes every server frame with the admin codec and lets tests wait for one. */
export async function adminClient(url: string, options?: WebSocket.ClientOptions) {
  const ws = new WebSocket(url, options);
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data: Buffer) => {
    const f = decodeAdminServerFrame(data.toString('utf8'));
    if (f.ok) frames.push(f.value);
    waiters.forEach((w) => w());
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  /** Removes and answers the first frame (received or to come) that matches. */
  const take = (match: (f: Frame) => boolean, what: string) => new Promise<Frame>((resolve, reject) => {
    const check = () => {
      const i = frames.findIndex(match);
      if (i < 0) return;
      waiters.delete(check);
      clearTimeout(timer);
      resolve(frames.splice(i, 1)[0]);
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`no ${what} within 2 s`));
    }, 2000);
    waiters.add(check);
    check();
  });
  let nextId = 1;
  const request = <M extends AdminMethod>(method: M, params: AdminParamsInput<M>) => {
    const id = nextId++;
    ws.send(JSON.stringify({ id, method, params }));
    return take((f) => 'id' in f && f.id === id, `answer to ${method}`);
  };
  const push = async <P extends AdminPushFrame['push']>(name: P) =>
    (await take((f) => 'push' in f && f.push === name, `${name} push`)) as Extract<AdminPushFrame, { push: P }>;
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return { ws, frames, take, request, push, closed };
}

/** Answers the HTTP status of a refused upgrade. */
export function refusedStatus(url: string, options?: WebSocket.ClientOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
  });
}

export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}

/** A client→server text frame (masked with a zero key, so the payload reads as is). */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  assert.ok(payload.length < 126);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

