import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { asNodeId } from '../../shared/ids.js';
import type { Broker, BrokerEvent } from '../broker/broker.js';
import { defaultChannelSettings } from '../config/default-namespaces.js';
import type { Engine } from '../engine/engine.js';
import { createMemoryEngine } from '../engine/memory-engine.js';
import { createMemoryBroker } from '../broker/memory-broker.js';
import { ChannelLock } from './channel-lock.js';
import { dropNodeState, publishLeaves } from './node-loss.js';
import { Registry } from './registry.js';

const NODE = asNodeId('node-1');
const OLD = 'sb-test/node-1#0';
const NEW = 'sb-test/node-1#1';

describe('dropping a dead node process\'s state', () => {
  let engine: Engine;
  afterEach(() => engine.stop());

  it('removes the dead incarnation\'s presence but keeps that of the restarted process with the same node id', async () => {
    engine = createMemoryEngine();
    const channels = defaultChannelSettings();
    // The old process's entry, then its replacement's client, before the old state is dropped (a slow engine).
    await engine.presence.add('chat:room', { user: 'ann', client: 'c-old' }, OLD);
    await engine.presence.add('chat:room', { user: 'bob', client: 'c-new' }, NEW);
    await dropNodeState(NODE, OLD, { registry: new Registry(), broker: engine.broker, presence: engine.presence, channels, lock: new ChannelLock() });
    assert.deepEqual(Object.keys(await engine.presence.list('chat:room')), ['c-new']);
  });

  it('keeps the broker\'s interest in a channel that a client on another node subscribed to meanwhile', async () => {
    engine = createMemoryEngine();
    const memory = createMemoryBroker();
    // The real broker, with its unsubscribe of chat:a held until the test lets it go (a slow engine).
    let releaseA!: () => void;
    const heldA = new Promise<void>((resolve) => { releaseA = resolve; });
    const broker: Broker = Object.create(memory, {
      unsubscribe: { value: async (channel: string) => { if (channel === 'chat:a') await heldA; return memory.unsubscribe(channel); } },
    });
    const registry = new Registry();
    const lock = new ChannelLock();
    for (const channel of ['chat:a', 'chat:room']) {
      registry.subscribe(channel, 'c-dead', NODE);
      await broker.subscribe(channel);
    }
    const dropping = dropNodeState(NODE, OLD, { registry, broker, presence: engine.presence, channels: defaultChannelSettings(), lock });
    // Meanwhile a client on node-2 subscribes to chat:room, as broker-ops does.
    await lock.run('chat:room', async () => {
      if (registry.subscribe('chat:room', 'c-live', asNodeId('node-2'))) await broker.subscribe('chat:room');
    });
    releaseA();
    await dropping;
    assert.deepEqual([...registry.subscribersOf('chat:room')!.keys()], ['c-live']);
    assert.ok(memory.subscribedChannels.has('chat:room'), 'the live subscriber lost the broker\'s interest');
    assert.ok(!memory.subscribedChannels.has('chat:a'));
    await memory.stop();
  });

  it('pushes a leave for each removed entry only where the namespace has join/leave', async () => {
    engine = createMemoryEngine();
    const events: BrokerEvent[] = [];
    engine.broker.onEvent((e) => void events.push(e));
    const channels = defaultChannelSettings();
    await publishLeaves([
      { channel: 'chat:room', info: { user: 'ann', client: 'c1' } },
      { channel: 'no-such-namespace:x', info: { user: 'bob', client: 'c2' } },
    ], { broker: engine.broker, channels });
    assert.deepEqual(events, [{ kind: 'leave', channel: 'chat:room', info: { user: 'ann', client: 'c1' } }]);
  });
});
