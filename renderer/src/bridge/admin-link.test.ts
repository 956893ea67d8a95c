/** The console's admin link against a real cluster (Node's `ws` stands in for the browser WebSocket). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket as NodeWebSocket } from 'ws';
import { defaultClusterConfig, startCluster } from '../../../embedded-server/index.js';
import type { ClusterHandle } from '../../../embedded-server/index.js';
import type { AdminPushFrame } from '../../../shared/admin/admin-api.js';
import { AdminCallError, AdminLink } from './admin-link.js';
import type { LinkState } from './admin-link.js';

(globalThis as unknown as { WebSocket: unknown }).WebSocket ??= NodeWebSocket;

function recorder() {
  const states: LinkState[] = [];
  const pushes: AdminPushFrame[] = [];
  return { states, pushes, handlers: { state: (s: LinkState) => states.push(s), push: (f: AdminPushFrame) => pushes.push(f) } };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 8000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the admin link', () => {
  let cluster: ClusterHandle;
  before(async () => {
    cluster = await startCluster(defaultClusterConfig({ nodes: 1 }));
  });
  after(() => cluster.stop());

  it('connects with the token, receives hello, series and snapshots, and answers requests', async () => {
    const r = recorder();
    const link = new AdminLink({ url: cluster.adminUrl, token: cluster.adminToken }, r.handlers);
    link.start();
    await until(() => r.states.includes('connected'), 'connected');
    await until(() => r.pushes.some((p) => p.push === 'snapshot'), 'a snapshot');
    assert.deepEqual(r.pushes.slice(0, 2).map((p) => p.push), ['hello', 'series']);
    const snapshot = await link.request('cluster.snapshot', {});
    assert.equal(snapshot.nodes.length, 1);
    link.stop();
  });

  it('rejects with the server error for a bad request and stays usable', async () => {
    const r = recorder();
    const link = new AdminLink({ url: cluster.adminUrl, token: cluster.adminToken }, r.handlers);
    link.start();
    await until(() => r.states.includes('connected'), 'connected');
    await assert.rejects(link.request('node.kill', { node: 'node-99' }), (e: unknown) => e instanceof AdminCallError && e.code === 404);
    assert.equal((await link.request('connections.query', {})).total, 0);
    link.stop();
  });

  it('says the token was refused instead of retrying forever', async () => {
    const r = recorder();
    const link = new AdminLink({ url: cluster.adminUrl, token: 'not-the-token' }, r.handlers);
    link.start();
    await until(() => r.states.includes('token-refused'), 'token-refused');
    assert.ok(!r.states.includes('connected'));
    link.stop();
  });

  it('asks for a token when it has none', () => {
    const r = recorder();
    new AdminLink({ url: cluster.adminUrl, token: null }, r.handlers).start();
    assert.deepEqual(r.states, ['no-token']);
  });
});
