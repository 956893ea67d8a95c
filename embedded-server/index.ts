/** The one public entry of the embedded server (STYLE.md §1): the cluster and its configuration. */
export { startCluster } from './supervisor/cluster.js';
export type { ClusterHandle, StartClusterOptions } from './supervisor/cluster.js';
export type { ControlBus, Engine, PresenceEngine } from './engine/engine.js';
export { createMemoryEngine } from './engine/memory-engine.js';
export type { MemoryEngineOptions } from './engine/memory-engine.js';
export { createRedisEngine } from './engine/redis/redis-engine.js';
export type { RedisEngineOptions } from './engine/redis/redis-engine.js';
export type { ClusterConfig, RoutingStrategy } from './config/cluster-config.js';
export { ROUTING_STRATEGIES } from './config/cluster-config.js';
export * from './config/index.js';
/** The metrics history store, for bench/history-write.ts (the cluster makes its own from `dataDir`). */
export { MetricsHistoryStore } from './supervisor/metrics-history/history-store.js';
