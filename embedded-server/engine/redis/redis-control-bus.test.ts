import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { ControlMessage, SupervisorHeartbeat } from '../../../shared/engine/control-messages.js';
import { startRedis } from '../../../test/support/redis-server.js';
import type { RunningRedis } from '../../../test/support/redis-server.js';
import { RedisControlBus } from './redis-control-bus.js';

function beat(supervisor: string, at: number): SupervisorHeartbeat {
  return { type: 'supervisor.heartbeat', supervisor, at, nodes: [], totals: { connections: 0, subscriptions: 0, publications: 0 } };
}

/** Polls until `done` holds, at most ~2 s. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await sleep(20);
}

describe('redis control bus', () => {
  let redis: RunningRedis;
  const connections: Redis[] = [];
  const buses: RedisControlBus[] = [];
  const connect = (): Redis => {
    const c = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    connections.push(c);
    return c;
  };
  /** A bus as one supervisor wires it: a command and a subscriber connection of its own. */
  const bus = async (prefix: string, log?: (line: string) => void): Promise<RedisControlBus> => {
    const b = new RedisControlBus(connect(), connect(), prefix, { log });
    buses.push(b);
    await b.ready();
    return b;
  };

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await Promise.all(buses.map((b) => b.stop()));
    await Promise.all(connections.map((c) => c.quit()));
    await redis.stop();
  });

  it('delivers a message to every listener of every supervisor on the Redis, the publisher included', async () => {
    const prefix = `t-${randomUUID()}`;
    const a = await bus(prefix);
    const b = await bus(prefix);
    const heardByA: ControlMessage[] = [];
    const heardByB: ControlMessage[] = [];
    const alsoB: ControlMessage[] = [];
    a.subscribe((m) => void heardByA.push(m));
    b.subscribe((m) => void heardByB.push(m));
    b.subscribe((m) => void alsoB.push(m));
    await a.publish(beat('sb-a', 1));
    await until(() => heardByA.length + heardByB.length + alsoB.length >= 3);
    assert.deepEqual(heardByA, [beat('sb-a', 1)], 'a supervisor hears its own heartbeat');
    assert.deepEqual(heardByB, [beat('sb-a', 1)]);
    assert.deepEqual(alsoB, [beat('sb-a', 1)]);
  });

  it('delivers a message only after publish() returned, even when Redis hands it to the subscriber first', async () => {
    const a = await bus(`t-${randomUUID()}`);
    const heard: number[] = [];
    a.subscribe((m) => void (m.type === 'supervisor.heartbeat' && heard.push(m.at)));
    const seenAtReturn: number[] = [];
    for (let i = 1; i <= 20; i++) {
      await a.publish(beat('sb-a', i));
      seenAtReturn.push(heard.filter((at) => at === i).length);
    }
    await until(() => heard.length >= 20);
    assert.deepEqual(seenAtReturn, Array(20).fill(0), 'never delivered before publish returned');
    assert.deepEqual(heard, Array.from({ length: 20 }, (_, i) => i + 1), 'each once, in order');
  });

  it('keeps supervisors under another prefix apart', async () => {
    const a = await bus(`t-${randomUUID()}`);
    const other = await bus(`t-${randomUUID()}`);
    const heard: ControlMessage[] = [];
    const heardByOther: ControlMessage[] = [];
    a.subscribe((m) => void heard.push(m));
    other.subscribe((m) => void heardByOther.push(m));
    await a.publish(beat('sb-a', 2));
    await until(() => heard.length >= 1);
    await sleep(50);
    assert.equal(heard.length, 1);
    assert.deepEqual(heardByOther, []);
  });

  it('drops garbage on the control channel with a log line and keeps delivering what follows', async () => {
    const prefix = `t-${randomUUID()}`;
    const lines: string[] = [];
    const a = await bus(prefix, (line) => void lines.push(line));
    const heard: ControlMessage[] = [];
    a.subscribe((m) => void heard.push(m));
    const raw = connect();
    for (const junk of ['not json', '[1,2]', '{"type":"node.exploded"}', '{"type":"supervisor.heartbeat","supervisor":7}']) {
      await raw.publish(a.channel, junk);
    }
    await a.publish(beat('sb-a', 3));
    await until(() => heard.length >= 1);
    assert.deepEqual(heard, [beat('sb-a', 3)]);
    assert.equal(lines.length, 4, lines.join('\n'));
    assert.match(lines[0] ?? '', /dropped a message .*malformed JSON/);
    assert.match(lines[2] ?? '', /unknown control message type: node\.exploded/);
    assert.match(lines[3] ?? '', /bad supervisor\.heartbeat: supervisor must be a string/);
  });

  it('keeps delivering to the other listeners when one listener throws', async () => {
    const lines: string[] = [];
    const a = await bus(`t-${randomUUID()}`, (line) => void lines.push(line));
    const heard: ControlMessage[] = [];
    a.subscribe(() => {
      throw new Error('listener bug');
    });
    a.subscribe((m) => void heard.push(m));
    await a.publish(beat('sb-a', 4));
    await until(() => heard.length >= 1);
    assert.deepEqual(heard, [beat('sb-a', 4)]);
    assert.match(lines.join('\n'), /a listener threw: listener bug/);
  });

  it('stops delivering once stopped, and publishing after stop() is a no-op', async () => {
    const prefix = `t-${randomUUID()}`;
    const a = await bus(prefix);
    const b = await bus(prefix);
    const heardByA: ControlMessage[] = [];
    const heardByB: ControlMessage[] = [];
    a.subscribe((m) => void heardByA.push(m));
    b.subscribe((m) => void heardByB.push(m));
    await a.stop();
    await a.stop();
    await a.publish(beat('sb-a', 5));
    await b.publish(beat('sb-b', 6));
    await until(() => heardByB.length >= 1);
    await sleep(50);
    assert.deepEqual(heardByA, []);
    assert.deepEqual(heardByB, [beat('sb-b', 6)]);
  });
});
