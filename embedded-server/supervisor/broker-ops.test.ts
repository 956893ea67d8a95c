import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { asNodeId } from '../../shared/ids.js';
import type { SubscribeOp } from '../../shared/ipc/node-ipc.js';
import type { Broker } from '../broker/broker.js';
import { defaultChannelSettings } from '../config/default-namespaces.js';
import type { Engine, PresenceEngine } from '../engine/engine.js';
import { createMemoryEngine } from '../engine/memory-engine.js';
import { createBrokerOps } from './broker-ops.js';
import { EventLog } from './event-log.js';
import { RecoveryLog } from './recovery-log.js';
import { Registry } from './registry.js';

const NODE = asNodeId('node-1');
const CHANNEL = 'chat:room';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** The real object with some methods replaced (a test decorator, not a mock). */
function withOverrides<T extends object>(inner: T, overrides: Partial<T>): T {
  return new Proxy(inner, {
    get(target, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof T];
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * A real memory broker whose subscribe/unsubscribe wait for `gate` (when set) and may fail;
 * `live` holds the channels whose broker subscription completed, `reads` whether each position or
 * history read found its channel live.
 */
function controlledBroker(inner: Broker) {
  const state = {
    live: new Set<string>(),
    reads: [] as boolean[],
    subscribeCalls: 0,
    subscribeGate: null as Promise<void> | null,
    unsubscribeGate: null as Promise<void> | null,
    failSubscribe: 0,
    failUnsubscribe: 0,
  };
  const broker = withOverrides<Broker>(inner, {
    subscribe: async (channel) => {
      state.subscribeCalls++;
      if (state.subscribeGate) await state.subscribeGate;
      if (state.failSubscribe > 0 && state.failSubscribe--) throw new Error('broker unreachable');
      await inner.subscribe(channel);
      state.live.add(channel);
    },
    unsubscribe: async (channel) => {
      if (state.unsubscribeGate) await state.unsubscribeGate;
      if (state.failUnsubscribe > 0 && state.failUnsubscribe--) throw new Error('broker unreachable');
      await inner.unsubscribe(channel);
      state.live.delete(channel);
    },
    position: (channel, stream) => {
      state.reads.push(state.live.has(channel));
      return inner.position(channel, stream);
    },
    history: (channel, query, stream) => {
      state.reads.push(state.live.has(channel));
      return inner.history(channel, query, stream);
    },
  });
  return { broker, state };
}

const engines: Engine[] = [];
const logs: EventLog[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  for (const l of logs.splice(0)) l.stop();
});

function setUp(opts: { presence?: Partial<PresenceEngine> } = {}) {
  const engine = createMemoryEngine();
  engines.push(engine);
  const events = new EventLog();
  logs.push(events);
  const { broker, state } = controlledBroker(engine.broker);
  const presence = withOverrides(engine.presence, opts.presence ?? {});
  const registry = new Registry();
  const lines: string[] = [];
  const ops = createBrokerOps({
    broker, presence, ownerOf: (n) => `sv/${n}#1`, registry, channels: defaultChannelSettings(),
    recoveryMaxPublicationLimit: 100, events, recoveries: new RecoveryLog(), log: (line) => lines.push(line),
  });
  return { ops, state, registry, presence: engine.presence, lines };
}

const op = (client: string, extra: Partial<SubscribeOp> = {}): SubscribeOp => ({
  channel: CHANNEL, info: { client, user: `u-${client}` }, presence: true, emitJoinLeave: false, positioned: true, ...extra,
});
const unsub = (client: string) => ({ channel: CHANNEL, info: { client, user: `u-${client}` }, presence: true, emitLeave: false });

describe('broker ops: subscribe and unsubscribe against a slow or failing broker', () => {
  it('makes every subscriber, not only the first, wait for the broker subscription before reading its position', async () => {
    const { ops, state } = setUp();
    const gate = deferred();
    state.subscribeGate = gate.promise;
    const first = ops['broker.subscribe'](NODE, op('a'));
    let secondDone = false;
    const second = ops['broker.subscribe'](NODE, op('b')).then((r) => {
      secondDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(secondDone, false, 'the second subscriber answered before the broker subscription was live');
    gate.resolve();
    const [a, b] = await Promise.all([first, second]);
    assert.ok(a.ok && b.ok);
    assert.equal(state.subscribeCalls, 1, 'both subscribers share one broker subscription');
    assert.deepEqual(state.reads, [true, true]);
  });

  it('answers internal error 100 (temporary) and forgets the subscriber when broker.subscribe rejects, and the next subscribe tries again', async () => {
    const { ops, state, registry, lines } = setUp();
    state.failSubscribe = 1;
    const failed = await ops['broker.subscribe'](NODE, op('a'));
    assert.deepEqual(failed, { ok: false, error: { code: 100, message: 'internal server error', temporary: true } });
    assert.equal(registry.subscribersOf(CHANNEL), undefined);
    assert.match(lines.join('\n'), /broker unreachable/);
    const again = await ops['broker.subscribe'](NODE, op('a'));
    assert.ok(again.ok);
    assert.equal(state.subscribeCalls, 2);
    assert.ok(state.live.has(CHANNEL));
    assert.equal(registry.subscribersOf(CHANNEL)?.size, 1);
  });

  it('lets a subscriber that waited behind a failed broker.subscribe make its own attempt', async () => {
    const { ops, state, registry } = setUp();
    const gate = deferred();
    state.subscribeGate = gate.promise;
    state.failSubscribe = 1;
    const first = ops['broker.subscribe'](NODE, op('a'));
    const second = ops['broker.subscribe'](NODE, op('b'));
    gate.resolve();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.ok, false);
    assert.ok(b.ok);
    assert.equal(state.subscribeCalls, 2);
    assert.deepEqual([...registry.subscribersOf(CHANNEL)!.keys()], ['b']);
    assert.deepEqual(state.reads, [true]);
  });

  it('keeps the broker subscription of a subscriber who arrives while the last one is still unsubscribing', async () => {
    const { ops, state, registry } = setUp();
    assert.ok((await ops['broker.subscribe'](NODE, op('a'))).ok);
    const gate = deferred();
    state.unsubscribeGate = gate.promise;
    const leaving = ops['broker.unsubscribe'](NODE, unsub('a'));
    const arriving = ops['broker.subscribe'](NODE, op('b'));
    await new Promise((r) => setTimeout(r, 20));
    gate.resolve();
    await leaving;
    assert.ok((await arriving).ok);
    assert.equal(registry.subscribersOf(CHANNEL)?.size, 1);
    assert.ok(state.live.has(CHANNEL), 'the registry has a subscriber but the broker subscription was dropped');
  });

  it('never leaves the registry claiming interest when broker.unsubscribe rejects, and still removes presence', async () => {
    const { ops, state, registry, presence } = setUp();
    assert.ok((await ops['broker.subscribe'](NODE, op('a'))).ok);
    state.failUnsubscribe = 1;
    assert.equal(await ops['broker.unsubscribe'](NODE, unsub('a')), null);
    assert.equal(registry.subscribersOf(CHANNEL), undefined);
    assert.deepEqual(await presence.list(CHANNEL), {});
    assert.ok((await ops['broker.subscribe'](NODE, op('b'))).ok);
    assert.equal(state.subscribeCalls, 2, 'the next subscriber subscribes the broker again');
  });

  it('rolls the subscription back (registry, broker interest) when adding presence fails', async () => {
    const { ops, state, registry } = setUp({ presence: { add: () => Promise.reject(new Error('presence down')) } });
    const r = await ops['broker.subscribe'](NODE, op('a'));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 100);
    assert.equal(registry.subscribersOf(CHANNEL), undefined);
    assert.equal(state.live.has(CHANNEL), false);
  });
});

describe('broker ops: publish', () => {
  it('refuses what the one publication check refuses, with the client protocol errors, and publishes nothing', async () => {
    const { ops, state } = setUp();
    const info = { client: 'a', user: 'u-a' };
    assert.deepEqual(await ops['broker.publish'](NODE, { channel: CHANNEL, data: '', info }), { ok: false, error: { code: 107, message: 'bad request' } });
    assert.deepEqual(await ops['broker.publish'](NODE, { channel: 'nope:x', data: { a: 1 }, info }), { ok: false, error: { code: 102, message: 'unknown channel' } });
    const published = await ops['broker.publish'](NODE, { channel: CHANNEL, data: { a: 1 }, info });
    assert.ok(published.ok);
    assert.equal(published.value.offset, 1, 'the refused publication took an offset');
    assert.equal(state.subscribeCalls, 0);
  });
});
