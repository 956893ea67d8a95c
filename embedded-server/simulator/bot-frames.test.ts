import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, isPing, parseFrame, reconnectsAfter, sentAtOf, subscribeCommand } from './bot-frames.js';
import { publishIntervalMs, roomOf, roomSize } from './profiles.js';

describe('the bots\' side of the protocol', () => {
  it('reads every object of a frame, pings included, from one parse', () => {
    const frame = '{"id":1,"connect":{"client":"c","ping":25,"pong":true}}\n{}\n{"push":{"channel":"chat:a","pub":{"data":{"t":5},"offset":3}}}';
    const messages = parseFrame(frame);
    assert.equal(messages.length, 3);
    assert.equal(messages[0]?.connect?.client, 'c');
    assert.ok(isPing(messages[1]!));
    assert.equal(messages[2]?.push?.pub?.offset, 3);
    assert.equal(sentAtOf(messages[2]?.push?.pub?.data), 5);
    assert.throws(() => parseFrame('{"id":1'));
  });

  it('resubscribes with the position it holds, as centrifuge-js does after a reconnect', () => {
    assert.equal(subscribeCommand(4, 'chat:a'), '{"subscribe":{"channel":"chat:a","flag":1},"id":4}');
    assert.deepEqual(JSON.parse(subscribeCommand(5, 'chat:a', { joinLeave: true, recover: { offset: 8, epoch: 'qW' } })), {
      subscribe: { channel: 'chat:a', flag: 1, join_leave: true, recover: true, offset: 8, epoch: 'qW' }, id: 5,
    });
  });

  it('reconnects after transport and reconnect-class closes, not after terminal ones with a reason', () => {
    for (const [code, reason] of [[1006, ''], [3008, 'slow'], [3012, 'no pong'], [4000, 'app'], [3503, '']] as const) {
      assert.equal(reconnectsAfter(code, reason), true, `${code} "${reason}"`);
    }
    for (const [code, reason] of [[3500, 'invalid token'], [3503, 'force disconnect'], [4500, 'app stop'], [1009, '']] as const) {
      assert.equal(reconnectsAfter(code, reason), false, `${code} "${reason}"`);
    }
  });

  it('waits between 500 ms and its cap before a reconnect, longer after repeated failures', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const d = backoffMs(attempt);
      assert.ok(d >= 500 && d <= 20_000, `attempt ${attempt}: ${d}`);
    }
    assert.ok(backoffMs(0) <= 1_000);
  });

  it('splits the clients over the channels evenly and has each room publish at the set rate in turns', () => {
    const sizes = Array.from({ length: 7 }, (_, r) => roomSize(r, 100, 7));
    assert.equal(sizes.reduce((a, b) => a + b, 0), 100);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    assert.equal(sizes[roomOf(13, 7)], roomSize(6, 100, 7));
    assert.equal(publishIntervalMs(2, 10), 5_000);
    assert.equal(publishIntervalMs(0, 10), Infinity);
  });
});
