import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Errors } from '../../shared/protocol/codes.js';
import type { StreamOptions } from './broker.js';
import { createMemoryBroker } from './memory-broker.js';

const CHAT: StreamOptions = { size: 100, ttlMs: 300_000, metaTtlMs: 720 * 3600_000 };
const CHURN = 15_000;

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

/** What the supervisor does for a client that subscribes (with positioning) and leaves again. */
async function subscribeAndLeave(broker: ReturnType<typeof createMemoryBroker>, channel: string): Promise<void> {
  await broker.subscribe(channel);
  await broker.position(channel, CHAT);
  await broker.unsubscribe(channel);
}

describe('memory broker idle channels', () => {
  it('drops the streams of 15,000 channels left by their subscribers once the history TTL passed with nothing in them', async () => {
    const c = clock();
    const broker = createMemoryBroker({ now: c.now });
    for (let i = 0; i < CHURN; i++) await subscribeAndLeave(broker, `chat:room-${i}`);
    assert.equal(broker.streamCount, CHURN);
    c.advance(CHAT.ttlMs - 1);
    assert.equal(broker.sweep(), 0, 'kept while a returning client may still recover');
    c.advance(1);
    assert.equal(broker.sweep(), CHURN);
    assert.equal(broker.streamCount, 0);
    assert.deepEqual(broker.idleChannelStats(), { kept: 0, dropped: { expired: CHURN, limit: 0 } });
    await broker.stop();
  });

  it('keeps at most the idle channel limit, dropping the least recently used first and counting them', async () => {
    const broker = createMemoryBroker({ idleChannelLimit: 1_000 });
    for (let i = 0; i < CHURN; i++) await subscribeAndLeave(broker, `chat:room-${i}`);
    assert.equal(broker.streamCount, 1_000);
    assert.deepEqual(broker.idleChannelStats(), { kept: 1_000, dropped: { expired: 0, limit: CHURN - 1_000 } });
    const newest = await broker.history(`chat:room-${CHURN - 1}`, { limit: 0, reverse: false }, CHAT);
    assert.ok(newest.ok);
    assert.equal(broker.streamCount, 1_000, 'reading a kept stream creates nothing');
    await broker.stop();
  });

  it('never drops a subscribed channel\'s stream, however many idle channels churn', async () => {
    const broker = createMemoryBroker({ idleChannelLimit: 10 });
    await broker.subscribe('chat:busy');
    const { epoch } = await broker.publish('chat:busy', 'hello', { stream: CHAT });
    for (let i = 0; i < 100; i++) await subscribeAndLeave(broker, `chat:room-${i}`);
    assert.deepEqual(await broker.position('chat:busy', CHAT), { offset: 1, epoch });
    assert.equal(broker.streamCount, 11);
    await broker.stop();
  });

  it('keeps an idle stream with live history past the sweep, and when the limit forces it out a returning client gets a new epoch (recovered:false), never a hole', async () => {
    const c = clock();
    const broker = createMemoryBroker({ now: c.now, idleChannelLimit: 100 });
    await broker.subscribe('chat:quiet');
    const { offset, epoch } = await broker.publish('chat:quiet', 'kept', { stream: CHAT });
    await broker.unsubscribe('chat:quiet');
    c.advance(CHAT.ttlMs / 2);
    assert.equal(broker.sweep(), 0, 'live history is never swept');

    for (let i = 0; i < 100; i++) await subscribeAndLeave(broker, `chat:room-${i}`);
    assert.equal(broker.idleChannelStats().dropped.limit, 1);
    const since = { offset: offset!, epoch: epoch! };
    const back = await broker.history('chat:quiet', { limit: -1, since, reverse: false }, CHAT);
    assert.deepEqual(back, { ok: false, error: Errors.unrecoverablePosition });
    const position = await broker.position('chat:quiet', CHAT);
    assert.notEqual(position.epoch, epoch, 'a new epoch tells the client its position is gone');
    await broker.stop();
  });
});
