/** The one public entry of the embedded server (STYLE.md §1): the cluster and its configuration. */
export { startCluster } from './supervisor/cluster.js';
export type { ClusterHandle } from './supervisor/cluster.js';
export type { ClusterConfig, RoutingStrategy } from './config/cluster-config.js';
export { ROUTING_STRATEGIES } from './config/cluster-config.js';
export * from './config/index.js';
