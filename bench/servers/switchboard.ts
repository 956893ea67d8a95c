/**
 * Switchboard as deployed: `startCluster` (the supervisor with its gateway, HTTP API and admin API)
 * in this process, its nodes as child processes. Publications go through the real server HTTP API
 * (`POST /api/publish` with the API key); clients connect with tokens through the gateway.
 */
import { defaultClusterConfig, startCluster } from '../../embedded-server/index.js';
import { announce, onStop, serverArgs } from './common.js';

interface Args {
  nodes: number;
  tokenSecret: string;
  apiKey: string;
  adminToken: string;
}

const args = serverArgs<Args>();
const base = defaultClusterConfig({ nodes: args.nodes, host: '127.0.0.1', port: 0, adminPort: 0, apiKey: args.apiKey, adminToken: args.adminToken });
const config = { ...base, client: { ...base.client, tokenHmacSecret: args.tokenSecret } };
const handle = await startCluster(config);

announce({
  clientUrl: handle.clientUrl,
  publishUrl: `${handle.apiUrl}/publish`,
  publishHeaders: { 'x-api-key': args.apiKey },
  adminUrl: handle.adminUrl,
  adminToken: handle.adminToken,
}, () => {
  const nodes = handle.nodes();
  return { pids: [process.pid, ...nodes.map((n) => n.pid).filter((p) => p > 0)], nodes };
});

onStop(() => handle.stop());
