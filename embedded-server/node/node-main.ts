/**
 * Entry of a node process (forked by the supervisor). It never listens on a port: the gateway hands
 * client sockets over IPC. It waits for its init, then serves until the supervisor says shutdown.
 */
import type { Socket } from 'node:net';
import type { HandoffMessage, NodeInit, NodeMessage, SupervisorMessage } from '../../shared/ipc/node-ipc.js';
import { Disconnects } from '../../shared/protocol/codes.js';
import { createClientConnections } from './client-connections.js';
import { NodeRuntime } from './node-runtime.js';
import { StatsReporter } from './node-stats.js';
import { checkPositions, resumeAfterFreeze, sweepSessions } from './node-sweep.js';
import { SupervisorLink } from './supervisor-link.js';
import { serveSupervisorRequests } from './supervisor-requests.js';
import { connectionCapacity } from './open-file-limit.js';
import { installCrashPolicy } from '../crash-policy.js';
import { sendToParent } from './parent-channel.js';

/** How often a node looks whether its connection or subscription count changed since its last report. */
const COUNTS_CHECK_MS = 200;

const send = (batch: NodeMessage[] | NodeMessage): void => sendToParent(batch);

const link = new SupervisorLink((batch) => send(batch));
let runtime: NodeRuntime | null = null;
let connections: ReturnType<typeof createClientConnections> | null = null;
const early: { head: Buffer; socket: Socket }[] = [];

function start(init: NodeInit): void {
  const rt = new NodeRuntime(init, link);
  runtime = rt;
  connections = createClientConnections(rt);
  serveSupervisorRequests(rt);
  const stats = new StatsReporter(rt);
  const tick = Math.max(50, Math.min(1000, Math.floor(rt.client.pingIntervalMs / 4) || 1000));
  let lastTick = Date.now();
  setInterval(() => {
    const now = Date.now();
    // A long silence means this process was frozen (SIGSTOP, a debugger, a stalled host), not its
    // clients: restart the ping clocks instead of closing everyone for a missed pong.
    if (now - lastTick > tick * 3) {
      resumeAfterFreeze(rt, now);
      link.restartClocks(now);
    }
    lastTick = now;
    sweepSessions(rt, now);
    link.expire(now);
  }, tick);
  let reported = { connections: -1, subscriptions: -1 };
  const report = (early = false): void => {
    const read = stats.read(!early);
    reported = read;
    link.send({ t: 'stats', at: Date.now(), stats: read });
  };
  setInterval(() => report(), init.statsIntervalMs);
  // Counts that changed are reported within COUNTS_CHECK_MS rather than at the next report: the
  // console's connections and subscriptions follow the clients within about a second (issue 11 §1).
  setInterval(() => {
    if (rt.sessions.size !== reported.connections || rt.hub.subscriptions !== reported.subscriptions) report(true);
  }, Math.min(COUNTS_CHECK_MS, init.statsIntervalMs));
  setInterval(() => void checkPositions(rt).catch(() => undefined), Math.max(1000, init.statsIntervalMs * 5));
  for (const e of early.splice(0)) connections.accept(e.socket, e.head);
  const maxConnections = connectionCapacity();
  link.send({ t: 'ready', pid: process.pid, ...(maxConnections === undefined ? {} : { maxConnections }) });
  report();
}

/** Longest a node waits for its clients' close handshakes at shutdown (a peer that does not read gets 1 s). */
const SHUTDOWN_CLOSE_MS = 1500;

function shutdown(): void {
  const rt = runtime;
  if (rt) for (const s of rt.sessions) s.close(Disconnects.shutdown);
  connections?.close();
  rt?.proxy.close();
  rt?.outbox.flush();
  link.flush();
  // Exit once every client answered the close (what was queued for it, then the close frame, left
  // this process), or at the bound: bytes still queued in a socket that does not read are lost then.
  const deadline = Date.now() + SHUTDOWN_CLOSE_MS;
  const check = setInterval(() => {
    if ((rt?.sessions.size ?? 0) > 0 && Date.now() < deadline) return;
    clearInterval(check);
    process.exit(0);
  }, 20);
}

function onMessage(msg: SupervisorMessage | SupervisorMessage[] | HandoffMessage, handle?: unknown): void {
  if (!Array.isArray(msg)) {
    if (msg.t === 'conn') return onHandoff(msg, handle as Socket | undefined);
    return onOne(msg);
  }
  for (const m of msg) onOne(m);
}

function onHandoff(msg: HandoffMessage, socket: Socket | undefined): void {
  // The supervisor sends the next socket only after this: its other messages never queue behind many.
  link.send({ t: 'conn.taken' });
  if (!socket) return;
  const head = Buffer.from(msg.head, 'base64');
  if (!connections) early.push({ head, socket });
  else connections.accept(socket, head);
}

function onOne(msg: SupervisorMessage): void {
  switch (msg.t) {
    case 'init': return start(msg.init);
    case 'deliver':
      if (runtime) for (const item of msg.items) runtime.hub.deliver(item);
      return;
    case 'reconcile':
      if (runtime) for (const [channel, pos] of Object.entries(msg.positions)) runtime.hub.reconcile(channel, pos);
      return;
    case 'req':
    case 'res':
    case 'res.failed':
      void link.receive(msg);
      return;
    case 'emulation':
      connections?.emulate(msg.session, msg.data);
      return;
    case 'shutdown': return shutdown();
  }
}

// A programmer error nobody caught ends this node with a report; the supervisor restarts it.
installCrashPolicy(() => `switchboard node ${runtime?.init.nodeId ?? ''} (pid ${process.pid})`);
process.on('message', onMessage);
process.on('disconnect', () => process.exit(0)); // the supervisor is gone: nothing to serve for
