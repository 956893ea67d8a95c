import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { defaultChannelSettings } from '../config/default-namespaces.js';
import type { ControlMessage } from '../../shared/engine/control-messages.js';
import type { Engine } from '../engine/engine.js';
import type { NewEvent } from './event-log.js';
import { EngineUpkeep } from './engine-upkeep.js';

/** An engine whose control bus delivers only while `delivering`, and that counts reconnects. */
function fakeEngine(opts: { publishFails?: boolean } = {}) {
  const listeners = new Set<(m: ControlMessage) => void>();
  const resubscribed = new Set<() => void>();
  const state = { delivering: false, reconnects: 0 };
  const engine = {
    kind: 'redis',
    presence: { expire: async () => [] },
    control: {
      publish: async (m: ControlMessage) => {
        if (opts.publishFails) throw new Error('redis is down');
        if (state.delivering) for (const l of listeners) l(m);
      },
      subscribe: (l: (m: ControlMessage) => void) => (listeners.add(l), () => void listeners.delete(l)),
    },
    reconnectSubscriber: async () => void state.reconnects++,
    onResubscribed: (l: () => void) => (resubscribed.add(l), () => void resubscribed.delete(l)),
  } as unknown as Engine;
  return { engine, state, resubscribe: () => { for (const l of resubscribed) l(); } };
}

function upkeepOf(engine: Engine) {
  const seen = { reconciles: 0, events: [] as NewEvent[] };
  const upkeep = new EngineUpkeep({
    id: 'sb-a', engine, channels: defaultChannelSettings(),
    beat: () => ({ nodes: [], totals: { connections: 0, subscriptions: 0, publications: 0 } }),
    reconcileAll: () => void seen.reconciles++, emit: (e) => void seen.events.push(e),
  });
  return { upkeep, seen };
}

/** Ticks `seconds` times, a second of mocked time apart, letting each heartbeat's publish settle. */
async function ticks(upkeep: EngineUpkeep, seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    mock.timers.tick(1000);
    upkeep.tick(Date.now());
    await new Promise((r) => setImmediate(r));
  }
}

describe('engine upkeep: the liveness of its own subscription', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  it('reconnects a subscription silent for 3 s, once, and reconciles every node when it hears itself again', async () => {
    const { engine, state } = fakeEngine();
    const { upkeep, seen } = upkeepOf(engine);
    await ticks(upkeep, 4);
    assert.equal(state.reconnects, 0);
    await ticks(upkeep, 3);
    assert.equal(state.reconnects, 1);
    assert.equal(seen.reconciles, 0);
    state.delivering = true;
    await ticks(upkeep, 5);
    assert.equal(state.reconnects, 1);
    assert.equal(seen.reconciles, 1);
    assert.deepEqual(seen.events, [{ type: 'engine.resubscribed', supervisor: 'sb-a', cause: 'silent' }]);
    upkeep.stop();
  });

  it('counts no silence before its first heartbeat is published', async () => {
    const { engine, state } = fakeEngine({ publishFails: true });
    const { upkeep } = upkeepOf(engine);
    await ticks(upkeep, 6);
    assert.equal(state.reconnects, 0);
    upkeep.stop();
  });

  it('reconciles every node when the engine resubscribed after a dropped connection', async () => {
    const { engine, state, resubscribe } = fakeEngine();
    state.delivering = true;
    const { upkeep, seen } = upkeepOf(engine);
    await ticks(upkeep, 2);
    resubscribe();
    assert.equal(seen.reconciles, 1);
    assert.deepEqual(seen.events, [{ type: 'engine.resubscribed', supervisor: 'sb-a', cause: 'dropped' }]);
    assert.equal(state.reconnects, 0);
    upkeep.stop();
  });
});
