/**
 * The supervisor's state and its reactions to the nodes: broker, registry, node pool, router,
 * lifecycle events, rates and the 1 Hz snapshot. Servers (gateway, HTTP, admin) sit on top of it
 * in cluster.ts; the admin operations in admin-ops.ts and faults.ts act on it.
 */
import type { EngineStatus, NodeSnapshot, NodeState, SupervisorView } from '../../shared/admin/admin-model.js';
import type { HeartbeatAlertCounts, SupervisorHeartbeat } from '../../shared/engine/control-messages.js';
import type { NodeId } from '../../shared/ids.js';
import type { NodeMessage, SupervisorRequestName, SupervisorRequests } from '../../shared/ipc/node-ipc.js';
import { Errors } from '../../shared/protocol/codes.js';
import { err } from '../../shared/result.js';
import type { Broker } from '../broker/broker.js';
import type { Engine, PresenceEngine } from '../engine/engine.js';
import { createMemoryEngine } from '../engine/memory-engine.js';
import type { ClusterConfig } from '../config/cluster-config.js';
import { Router } from '../gateway/routing.js';
import { createBrokerOps } from './broker-ops.js';
import { ChannelRates } from './channel-rates.js';
import { ClusterMetrics } from './cluster-metrics.js';
import { EventLog } from './event-log.js';
import { fanOut } from './fanout.js';
import { nodeEntry } from './node-entry.js';
import { EngineUpkeep } from './engine-upkeep.js';
import { reconcileAll } from './reconcile.js';
import { dropNodeState, publishLeaves } from './node-loss.js';
import { NodePool } from './node-pool.js';
import type { NodeHealth, NodeProcess } from './node-process.js';
import { RecoveryLog } from './recovery-log.js';
import { Registry } from './registry.js';
import { ChannelLock } from './channel-lock.js';
import { SERVER_VERSION } from './version.js';
import { ChannelWatchers } from './channel-watchers.js';
import { SimulatorHost } from '../simulator/simulator-host.js';
import { ExternalFleets } from '../simulator/external-fleets.js';
import { answerSurveys, remoteNodeId } from './cluster-wide.js';
import { countingPublishes, PublishedRate } from './published-rate.js';
import { PeerView } from './peer-view.js';
import { NodeMoves } from './node-moves.js';
import { ProxyHealthBoard } from './proxy-health.js';
import { Surveys } from './surveys.js';

const NODE_REQUEST_TIMEOUT_MS = 5_000;
/**
 * Own heartbeat heard within this long: this supervisor's control subscription delivers (beats are
 * 1 s apart; the margin absorbs a busy event loop). Below the 3 s after which a peer leaves, so a
 * subscription that went deaf when the peer went quiet is never taken for a healthy one.
 */
const OWN_BEAT_FRESH_MS = 1_500;

const round1 = (n: number): number => Math.round(n * 10) / 10;

const FALLBACKS: { [K in SupervisorRequestName]: SupervisorRequests[K]['res'] } = {
  'sessions.disconnect': { count: 0 },
  'sessions.unsubscribe': { count: 0 },
  'sessions.subscribe': { count: 0, errors: [] },
  'sessions.refresh': { count: 0 },
  'node.drain': { count: 0, left: 0 },
  'sessions.message': { count: 0 },
  'session.detail': null,
  'node.drop-sockets': { count: 0 },
};

/** An injected fault in progress on a node. */
export interface ActiveFault {
  kind: 'hang' | 'partition';
  until: number;
  timer: NodeJS.Timeout;
}

export class Supervisor {
  /** This supervisor's id (`cluster.name`), the prefix of its nodes' incarnations. */
  readonly id: string;
  readonly engine: Engine;
  readonly broker: Broker;
  readonly presence: PresenceEngine;
  readonly registry = new Registry();
  /** The one lock on channels' broker interest: subscribes, unsubscribes and a lost node's channels. */
  private readonly channelLock = new ChannelLock();
  readonly events = new EventLog();
  readonly recoveries = new RecoveryLog();
  readonly rates = new ChannelRates();
  readonly watchers = new ChannelWatchers();
  readonly router: Router;
  readonly pool: NodePool;
  readonly metrics: ClusterMetrics;
  readonly faults = new Map<string, ActiveFault>();
  /** Clients being moved off nodes: drains before removal, rebalances. */
  readonly moves = new NodeMoves(this);
  /** The load simulator's fleet, in a process of its own. */
  readonly simulator = new SimulatorHost();
  /** Fleets started elsewhere (`switchboard simulate`), from their status reports. */
  readonly fleets = new ExternalFleets();
  /** The other supervisors on the engine, from their heartbeats. */
  readonly peers: PeerView;
  /** This supervisor's alert counts, for its heartbeat (set by the alerts service; none without it). */
  private alertCounts: () => HeartbeatAlertCounts | null = () => null;
  /** Questions to the other supervisors, and this one's answers to theirs. */
  readonly surveys: Surveys;
  /** Publications made through this supervisor (counted once, at the publisher). */
  readonly published = new PublishedRate();
  /** Backend proxy calls of this supervisor's nodes, for the snapshot. */
  readonly proxyHealth: ProxyHealthBoard;
  private peerSweeper: NodeJS.Timeout | null = null;
  private readonly ops;
  private readonly disposeFanout: () => void;
  private readonly upkeep: EngineUpkeep;
  /** The engine was made here (not handed in), so stopping is ours. */
  private readonly ownsEngine: boolean;
  private readonly lastHealth = new Map<string, NodeHealth>();
  private readonly everStarted = new Set<string>();
  private ticker: NodeJS.Timeout | null = null;
  private lastTick = Date.now();
  /** When this process last came back from a freeze of its own (its reports from nodes were delayed too). */
  private resumedAt = 0;
  private readonly disposers: (() => void)[] = [];
  private readonly snapshotListeners = new Set<(s: ReturnType<ClusterMetrics['tick']>) => void>();

  /** `nodeV8Flags`: see StartClusterOptions (default: NODE_V8_FLAGS). */
  constructor(readonly config: ClusterConfig, engine?: Engine, nodeV8Flags?: readonly string[]) {
    this.id = config.name;
    this.ownsEngine = !engine;
    this.engine = engine ?? createMemoryEngine({ idleChannelLimit: config.idleChannelLimit });
    this.broker = countingPublishes(this.engine.broker, () => this.published.add());
    this.presence = this.engine.presence;
    this.router = new Router(config.strategy);
    this.proxyHealth = new ProxyHealthBoard(config.proxies);
    this.ops = createBrokerOps({
      lock: this.channelLock,
      broker: this.broker, presence: this.presence, ownerOf: (id) => this.pool.get(id)?.incarnation ?? id, registry: this.registry, channels: config.channels,
      recoveryMaxPublicationLimit: config.client.recoveryMaxPublicationLimit, events: this.events, recoveries: this.recoveries,
    });
    this.pool = new NodePool({
      entry: nodeEntry(nodeV8Flags),
      init: { supervisor: config.name, client: config.client, channels: config.channels, proxies: config.proxies, statsIntervalMs: config.statsIntervalMs, serverVersion: SERVER_VERSION },
      autoRestart: config.autoRestart,
      supervisorId: this.id,
      backoffMinMs: config.restartBackoffMinMs,
      backoffMaxMs: config.restartBackoffMaxMs,
      queueMaxBytes: config.nodeQueueMaxSize,
      standbyNodes: config.standbyNodes,
    }, {
      message: (node, msg) => this.onNodeMessage(node, msg),
      up: (node) => this.onNodeUp(node),
      down: (node, code, signal) => this.onNodeDown(node, code, signal),
    });
    const deliver = fanOut(this.registry, this.pool);
    this.disposeFanout = this.broker.onEvent((event) => {
      if (event.kind === 'pub') this.rates.add(event.channel);
      this.watchers.observe(event);
      deliver(event);
    });
    this.surveys = new Surveys(this.id, this.engine.control);
    this.peers = new PeerView(this.id, {
      joined: (beat) => this.events.emit({ type: 'supervisor.joined', supervisor: beat.supervisor, nodes: beat.nodes.length }),
      left: (beat) => void this.peerLeft(beat),
    });
    this.disposers.push(this.engine.control.subscribe((m) => {
      if (m.type === 'supervisor.heartbeat') this.peers.heard(m, Date.now());
      else if (m.type === 'emulation.frame' && m.to === this.id) this.runningNode(m.node)?.send({ t: 'emulation', session: m.session, data: m.data });
    }));
    answerSurveys(this);
    this.upkeep = new EngineUpkeep({
      id: this.id, engine: this.engine, channels: config.channels, beat: (now) => this.heartbeat(now),
      reconcileAll: () => reconcileAll(this), emit: (e) => this.events.emit(e),
    });
    this.metrics = new ClusterMetrics({
      nodes: (now) => this.clusterNodes(now),
      channels: () => this.registry.channelCounts().size + this.peers.list().reduce((n, p) => n + (p.beat.totals.channels ?? 0), 0),
      users: () => this.registry.userCount + this.peers.list().reduce((n, p) => n + (p.beat.totals.users ?? 0), 0),
      publicationsPerSec: () => this.published.perSecond + this.peers.list().reduce((n, p) => n + (p.beat.totals.publishedPerSec ?? 0), 0),
      supervisors: () => this.supervisorViews(),
      strategy: () => this.router.strategy,
      autoRestart: () => this.pool.autoRestart,
      proxies: () => this.proxyHealth.health(this.pool.all()),
      engine: () => this.engineStatus(),
    });
  }

  /** The node with this id when it is running and ready, else undefined. */
  runningNode(id: string): NodeProcess | undefined {
    const p = this.pool.get(id);
    return p && !p.exited && p.ready ? p : undefined;
  }

  /**
   * An emulation frame for a node of another supervisor on the same engine, over the control bus;
   * false when that supervisor is not heard from (the client's stream is then gone: 404).
   */
  forwardEmulation(supervisor: string, node: string, session: string, data: string): boolean {
    if (!this.peers.list().some((p) => p.beat.supervisor === supervisor)) return false;
    void this.engine.control.publish({ type: 'emulation.frame', to: supervisor, node, session, data }).catch((e: unknown) => {
      process.stderr.write(`switchboard: emulation frame for ${supervisor}/${node} not sent: ${(e as Error).message}\n`);
    });
    return true;
  }

  /** Starts the nodes and the 1 Hz tick. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.config.nodes }, () => this.pool.add()));
    this.pool.startStandbys();
    this.tick();
    this.ticker = setInterval(() => this.tick(), 1000);
    this.ticker.unref();
    // A finer sweep than the tick: a silent supervisor leaves within 0.1 s of its 3 s.
    this.peerSweeper = setInterval(() => this.sweepPeers(), 100);
    this.peerSweeper.unref();
  }

  /** `onStep` hears what the stop waits for next (named for a stop that does not finish in time). */
  async stop(onStep: (waitingFor: string) => void = () => undefined): Promise<void> {
    // The fleet first, so its bots do not chase nodes that are going away.
    onStep('the simulator fleet to stop');
    await this.simulator.stop();
    this.fleets.stop();
    if (this.ticker) clearInterval(this.ticker);
    if (this.peerSweeper) clearInterval(this.peerSweeper);
    this.surveys.stop();
    this.moves.stop();
    for (const dispose of this.disposers.splice(0)) dispose();
    for (const f of this.faults.values()) clearTimeout(f.timer);
    this.faults.clear();
    onStep('the nodes to exit');
    await this.pool.stop();
    this.disposeFanout();
    this.upkeep.stop();
    this.events.stop();
    onStep('the engine to stop');
    if (this.ownsEngine) await this.engine.stop();
  }

  /** The engine as the admin snapshot shows it: kind and control liveness, and its link when it has a server. */
  engineStatus(): EngineStatus {
    const health = this.engine.health?.();
    return health ? { ...this.upkeep.status(), ...health } : { ...this.upkeep.status(), link: 'connected' };
  }

  /** This supervisor first, then every other one in view. */
  supervisorViews(): SupervisorView[] {
    // Counts only: the full heartbeat (node snapshots) is built once a second for the bus, not again here.
    const procs = this.pool.all();
    const self: SupervisorView = {
      id: this.id, self: true, heardAt: this.upkeep.status().controlHeardAt, engine: this.engineStatus(),
      nodes: procs.length, connections: procs.reduce((n, p) => n + (!p.exited && p.stats ? p.stats.connections : 0), 0),
      publicationsPerSec: round1(this.published.perSecond), standbyNodes: this.pool.standbyCount,
    };
    return [self, ...this.peers.list().map(({ beat, heardAt }): SupervisorView => ({
      id: beat.supervisor, self: false, heardAt,
      engine: beat.engine ?? { kind: this.engine.kind, supervisor: beat.supervisor, controlHeardAt: 0 },
      nodes: beat.nodes.length, connections: beat.totals.connections, publicationsPerSec: beat.totals.publishedPerSec ?? 0,
    }))];
  }

  /** Receives 1 Hz snapshots. Returns a dispose. */
  onSnapshot(listener: (s: ReturnType<ClusterMetrics['tick']>) => void): () => void {
    this.snapshotListeners.add(listener);
    return () => this.snapshotListeners.delete(listener);
  }

  /** A sessions command to one node (its fallback answer when the node is gone or silent). */
  toNode<K extends SupervisorRequestName>(id: string, op: K, req: SupervisorRequests[K]['req']): Promise<SupervisorRequests[K]['res']> {
    const p = this.pool.get(id);
    return p ? p.request(op, req, FALLBACKS[op]) : Promise.resolve(FALLBACKS[op]);
  }

  /** A sessions command to every live node. */
  toAllNodes<K extends SupervisorRequestName>(op: K, req: SupervisorRequests[K]['req']): Promise<SupervisorRequests[K]['res'][]> {
    return Promise.all(this.pool.all().filter((p) => !p.exited).map((p) => p.request(op, req, FALLBACKS[op])));
  }

  /** The node's state as the console shows it: injected faults first, then derived health. */
  stateOf(id: NodeId, now: number): NodeState {
    const fault = this.faults.get(id);
    const base = this.pool.state(id, now);
    if (fault && base !== 'down' && base !== 'restarting') return fault.kind === 'hang' ? 'hung' : 'partitioned';
    return base;
  }

  private tick(): void {
    const now = Date.now();
    if (now - this.lastTick > 3000) this.resumedAt = now;
    this.rates.tick(now - this.lastTick);
    this.published.tick(now - this.lastTick);
    this.lastTick = now;
    for (const p of this.pool.all()) p.expire(now, NODE_REQUEST_TIMEOUT_MS);
    this.noteHealthChanges(now);
    this.replaceUnresponsive(now);
    this.upkeep.tick(now);
    const snapshot = this.metrics.tick(now);
    for (const l of this.snapshotListeners) l(snapshot);
  }

  private heartbeat(now: number): Pick<SupervisorHeartbeat, 'nodes' | 'totals' | 'engine' | 'alertCounts'> {
    const procs = this.pool.all();
    const alertCounts = this.alertCounts();
    const up = procs.filter((p) => !p.exited && p.stats);
    const byId = new Map<string, NodeProcess>(procs.map((p) => [p.id, p]));
    return {
      nodes: this.nodeSnapshots(now).map((n) => {
        const p = byId.get(n.id);
        return { ...n, incarnation: p?.incarnation ?? n.id, channels: p ? this.registry.channelCountOn(p.id) : 0 };
      }),
      totals: {
        connections: up.reduce((n, p) => n + p.stats!.connections, 0),
        subscriptions: up.reduce((n, p) => n + p.stats!.subscriptions, 0),
        publications: this.rates.total,
        users: this.registry.userCount,
        channels: this.registry.channelCounts().size,
        publishedPerSec: round1(this.published.perSecond),
      },
      engine: this.engineStatus(),
      ...(alertCounts ? { alertCounts } : {}),
    };
  }

  /** This supervisor's nodes, then every other supervisor's as its last heartbeat reported them. */
  private clusterNodes(now: number): NodeSnapshot[] {
    const nodes = this.nodeSnapshots(now);
    for (const { beat } of this.peers.list()) {
      for (const { incarnation: _incarnation, channels: _channels, ...n } of beat.nodes) {
        nodes.push({ ...n, id: remoteNodeId(beat.supervisor, n.id), supervisor: beat.supervisor });
      }
    }
    return nodes;
  }

  /** Where this supervisor's heartbeat reads its alert counts from, for every other supervisor's rules. */
  shareAlertCounts(counts: () => HeartbeatAlertCounts | null): void {
    this.alertCounts = counts;
  }

  /** What the other supervisors counted for the alert rules, from their latest heartbeats. */
  peerAlertCounts(): { supervisor: string; counts: HeartbeatAlertCounts }[] {
    return this.peers.list().flatMap(({ beat }) => (beat.alertCounts ? [{ supervisor: beat.supervisor, counts: beat.alertCounts }] : []));
  }

  private sweepPeers(): void {
    if (!this.peers.sweep(Date.now())) return;
    // Its nodes leave every console now, not at the next tick.
    const snapshot = this.metrics.tick(Date.now());
    for (const l of this.snapshotListeners) l(snapshot);
  }

  /**
   * A supervisor missed 3 heartbeats: the presence its nodes owned goes now (with leave pushes),
   * not a TTL later. Every survivor tries; the engine removes each entry once, so one of them reaps it.
   */
  private async peerLeft(beat: SupervisorHeartbeat): Promise<void> {
    let reaped = 0;
    // Only a supervisor that still hears its own heartbeat knows the other one is the silent one:
    // with its own subscription deaf (or Redis down), every peer seems gone and nothing is removed.
    const ownSilenceMs = Date.now() - this.upkeep.status().controlHeardAt;
    if (ownSilenceMs > OWN_BEAT_FRESH_MS) {
      process.stderr.write(`switchboard: supervisor ${beat.supervisor} left the view, but this supervisor has not heard its own heartbeat for ${(ownSilenceMs / 1000).toFixed(1)} s either: its presence entries are left to expire\n`);
      this.events.emit({ type: 'supervisor.left', supervisor: beat.supervisor, nodes: beat.nodes.length, reaped: 0 });
      return;
    }
    try {
      for (const n of beat.nodes) {
        const left = await this.presence.removeOwner(n.incarnation);
        reaped += left.length;
        await publishLeaves(left, { broker: this.broker, channels: this.config.channels });
      }
    } catch (e) {
      process.stderr.write(`switchboard: removing the presence of ${beat.supervisor} failed: ${(e as Error).message}\n`);
    }
    process.stderr.write(`switchboard: supervisor ${beat.supervisor} missed 3 heartbeats: ${beat.nodes.length} nodes left the view, ${reaped} presence entries removed\n`);
    this.events.emit({ type: 'supervisor.left', supervisor: beat.supervisor, nodes: beat.nodes.length, reaped });
  }

  /** Health derived from report age (faults aside): a node that stops reporting, and comes back. */
  private noteHealthChanges(now: number): void {
    for (const p of this.pool.all()) {
      const health = p.health(now);
      const before = this.lastHealth.get(p.id);
      this.lastHealth.set(p.id, health);
      if (before === 'healthy' && health === 'unhealthy') this.events.emit({ type: 'node.unhealthy', node: p.id });
      if (before === 'unhealthy' && health === 'healthy') this.events.emit({ type: 'node.recovered', node: p.id });
    }
  }

  /**
   * A node silent past `nodeUnresponsiveTimeoutMs` (hung, stopped, or its loop blocked) is killed
   * and replaced; a shorter silence (a short hang) heals by itself. Time this process was frozen
   * itself does not count against the nodes: their reports waited in the pipe.
   */
  private replaceUnresponsive(now: number): void {
    for (const p of this.pool.all()) {
      if (!p.ready || p.exited || !p.child || p.killedUnresponsive) continue;
      const silentMs = now - Math.max(p.lastSeenAt, this.resumedAt);
      if (silentMs < this.config.nodeUnresponsiveTimeoutMs) continue;
      process.stderr.write(`switchboard: ${p.id} (pid ${p.pid}) sent no report for ${Math.round(silentMs / 100) / 10} s: killing it (SIGKILL) to replace it\n`);
      this.events.emit({ type: 'node.unresponsive', node: p.id, pid: p.pid, silentMs });
      this.pool.replaceUnresponsive(p.id);
    }
  }

  private nodeSnapshots(now: number): NodeSnapshot[] {
    return this.pool.all().map((p): NodeSnapshot => {
      const up = !p.exited && p.child !== null;
      const s = up ? p.stats : null;
      const fault = this.faults.get(p.id);
      const drain = this.moves.progress(p.id);
      return {
        id: p.id,
        supervisor: this.id,
        pid: p.pid,
        state: this.stateOf(p.id, now),
        uptimeMs: up ? now - p.startedAt : 0,
        restarts: this.pool.restarts(p.id),
        connections: s?.connections ?? 0,
        users: s?.users ?? 0,
        subscriptions: s?.subscriptions ?? 0,
        messagesInPerSec: up ? round1(p.rates.messagesIn) : 0,
        messagesOutPerSec: up ? round1(p.rates.messagesOut) : 0,
        bytesInPerSec: up ? Math.round(p.rates.bytesIn) : 0,
        bytesOutPerSec: up ? Math.round(p.rates.bytesOut) : 0,
        cpuPercent: up ? round1(p.rates.cpuPercent) : 0,
        rss: s?.rss ?? 0,
        heapUsed: s?.heapUsed ?? 0,
        loopDelayP50Ms: s?.loopDelayP50 ?? 0,
        loopDelayP99Ms: s?.loopDelayP99 ?? 0,
        ...(fault ? { fault: { kind: fault.kind, until: fault.until } } : {}),
        ...(drain ? { drain } : {}),
        ...(up && Number.isFinite(p.maxConnections) ? { maxConnections: p.maxConnections } : {}),
      };
    });
  }

  private onNodeMessage(node: NodeProcess, msg: NodeMessage): void {
    switch (msg.t) {
      case 'session.opened':
        this.registry.openSession(node.id, msg.session);
        this.events.emit({ type: 'client.connected', node: node.id, client: msg.session.client, user: msg.session.user, remote: msg.session.remote });
        return;
      case 'presence.refresh':
        // A partitioned node's broker traffic is lost, its refreshes with it.
        if (node.partitioned) return;
        this.presence.refresh(node.incarnation, msg.entries).catch((e: Error) => process.stderr.write(`switchboard: presence refresh from ${node.id} failed: ${e.message}\n`));
        return;
      case 'session.closed': {
        const s = this.registry.closeSession(msg.client);
        this.events.emit({ type: 'client.disconnected', node: node.id, client: msg.client, user: s?.user ?? '', code: msg.code, reason: msg.reason });
        return;
      }
      case 'req':
        return this.answer(node, msg);
      default:
        return;
    }
  }

  private answer(node: NodeProcess, msg: Extract<NodeMessage, { t: 'req' }>): void {
    // A partitioned node's broker traffic is lost; only its unsubscribes (bookkeeping) get through.
    if (node.partitioned && msg.op !== 'broker.unsubscribe') {
      // Position checks expect a map (an empty one: nothing known); the rest a Result.
      node.send({ t: 'res', id: msg.id, res: msg.op === 'broker.positions' ? {} : err(Errors.internal) });
      return;
    }
    const handler = this.ops[msg.op] as (n: NodeId, r: unknown) => Promise<unknown>;
    handler(node.id, msg.req).then(
      (res) => node.send({ t: 'res', id: msg.id, res }),
      (e: Error) => {
        process.stderr.write(`switchboard: ${msg.op} from ${node.id} failed: ${e.stack ?? e}\n`);
        node.send({ t: 'res', id: msg.id, res: err(Errors.internal) });
      },
    );
  }

  private onNodeUp(node: NodeProcess): void {
    const again = this.everStarted.has(node.id);
    this.everStarted.add(node.id);
    this.events.emit({ type: again ? 'node.restarted' : 'node.started', node: node.id, pid: node.pid });
  }

  private onNodeDown(node: NodeProcess, code: number | null, signal: NodeJS.Signals | null): void {
    const fault = this.faults.get(node.id);
    if (fault) {
      // The process is gone, and with it the fault.
      clearTimeout(fault.timer);
      this.faults.delete(node.id);
      node.partitioned = false;
      this.events.emit({ type: 'fault.healed', node: node.id, fault: fault.kind });
    }
    this.events.emit({ type: 'node.down', node: node.id, code, signal });
    this.proxyHealth.retire(node);
    // Its clients lost their connections with it (they saw the TCP connection vanish: 1006).
    for (const s of this.registry.sessions.values()) {
      if (s.node !== node.id) continue;
      this.events.emit({ type: 'client.disconnected', node: node.id, client: s.client, user: s.user, code: 1006, reason: `${node.id} went down` });
    }
    dropNodeState(node.id, node.incarnation, { registry: this.registry, broker: this.broker, presence: this.presence, channels: this.config.channels, lock: this.channelLock })
      .catch((e: Error) => process.stderr.write(`switchboard: dropping ${node.id}'s state failed: ${e.message}\n`));
  }
}
