/**
 * Two supervisors on one in-process engine, one of them losing its control bus: a supervisor that
 * goes mute (its heartbeats stop reaching anyone) has its presence reaped by the one that still hears
 * itself, with leave pushes; a supervisor that goes deaf (it hears nobody, itself included) sees the
 * other leave its view but removes none of its presence, since it cannot tell who is silent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Centrifuge, Subscription } from 'centrifuge';
import type { ControlMessage } from '../shared/engine/control-messages.js';
import { createMemoryEngine, defaultClusterConfig, startCluster } from '../embedded-server/index.js';
import type { ClusterConfig, Engine } from '../embedded-server/index.js';
import { AdminClient } from './support/admin-client.js';
import { sleep, TestCluster, waitFor } from './support/test-cluster.js';

/** One shared engine as one supervisor sees it, with switches that cut its control bus either way. */
interface SwitchableEngine {
  engine: Engine;
  /** Its heartbeats (and every control message it sends) stop reaching anyone. */
  mute(): void;
  /** It stops hearing every control message, its own included. */
  deafen(): void;
}

function switchable(shared: Engine): SwitchableEngine {
  let muted = false;
  let deaf = false;
  const engine: Engine = {
    ...shared,
    kind: 'memory',
    control: {
      publish: (m: ControlMessage) => (muted ? Promise.resolve() : shared.control.publish(m)),
      subscribe: (listener) => shared.control.subscribe((m) => { if (!deaf) listener(m); }),
    },
    // The shared engine outlives both supervisors; the test stops it.
    stop: () => Promise.resolve(),
  };
  return { engine, mute: () => { muted = true; }, deafen: () => { deaf = true; } };
}

async function startOn(engine: Engine, name: string): Promise<TestCluster> {
  const base = defaultClusterConfig();
  const config: ClusterConfig = {
    ...base, nodes: 1, statsIntervalMs: 250, restartBackoffMinMs: 100, name,
    client: { ...base.client, presenceUpdateIntervalMs: 400 },
  };
  return new TestCluster(await startCluster(config, { engine }), config);
}

async function joined(cluster: TestCluster, user: string, channel: string): Promise<{ client: Centrifuge; sub: Subscription; leaves: string[] }> {
  const client = await cluster.client(user);
  client.connect();
  await client.ready(5_000);
  const sub = client.newSubscription(channel, { joinLeave: true });
  const leaves: string[] = [];
  sub.on('leave', (ctx) => leaves.push(ctx.info.user));
  sub.subscribe();
  await sub.ready(5_000);
  return { client, sub, leaves };
}

/** Starts A and B on one engine and waits until each lists the other. */
async function pairOn(shared: Engine, tag: string): Promise<{ a: TestCluster; b: TestCluster; aSide: SwitchableEngine; bSide: SwitchableEngine; adminB: AdminClient }> {
  const aSide = switchable(shared);
  const bSide = switchable(shared);
  const a = await startOn(aSide.engine, `sb-a-${tag}`);
  const b = await startOn(bSide.engine, `sb-b-${tag}`);
  const adminA = a.track(await AdminClient.connect(a.handle));
  const adminB = b.track(await AdminClient.connect(b.handle));
  await adminA.snapshotWhere((s) => (s.supervisors ?? []).some((v) => v.id === `sb-b-${tag}` && !v.self), 10_000, 'A lists B');
  await adminB.snapshotWhere((s) => (s.supervisors ?? []).some((v) => v.id === `sb-a-${tag}` && !v.self), 10_000, 'B lists A');
  return { a, b, aSide, bSide, adminB };
}

describe('a supervisor whose heartbeats stop reaching the other (mute)', () => {
  const shared = createMemoryEngine({ presenceTtlMs: 60_000 });
  let pair: Awaited<ReturnType<typeof pairOn>>;
  before(async () => {
    pair = await pairOn(shared, 'mute');
  });
  after(async () => {
    await pair?.a.stop();
    await pair?.b.stop();
    await shared.stop();
  });

  it('has its presence removed by the supervisor that still hears itself, with a leave push, long before the TTL', async () => {
    const ann = await joined(pair.a, 'ann', 'chat:lobby');
    const bob = await joined(pair.b, 'bob', 'chat:lobby');
    assert.deepEqual(Object.values((await bob.sub.presence()).clients).map((i) => i.user).sort(), ['ann', 'bob']);
    const mutedAt = Date.now();
    pair.aSide.mute();
    const left = await pair.adminB.eventWhere((e) => e.type === 'supervisor.left' && e.supervisor === 'sb-a-mute', 15_000, "A's supervisor.left on B");
    assert.ok(left.type === 'supervisor.left' && left.reaped >= 1, `B reaped A's entries: ${JSON.stringify(left)}`);
    await waitFor(() => bob.leaves.includes('ann'), { timeoutMs: 5_000, what: "bob's leave push for ann" });
    assert.deepEqual(Object.values((await bob.sub.presence()).clients).map((i) => i.user), ['bob']);
    assert.ok(Date.now() - mutedAt < 60_000, 'reaped by B, not expired by the TTL');
    // The mute supervisor still receives publications: its own client is told she left, like everyone.
    assert.deepEqual(ann.leaves, ['ann']);
  });
});

describe('a supervisor that hears no control message, its own heartbeat included (deaf)', () => {
  const shared = createMemoryEngine({ presenceTtlMs: 60_000 });
  let pair: Awaited<ReturnType<typeof pairOn>>;
  before(async () => {
    pair = await pairOn(shared, 'deaf');
  });
  after(async () => {
    await pair?.a.stop();
    await pair?.b.stop();
    await shared.stop();
  });

  it("sees the other leave its view but removes none of the other's presence, and no client hears a leave", async () => {
    const ann = await joined(pair.a, 'ann', 'chat:hall');
    const bob = await joined(pair.b, 'bob', 'chat:hall');
    pair.bSide.deafen();
    const left = await pair.adminB.eventWhere((e) => e.type === 'supervisor.left' && e.supervisor === 'sb-a-deaf', 15_000, "A's supervisor.left on deaf B");
    assert.ok(left.type === 'supervisor.left' && left.reaped === 0, `deaf B reaped nothing: ${JSON.stringify(left)}`);
    // Any leave B would have published would arrive within a turn or two; give it ample time.
    await sleep(1_000);
    assert.deepEqual(Object.values(await shared.presence.list('chat:hall')).map((i) => i.user).sort(), ['ann', 'bob']);
    assert.deepEqual([ann.leaves, bob.leaves], [[], []]);
  });
});
