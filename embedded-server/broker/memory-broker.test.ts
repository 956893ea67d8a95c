import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryBroker } from './memory-broker.js';
import type { BrokerEvent, StreamOptions } from './broker.js';
import type { ClientInfo } from '../../shared/protocol/client-protocol.js';

const HISTORY: StreamOptions = { size: 10, ttlMs: 60_000, metaTtlMs: 3_600_000 };
const NO_HISTORY: StreamOptions = { size: 0, ttlMs: 0, metaTtlMs: 0 };
const ANN: ClientInfo = { user: '42', client: 'c1' };

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

describe('memory broker', () => {
  it('assigns offsets from 1 with the stream epoch when history is on', async () => {
    const broker = createMemoryBroker();
    const first = await broker.publish('chat', { text: 'hi' }, { stream: HISTORY });
    const second = await broker.publish('chat', { text: 'yo' }, { stream: HISTORY });
    assert.equal(first.offset, 1);
    assert.equal(second.offset, 2);
    assert.match(first.epoch ?? '', /^[a-zA-Z]{8}$/);
    assert.equal(second.epoch, first.epoch);
    assert.deepEqual(await broker.position('chat', HISTORY), { offset: 2, epoch: first.epoch });
    await broker.stop();
  });

  it('publishes without an offset when the channel keeps no history', async () => {
    const broker = createMemoryBroker();
    const events: BrokerEvent[] = [];
    broker.onEvent((e) => events.push(e));
    assert.deepEqual(await broker.publish('typing', 'x', { stream: null }), {});
    assert.deepEqual(await broker.publish('typing', 'y', { stream: NO_HISTORY }), {});
    assert.deepEqual(events, [
      { kind: 'pub', channel: 'typing', pub: { data: 'x' } },
      { kind: 'pub', channel: 'typing', pub: { data: 'y' } },
    ]);
    await broker.stop();
  });

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

  it('stops delivering to a listener once it is disposed', async () => {
    const broker = createMemoryBroker();
    const a: BrokerEvent[] = [];
    const b: BrokerEvent[] = [];
    const disposeA = broker.onEvent((e) => a.push(e));
    broker.onEvent((e) => b.push(e));
    await broker.publishJoin('chat', ANN);
    disposeA();
    disposeA();
    await broker.publishLeave('chat', ANN);
    assert.equal(a.length, 1);
    assert.equal(b.length, 2);
    await broker.stop();
  });

  it('reads history with since and answers 112 for another epoch', async () => {
    const broker = createMemoryBroker();
    for (let i = 1; i <= 5; i++) await broker.publish('chat', i, { stream: HISTORY });
    const { epoch } = await broker.position('chat', HISTORY);
    const missed = await broker.history('chat', { limit: -1, reverse: false, since: { offset: 3, epoch } }, HISTORY);
    assert.ok(missed.ok);
    assert.deepEqual(missed.value.publications.map((p) => p.data), [4, 5]);
    assert.deepEqual({ offset: missed.value.offset, epoch: missed.value.epoch }, { offset: 5, epoch });
    const stale = await broker.history('chat', { limit: -1, reverse: false, since: { offset: 3, epoch: 'xxxxxxxx' } }, HISTORY);
    assert.equal(stale.ok ? 0 : stale.error.code, 112);
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

  it('removes history but keeps offset and epoch', async () => {
    const broker = createMemoryBroker();
    await broker.publish('chat', 1, { stream: HISTORY });
    const { epoch } = await broker.publish('chat', 2, { stream: HISTORY });
    await broker.removeHistory('chat');
    await broker.removeHistory('never-used');
    const history = await broker.history('chat', { limit: -1, reverse: false }, HISTORY);
    assert.deepEqual(history, { ok: true, value: { publications: [], epoch, offset: 2 } });
    assert.deepEqual(await broker.publish('chat', 3, { stream: HISTORY }), { offset: 3, epoch });
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

  it('keeps presence with stats and drops a dead node\'s entries', async () => {
    const broker = createMemoryBroker();
    await broker.addPresence('chat', ANN, 'node-1');
    await broker.addPresence('chat', { user: '', client: 'c2' }, 'node-2');
    await broker.addPresence('chat', { user: '', client: 'c3' }, 'node-2');
    assert.deepEqual(await broker.presenceStats('chat'), { num_clients: 3, num_users: 2 });
    assert.deepEqual(Object.keys(await broker.presence('chat')).sort(), ['c1', 'c2', 'c3']);
    const removed = await broker.removeOwnerPresence('node-2');
    assert.deepEqual(removed.map((r) => r.info.client).sort(), ['c2', 'c3']);
    await broker.removePresence('chat', 'c1');
    assert.deepEqual(await broker.presence('chat'), {});
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
