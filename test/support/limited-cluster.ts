/**
 * A cluster in its own process, started by a test under a low open-file limit (`ulimit -n`, which
 * its nodes inherit): tells the parent its client URL, HTTP API URL, API key and token secret, and
 * stops when told to or when the parent goes.
 */
import { defaultClusterConfig, startCluster } from '../../embedded-server/index.js';

export interface LimitedClusterInfo {
  clientUrl: string;
  apiUrl: string;
  apiKey: string;
  tokenSecret: string;
  adminUrl: string;
  adminToken: string;
  nodePids: number[];
}

const base = defaultClusterConfig({ nodes: 1 });
const config = { ...base, statsIntervalMs: 250 };
const handle = await startCluster(config);
const info: LimitedClusterInfo = {
  clientUrl: handle.clientUrl,
  apiUrl: handle.apiUrl,
  apiKey: config.apiKey,
  tokenSecret: config.client.tokenHmacSecret,
  adminUrl: handle.adminUrl,
  adminToken: handle.adminToken,
  nodePids: handle.nodes().map((n) => n.pid),
};
process.send!(info);
const stop = (): void => {
  void handle.stop().finally(() => process.exit(0));
};
process.on('message', (m) => {
  if (m === 'stop') stop();
});
process.on('disconnect', stop);
