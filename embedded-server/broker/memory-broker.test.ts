import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryBroker } from './memory-broker.js';
import type { BrokerEvent, StreamOptions } from './broker.js';
import type { ClientInfo } from '../../shared/protocol/client-protocol.js';

const HISTORY: StreamOptions = { size: 10, ttlMs: 60_000, metaTtlMs: 3_600_000 };
const ANN: ClientInfo = { user: '42', client: 'c1' };

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

// Behaviour every engine shares is in engine/engine-contract.ts; these are the memory broker's own.
describe('memory broker', () => {
  it('hands every publication, join and leave to listeners synchronously', async () => {
    const broker = createMemoryBroker();
    const events: BrokerEvent[] = [];
    broker.onEvent((e) => events.push(e));
    const pending = broker.publish('chat', 1, { stream: HISTORY, info: ANN, tags: { k: 'v' } });
    void broker.publishJoin('chat', ANN);
    void broker.publishLeave('chat', ANN);
    assert.equal(events.length, 3, 'delivered before any await');
    const { epoch } = await pending;
    assert.deepEqual(events, [
      { kind: 'pub', channel: 'chat', pub: { data: 1, info: ANN, tags: { k: 'v' }, offset: 1 }, epoch },
      { kind: 'join', channel: 'chat', info: ANN },
      { kind: 'leave', channel: 'chat', info: ANN },
    ]);
    await broker.stop();
  });

  it('creates a stream at offset 0 when history or position is asked first', async () => {
    const broker = createMemoryBroker();
    const history = await broker.history('fresh', { limit: -1, reverse: false }, HISTORY);
    assert.ok(history.ok);
    assert.deepEqual(history.value.publications, []);
    assert.equal(history.value.offset, 0);
    assert.deepEqual(await broker.position('fresh', HISTORY), { offset: 0, epoch: history.value.epoch });
    assert.equal(broker.streamCount, 1);
    await broker.stop();
  });

  it('starts a new epoch at offset 0 once a subscribed channel\'s empty stream outlives its meta TTL', async () => {
    const c = clock();
    const broker = createMemoryBroker({ now: c.now });
    const opts: StreamOptions = { size: 10, ttlMs: 1_000, metaTtlMs: 10_000 };
    await broker.subscribe('chat');
    const { epoch } = await broker.publish('chat', 1, { stream: opts });
    c.advance(9_000);
    assert.equal(broker.sweep(), 0, 'still within the meta TTL');
    assert.deepEqual(await broker.position('chat', opts), { offset: 1, epoch });
    c.advance(10_000);
    assert.equal(broker.sweep(), 1);
    const fresh = await broker.position('chat', opts);
    assert.equal(fresh.offset, 0);
    assert.notEqual(fresh.epoch, epoch);
    await broker.stop();
  });

  it('keeps a stream that still holds publications past the meta TTL', async () => {
    const c = clock();
    const broker = createMemoryBroker({ now: c.now });
    const opts: StreamOptions = { size: 10, ttlMs: 100_000, metaTtlMs: 10_000 };
    await broker.publish('chat', 1, { stream: opts });
    c.advance(20_000);
    assert.equal(broker.sweep(), 0);
    assert.equal(broker.streamCount, 1);
    await broker.stop();
  });

  it('records interest without affecting delivery', async () => {
    const broker = createMemoryBroker();
    const events: BrokerEvent[] = [];
    broker.onEvent((e) => events.push(e));
    await broker.subscribe('chat');
    assert.ok(broker.subscribedChannels.has('chat'));
    await broker.unsubscribe('chat');
    await broker.publish('chat', 1, { stream: null });
    assert.equal(events.length, 1);
    await broker.stop();
  });

  it('stops idempotently, every caller awaiting the same shutdown', async () => {
    const broker = createMemoryBroker({ sweepIntervalMs: 5 });
    const first = broker.stop();
    assert.equal(broker.stop(), first);
    await first;
    await broker.stop();
  });
});
