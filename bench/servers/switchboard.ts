/**
 * Switchboard as deployed: `startCluster` (the supervisor with its gateway, HTTP API and admin API)
 * in this process, its nodes as child processes. Publications go through the real server HTTP API
 * (`POST /api/publish` with the API key); clients connect with tokens through the gateway.
 *
 * With `redis`, the supervisor runs on the Redis engine (`engine.type: redis`, as
 * `switchboard serve --engine redis --redis-url …` does) under `name` (`cluster.name`); several of
 * these processes on one Redis and one prefix form one cluster.
 *
 * This script runs under tsx (bench/children.ts); the cluster it starts is the compiled build when
 * there is a fresh one (bench/run.ts builds it first).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Cluster from '../../embedded-server/index.js';
import { serverRuntime } from '../../bin/server-build.js';
import { announce, onStop, serverArgs } from './common.js';

// What ships: the compiled cluster (its nodes then run node-main.js under plain Node) when the build
// is fresh, by the same rule as bin/switchboard.js; else the sources, as the report header says.
const runtime = serverRuntime(fileURLToPath(new URL('../..', import.meta.url)), process.env);
const { defaultClusterConfig, startCluster } = runtime.runtime === 'compiled'
  ? (await import(pathToFileURL(runtime.index).href)) as typeof Cluster
  : await import('../../embedded-server/index.js');

interface Args {
  nodes: number;
  tokenSecret: string;
  apiKey: string;
  adminToken: string;
  /** `cluster.name` (the supervisor's id); default: a random one. */
  name?: string;
  /** The Redis engine: address (`redis://127.0.0.1:P`) and key prefix; absent: the memory engine. */
  redis?: { address: string; prefix: string };
  /** The nodes' Node/V8 flags (the bench gives every peer the same); absent: Switchboard's own, NODE_V8_FLAGS. */
  nodeV8Flags?: string[];
}

const args = serverArgs<Args>();
const base = defaultClusterConfig({ nodes: args.nodes, host: '127.0.0.1', port: 0, adminPort: 0, apiKey: args.apiKey, adminToken: args.adminToken });
const config = {
  ...base,
  ...(args.name ? { name: args.name } : {}),
  ...(args.redis ? { engine: { ...base.engine, type: 'redis' as const, redis: { ...base.engine.redis, ...args.redis } } } : {}),
  client: { ...base.client, tokenHmacSecret: args.tokenSecret },
};
const handle = await startCluster(config, args.nodeV8Flags ? { nodeV8Flags: args.nodeV8Flags } : {});

announce({
  clientUrl: handle.clientUrl,
  publishUrl: `${handle.apiUrl}/publish`,
  publishHeaders: { 'x-api-key': args.apiKey },
  adminUrl: handle.adminUrl,
  adminToken: handle.adminToken,
}, () => {
  const nodes = handle.nodes();
  // The warm standby node (cluster.standby_nodes) is part of the server: its memory and CPU count too.
  return { pids: [process.pid, ...nodes.map((n) => n.pid).filter((p) => p > 0), ...handle.standbyPids()], nodes };
});

onStop(() => handle.stop());
