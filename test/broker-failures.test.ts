/**
 * A broker (and presence) that rejects never takes the supervisor down (issue 10 §1): every path
 * that reaches it answers an error — client subscribe, publish and presence 100, the HTTP API 100,
 * the console 500 — nothing rejects unhandled (the crash policy would end the cluster on one), and
 * once the engine answers again everything works. The engine is the real memory engine, wrapped in
 * a decorator that makes chosen methods reject while `failing` is set.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminErrors } from '../shared/admin/admin-api.js';
import { createMemoryEngine, defaultClusterConfig, startCluster } from '../embedded-server/index.js';
import type { ClusterConfig, Engine } from '../embedded-server/index.js';
import type { AdminClient } from './support/admin-client.js';
import { adminError, eventAfter, eventMark, openAdmin } from './support/admin-helpers.js';
import { connectRaw } from './support/raw-peer.js';
import type { RawPeer } from './support/raw-peer.js';
import { sleep, TestCluster } from './support/test-cluster.js';

const FAILING_BROKER = new Set(['publish', 'subscribe', 'position', 'history', 'publishJoin', 'publishLeave']);
const FAILING_PRESENCE = new Set(['add', 'list', 'stats']);

/** The real object, whose methods named in `names` reject while `on()` says so. */
function failable<T extends object>(inner: T, names: Set<string>, on: () => boolean): T {
  return new Proxy(inner, {
    get(target, key) {
      const v = Reflect.get(target, key, target) as unknown;
      if (typeof v !== 'function') return v;
      const method = (v as (...a: unknown[]) => unknown).bind(target);
      if (typeof key !== 'string' || !names.has(key)) return method;
      return (...args: unknown[]) => (on() ? Promise.reject(new Error(`engine unreachable (${key})`)) : method(...args));
    },
  });
}

describe('a broker that rejects', () => {
  let failing = false;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => void unhandled.push(e);
  let memory: Engine;
  let cluster: TestCluster;
  let admin: AdminClient;
  let peer: RawPeer;

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    memory = createMemoryEngine();
    const engine: Engine = {
      kind: memory.kind,
      broker: failable(memory.broker, FAILING_BROKER, () => failing),
      presence: failable(memory.presence, FAILING_PRESENCE, () => failing),
      control: memory.control,
      stop: () => memory.stop(),
    };
    const base = defaultClusterConfig();
    const config: ClusterConfig = { ...base, nodes: 1, statsIntervalMs: 250, restartBackoffMinMs: 100 };
    cluster = new TestCluster(await startCluster(config, { engine }), config);
    admin = await openAdmin(cluster);
    peer = await connectRaw(cluster, 'ria');
    peer.send({ id: 2, subscribe: { channel: 'chat:steady' } });
    assert.ok('subscribe' in (await peer.reply(2)));
  });

  after(async () => {
    failing = false;
    await cluster?.stop();
    await memory?.stop();
    process.off('unhandledRejection', onUnhandled);
  });

  it('answers a client subscribe with error 100 (temporary), and the same subscribe succeeds once the broker is back', async () => {
    failing = true;
    peer.send({ id: 10, subscribe: { channel: 'chat:flaky' } });
    assert.deepEqual((await peer.reply(10)).error, { code: 100, message: 'internal server error', temporary: true });
    failing = false;
    peer.send({ id: 11, subscribe: { channel: 'chat:flaky' } });
    assert.ok('subscribe' in (await peer.reply(11)), 'the retry was refused');
  });

  it('answers a client publish and a presence request with error 100', async () => {
    failing = true;
    peer.send({ id: 20, publish: { channel: 'chat:steady', data: { text: 'hi' } } }, { id: 21, presence: { channel: 'chat:steady' } });
    assert.equal(((await peer.reply(20)).error as { code?: number } | undefined)?.code, 100);
    assert.equal(((await peer.reply(21)).error as { code?: number } | undefined)?.code, 100);
    failing = false;
  });

  it('answers the HTTP API publish and broadcast with error 100, and the console publish with 500', async () => {
    failing = true;
    const published = await cluster.api('publish', { channel: 'chat:steady', data: { text: 'x' } });
    assert.deepEqual(published.body, { error: { code: 100, message: 'internal server error' } });
    const broadcast = await cluster.api('broadcast', { channels: ['chat:steady'], data: { text: 'x' } });
    assert.deepEqual(broadcast.body, { result: { responses: [{ error: { code: 100, message: 'internal server error' } }] } });
    const refused = await adminError(admin, 'channel.publish', { channel: 'chat:steady', data: { text: 'x' } });
    assert.equal(refused.code, AdminErrors.internal);
    failing = false;
  });

  it('survives a partition that heals while the broker rejects (the positions sent to the node)', async () => {
    const mark = eventMark(admin);
    const node = cluster.handle.nodes()[0]!.id;
    failing = true;
    await admin.request('node.partition', { node, seconds: 1 });
    await eventAfter(admin, mark, 'fault.healed', (e) => e.node === node, 5000);
    await sleep(200);
    failing = false;
    assert.deepEqual(unhandled.map(String), []);
  });

  it('delivers publications again once the broker answers, with no unhandled rejection along the way', async () => {
    const published = await cluster.api('publish', { channel: 'chat:steady', data: { text: 'back' } });
    assert.ok((published.body as { result?: unknown }).result, published.text);
    const pushes = () => peer.received.filter((m) => (m.push as { pub?: { data?: { text?: string } } } | undefined)?.pub?.data?.text === 'back');
    for (let i = 0; i < 100 && pushes().length === 0; i++) await sleep(20);
    assert.equal(pushes().length, 1);
    assert.deepEqual(unhandled.map(String), []);
  });
});
