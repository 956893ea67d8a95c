import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChannelLock } from './channel-lock.js';

/** A promise with its resolve and reject in hand. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('channel lock', () => {
  it('runs a section at once, in the same turn, when nothing is pending for the channel', async () => {
    const lock = new ChannelLock();
    let ran = false;
    const done = lock.run('a', async () => {
      ran = true;
    });
    assert.equal(ran, true);
    await done;
  });

  it('starts the next section of a channel only after the one before it settled', async () => {
    const lock = new ChannelLock();
    const gate = deferred();
    const order: string[] = [];
    const first = lock.run('a', async () => {
      order.push('first start');
      await gate.promise;
      order.push('first end');
    });
    const second = lock.run('a', async () => {
      order.push('second');
    });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, ['first start']);
    gate.resolve();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first start', 'first end', 'second']);
  });

  it('does not make one channel wait for another', async () => {
    const lock = new ChannelLock();
    const gate = deferred();
    const a = lock.run('a', () => gate.promise);
    let bRan = false;
    await lock.run('b', async () => {
      bRan = true;
    });
    assert.equal(bRan, true);
    gate.resolve();
    await a;
  });

  it('hands a failure to its own caller only, and runs the next section anyway', async () => {
    const lock = new ChannelLock();
    const gate = deferred();
    const failing = lock.run('a', async () => {
      await gate.promise;
      throw new Error('broker down');
    });
    const next = lock.run('a', async () => 'ran');
    gate.resolve();
    await assert.rejects(failing, /broker down/);
    assert.equal(await next, 'ran');
  });

  it('turns a section that throws before its first await into a rejection', async () => {
    const lock = new ChannelLock();
    const thrower = (() => {
      throw new Error('sync');
    }) as unknown as () => Promise<void>;
    await assert.rejects(lock.run('a', thrower), /sync/);
    assert.equal(await lock.run('a', async () => 1), 1);
  });

  it('keeps no entry for a channel once its sections are done, however many channels came and went', async () => {
    const lock = new ChannelLock();
    const runs: Promise<unknown>[] = [];
    for (let i = 0; i < 1000; i++) {
      runs.push(lock.run(`ch-${i}`, async () => i));
      runs.push(lock.run(`ch-${i}`, async () => {
        throw new Error('x');
      }).catch(() => undefined));
    }
    assert.equal(lock.pending, 1000);
    await Promise.all(runs);
    await new Promise((r) => setImmediate(r));
    assert.equal(lock.pending, 0);
  });
});
