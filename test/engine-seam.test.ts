/**
 * The engine seam on a real cluster: startCluster takes an engine; presence lives on it with a TTL
 * that nodes refresh; the supervisor beats on the control bus, hears itself, and names its nodes'
 * incarnations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Centrifuge } from 'centrifuge';
import type { SupervisorHeartbeat } from '../shared/engine/control-messages.js';
import { createMemoryEngine, defaultClusterConfig, startCluster } from '../embedded-server/index.js';
import type { ClusterConfig, Engine } from '../embedded-server/index.js';
import { AdminClient } from './support/admin-client.js';
import { sleep, TestCluster, waitFor } from './support/test-cluster.js';

const PRESENCE_TTL_MS = 1_500;

async function startWith(engine: Engine, overrides: Partial<ClusterConfig> = {}): Promise<TestCluster> {
  const base = defaultClusterConfig();
  const config: ClusterConfig = {
    ...base, nodes: 1, statsIntervalMs: 250, restartBackoffMinMs: 100, name: 'sb-seam', ...overrides,
    client: { ...base.client, presenceUpdateIntervalMs: 400 },
  };
  return new TestCluster(await startCluster(config, { engine }), config);
}

async function connected(c: Centrifuge): Promise<Centrifuge> {
  c.connect();
  await c.ready(5000);
  return c;
}

describe('a cluster on an engine handed to startCluster', () => {
  let engine: Engine;
  let cluster: TestCluster;
  let admin: AdminClient;
  const beats: SupervisorHeartbeat[] = [];
  before(async () => {
    engine = createMemoryEngine({ presenceTtlMs: PRESENCE_TTL_MS });
    engine.control.subscribe((m) => void (m.type === 'supervisor.heartbeat' && beats.push(m)));
    cluster = await startWith(engine);
    admin = cluster.track(await AdminClient.connect(cluster.handle));
  });
  after(async () => {
    await cluster.stop();
    await engine.stop();
  });

  it('keeps a connected client in presence past the presence TTL, because its node refreshes the entry', async () => {
    const c = await connected(await cluster.client('ann'));
    const sub = c.newSubscription('chat:refreshed');
    sub.subscribe();
    await sub.ready(5000);
    await sleep(PRESENCE_TTL_MS * 2);
    assert.deepEqual(Object.values((await sub.presence()).clients).map((i) => i.user), ['ann']);
    assert.deepEqual(Object.values(await engine.presence.list('chat:refreshed')).map((i) => i.user), ['ann'], 'the cluster used the engine it was given');
  });

  it('drops the entry of an owner nobody cleans up after within the TTL, with a leave push to join/leave subscribers', async () => {
    const c = await connected(await cluster.client('bob'));
    const sub = c.newSubscription('chat:orphans', { joinLeave: true });
    const leaves: string[] = [];
    sub.on('leave', (ctx) => leaves.push(ctx.info.user));
    sub.subscribe();
    await sub.ready(5000);
    await engine.presence.add('chat:orphans', { user: 'ghost', client: 'c-ghost' }, 'sb-gone/node-9#0');
    assert.equal((await sub.presenceStats()).numClients, 2);
    await waitFor(() => leaves.includes('ghost'), { timeoutMs: PRESENCE_TTL_MS + 5_000, what: "the ghost's leave push" });
    assert.deepEqual(Object.values((await sub.presence()).clients).map((i) => i.user), ['bob']);
  });

  it('shows the engine and when the supervisor last heard its own heartbeat in the admin snapshot', async () => {
    const first = await admin.snapshotWhere((s) => (s.engine?.controlHeardAt ?? 0) > 0, 5_000, 'a heard heartbeat');
    assert.equal(first.engine?.kind, 'memory');
    assert.equal(first.engine?.supervisor, 'sb-seam');
    assert.ok(first.at - first.engine!.controlHeardAt < 3_000, 'heard within the last beats');
    await admin.snapshotWhere((s) => (s.engine?.controlHeardAt ?? 0) > first.engine!.controlHeardAt, 5_000, 'a later heartbeat heard');
  });

  it('beats once a second with its id and its nodes\' incarnations, and a restarted node gets a new incarnation', async () => {
    await waitFor(() => beats.length >= 2, { timeoutMs: 5_000, what: 'two heartbeats' });
    const beat = beats[beats.length - 1]!;
    assert.equal(beat.supervisor, 'sb-seam');
    assert.deepEqual(beat.nodes.map((n) => [n.id, n.incarnation]), [['node-1', 'sb-seam/node-1#0']]);
    process.kill(cluster.pids()[0]!, 'SIGKILL');
    await waitFor(() => beats.at(-1)!.nodes.some((n) => n.incarnation === 'sb-seam/node-1#1' && n.state === 'healthy'), {
      timeoutMs: 10_000, what: 'node-1 back as incarnation #1',
    });
    assert.deepEqual(cluster.handle.nodes().map((n) => n.id), ['node-1'], 'the short id is unchanged');
  });
});

describe('a supervisor whose control bus delivers nothing', () => {
  it('reports controlHeardAt 0: hearing its own heartbeat is a real probe', async () => {
    const inner = createMemoryEngine();
    const deaf: Engine = { ...inner, kind: 'memory', control: { publish: async () => undefined, subscribe: () => () => undefined } };
    const cluster = await startWith(deaf, { name: 'sb-deaf' });
    try {
      const admin = cluster.track(await AdminClient.connect(cluster.handle));
      const seen = admin.snapshots.length;
      await waitFor(() => admin.snapshots.length >= seen + 2, { timeoutMs: 5_000, what: 'two more snapshots' });
      assert.deepEqual(admin.snapshot.engine, { kind: 'memory', supervisor: 'sb-deaf', controlHeardAt: 0, link: 'connected' });
    } finally {
      await cluster.stop();
      await inner.stop();
    }
  });
});
