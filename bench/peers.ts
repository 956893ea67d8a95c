/**
 * The peers measured side by side, and how the bench starts each one and talks to it: the server
 * script, the thin client kind in the generator, the channel name, and the publish request.
 */
import { randomBytes } from 'node:crypto';
import type { BenchServer, Cpus } from './children.js';
import { ServerProcess } from './children.js';
import { RedisCluster } from './redis-cluster.js';
import { NODE_V8_FLAGS, SUPERVISOR_V8_FLAGS } from '../shared/v8-flags.js';
import type { ClientKind } from './generator.js';

export type PeerId = 'ws' | 'ws-co' | 'sio' | 'sio-cluster' | 'sb1' | 'sb2' | 'sb2-console' | 'sb3' | 'sb2-redis';

export interface Peer {
  id: PeerId;
  label: string;
  kind: ClientKind;
  script: string;
  args: Record<string, unknown>;
  /** Channel (room) name for a given base: Switchboard channels live in the `feed` namespace. */
  channel(base: string): string;
  /** Whether an admin client watches the cluster during the run (the console-cost workload). */
  console?: boolean;
  /** Switchboard on the Redis engine: this many supervisors (each with `args.nodes` nodes) on one redis-server the bench starts. */
  redisSupervisors?: number;
}

/** Secrets shared by every Switchboard server of one bench invocation (so tokens can be minted). */
export const BENCH_SECRETS = {
  tokenSecret: randomBytes(24).toString('hex'),
  apiKey: randomBytes(16).toString('hex'),
  adminToken: randomBytes(16).toString('hex'),
};

const plain = (base: string): string => base;
const feed = (base: string): string => `feed:${base}`;

function switchboard(id: PeerId, nodes: number, label: string, console = false): Peer {
  return {
    id, label, kind: 'sb', script: './servers/switchboard.ts', channel: feed, console,
    args: { nodes, ...BENCH_SECRETS },
  };
}

export const PEERS: Record<PeerId, Peer> = {
  ws: { id: 'ws', label: 'raw ws (1 process)', kind: 'raw', script: './servers/raw-ws.ts', args: {}, channel: plain },
  'ws-co': { id: 'ws-co', label: 'raw ws, coalesced (1 process)', kind: 'raw', script: './servers/raw-ws-coalesced.ts', args: {}, channel: plain },
  sio: { id: 'sio', label: 'Socket.IO 4 (1 process)', kind: 'sio', script: './servers/socketio.ts', args: {}, channel: plain },
  'sio-cluster': {
    id: 'sio-cluster', label: 'Socket.IO 4 cluster (2 workers)', kind: 'sio', script: './servers/socketio-cluster.ts',
    args: { workers: 2 }, channel: plain,
  },
  sb1: switchboard('sb1', 1, 'Switchboard (1 node)'),
  sb2: switchboard('sb2', 2, 'Switchboard (2 nodes)'),
  'sb2-console': switchboard('sb2-console', 2, 'Switchboard (2 nodes) + console', true),
  sb3: switchboard('sb3', 3, 'Switchboard (3 nodes)'),
  'sb2-redis': { ...switchboard('sb2-redis', 1, 'Switchboard Redis engine (2 supervisors × 1 node)'), redisSupervisors: 2 },
};

/** The memory-engine peer the Redis engine is compared with: the same 2 nodes, under one supervisor. */
export const REDIS_BASELINE: PeerId = 'sb2';

/**
 * The Node/V8 flags of every server process (`--v8-flags=`): `shipped` = Switchboard's own
 * (shared/v8-flags.ts) for every peer, `default` = none for every peer, Switchboard included.
 */
export type V8FlagsMode = 'shipped' | 'default';
export const V8_FLAGS_MODES: readonly V8FlagsMode[] = ['shipped', 'default'];

/** The flags of a peer's root process and (Switchboard) of its nodes; Socket.IO workers inherit the root's. */
export function v8FlagsOf(mode: V8FlagsMode): { root: readonly string[]; nodes: readonly string[] } {
  return mode === 'shipped' ? { root: SUPERVISOR_V8_FLAGS, nodes: NODE_V8_FLAGS } : { root: [], nodes: [] };
}

export function startPeer(peer: Peer, cpus: Cpus, v8Flags: V8FlagsMode = 'shipped'): Promise<BenchServer> {
  const flags = v8FlagsOf(v8Flags);
  const args = peer.kind === 'sb' ? { ...peer.args, nodeV8Flags: [...flags.nodes] } : peer.args;
  if (peer.redisSupervisors !== undefined) {
    return RedisCluster.start({ script: peer.script, args, supervisors: peer.redisSupervisors, execArgv: flags.root }, cpus);
  }
  return ServerProcess.start(peer.script, args, cpus, flags.root);
}
