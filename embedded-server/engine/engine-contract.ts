/**
 * The contract every engine must pass (issue 10 §1): `describeEngine(name, factory)` registers
 * node:test suites against any {@link Engine} factory. Times are real but short, so the same suite
 * can run against an engine whose clock cannot be injected (Redis).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, it } from 'node:test';
import type { ControlMessage, SupervisorHeartbeat } from '../../shared/engine/control-messages.js';
import type { ClientInfo } from '../../shared/protocol/client-protocol.js';
import type { BrokerEvent, StreamOptions } from '../broker/broker.js';
import type { Engine } from './engine.js';

/** What a contract run asks of the engine it makes. */
export interface EngineFactoryOptions {
  /** Presence TTL, short so expiry can be observed. */
  presenceTtlMs: number;
}

export type EngineFactory = (opts: EngineFactoryOptions) => Engine | Promise<Engine>;

const PRESENCE_TTL_MS = 200;
const HISTORY: StreamOptions = { size: 10, ttlMs: 60_000, metaTtlMs: 3_600_000 };
const ANN: ClientInfo = { user: '42', client: 'c1' };
const BOB: ClientInfo = { user: '43', client: 'c2' };
const OWNER_0 = 'sb-test/node-1#0';
const OWNER_1 = 'sb-test/node-1#1';

/** Polls `read` until `done` holds (at most ~2 s); answers the last value read. */
async function until<T>(read: () => T | Promise<T>, done: (v: T) => boolean): Promise<T> {
  let v = await read();
  for (let i = 0; i < 100 && !done(v); i++) {
    await sleep(20);
    v = await read();
  }
  return v;
}

function beat(supervisor: string, at: number): SupervisorHeartbeat {
  return { type: 'supervisor.heartbeat', supervisor, at, nodes: [], totals: { connections: 0, subscriptions: 0, publications: 0 } };
}

/** Registers the engine contract suites for one engine implementation. */
export function describeEngine(name: string, factory: EngineFactory): void {
  const started: Engine[] = [];
  const engine = async (): Promise<Engine> => {
    const e = await factory({ presenceTtlMs: PRESENCE_TTL_MS });
    started.push(e);
    return e;
  };
  // Unique channel names keep runs independent on an engine shared between tests (Redis).
  let seq = 0;
  const channel = (base: string): string => `${base}-${process.pid}-${++seq}`;

  describe(`${name} engine: streams and history`, () => {
    afterEach(async () => {
      await Promise.all(started.splice(0).map((e) => e.stop()));
    });

    it('assigns offsets from 1 under one epoch and reports them as the position', async () => {
      const { broker } = await engine();
      const ch = channel('chat');
      const first = await broker.publish(ch, { text: 'hi' }, { stream: HISTORY });
      const second = await broker.publish(ch, { text: 'yo' }, { stream: HISTORY });
      assert.deepEqual([first.offset, second.offset], [1, 2]);
      assert.ok(first.epoch);
      assert.equal(second.epoch, first.epoch);
      assert.deepEqual(await broker.position(ch, HISTORY), { offset: 2, epoch: first.epoch });
    });

    it('publishes without an offset when the channel keeps no history', async () => {
      const { broker } = await engine();
      assert.deepEqual(await broker.publish(channel('typing'), 'x', { stream: null }), {});
      assert.deepEqual(await broker.publish(channel('typing'), 'y', { stream: { size: 0, ttlMs: 0, metaTtlMs: 0 } }), {});
    });

    it('reads history since an offset, with a limit, and in reverse', async () => {
      const { broker } = await engine();
      const ch = channel('chat');
      for (let i = 1; i <= 5; i++) await broker.publish(ch, i, { stream: HISTORY });
      const { epoch } = await broker.position(ch, HISTORY);
      const since = await broker.history(ch, { limit: -1, reverse: false, since: { offset: 3, epoch } }, HISTORY);
      assert.ok(since.ok);
      assert.deepEqual(since.value.publications.map((p) => p.data), [4, 5]);
      assert.deepEqual({ offset: since.value.offset, epoch: since.value.epoch }, { offset: 5, epoch });
      const limited = await broker.history(ch, { limit: 2, reverse: false }, HISTORY);
      assert.deepEqual(limited.ok && limited.value.publications.map((p) => p.offset), [1, 2]);
      const reversed = await broker.history(ch, { limit: 2, reverse: true }, HISTORY);
      assert.deepEqual(reversed.ok && reversed.value.publications.map((p) => p.offset), [5, 4]);
      const positionOnly = await broker.history(ch, { limit: 0, reverse: false }, HISTORY);
      assert.deepEqual(positionOnly.ok && positionOnly.value.publications, []);
    });

    it('answers 112 when since names another epoch', async () => {
      const { broker } = await engine();
      const ch = channel('chat');
      await broker.publish(ch, 1, { stream: HISTORY });
      const stale = await broker.history(ch, { limit: -1, reverse: false, since: { offset: 0, epoch: 'not-this-one' } }, HISTORY);
      assert.equal(stale.ok ? 0 : stale.error.code, 112);
    });

    it('keeps only the last `size` publications of a stream', async () => {
      const { broker } = await engine();
      const ch = channel('chat');
      const small: StreamOptions = { size: 3, ttlMs: 60_000, metaTtlMs: 3_600_000 };
      for (let i = 1; i <= 5; i++) await broker.publish(ch, i, { stream: small });
      const all = await broker.history(ch, { limit: -1, reverse: false }, small);
      assert.deepEqual(all.ok && all.value.publications.map((p) => p.offset), [3, 4, 5]);
    });

    it('drops publications older than the history TTL but keeps the offset', async () => {
      const { broker } = await engine();
      const ch = channel('chat');
      const short: StreamOptions = { size: 10, ttlMs: 100, metaTtlMs: 3_600_000 };
      const { epoch } = await broker.publish(ch, 1, { stream: short });
      await sleep(250);
      const after = await broker.history(ch, { limit: -1, reverse: false }, short);
      assert.deepEqual(after, { ok: true, value: { publications: [], offset: 1, epoch } });
    });

    it('gives a new stream offset 0 and an epoch of its own', async () => {
      const { broker } = await engine();
      const a = await broker.position(channel('fresh'), HISTORY);
      const b = await broker.position(channel('fresh'), HISTORY);
      assert.equal(a.offset, 0);
      assert.equal(b.offset, 0);
      assert.notEqual(a.epoch, b.epoch);
      const history = await broker.history(channel('fresh'), { limit: -1, reverse: false }, HISTORY);
      assert.deepEqual(history.ok && { publications: history.value.publications, offset: history.value.offset }, { publications: [], offset: 0 });
    });

    it('removes history but keeps the offset and the epoch', async () => {
      const { broker } = await engine();
      const ch = channel('chat');
      await broker.publish(ch, 1, { stream: HISTORY });
      const { epoch } = await broker.publish(ch, 2, { stream: HISTORY });
      await broker.removeHistory(ch);
      await broker.removeHistory(channel('never-used'));
      assert.deepEqual(await broker.history(ch, { limit: -1, reverse: false }, HISTORY), { ok: true, value: { publications: [], epoch, offset: 2 } });
      assert.deepEqual(await broker.publish(ch, 3, { stream: HISTORY }), { offset: 3, epoch });
    });
  });

  describe(`${name} engine: events and interest`, () => {
    afterEach(async () => {
      await Promise.all(started.splice(0).map((e) => e.stop()));
    });

    it('delivers publications, joins and leaves of a subscribed channel to listeners, in order', async () => {
      const { broker } = await engine();
      const ch = channel('chat');
      const events: BrokerEvent[] = [];
      broker.onEvent((e) => void (e.channel === ch && events.push(e)));
      await broker.subscribe(ch);
      const { epoch } = await broker.publish(ch, 1, { stream: HISTORY, info: ANN, tags: { k: 'v' } });
      await broker.publishJoin(ch, BOB);
      await broker.publishLeave(ch, BOB);
      await until(() => events.length, (n) => n >= 3);
      assert.deepEqual(events, [
        { kind: 'pub', channel: ch, pub: { data: 1, info: ANN, tags: { k: 'v' }, offset: 1 }, epoch },
        { kind: 'join', channel: ch, info: BOB },
        { kind: 'leave', channel: ch, info: BOB },
      ]);
    });

    it('stops delivering to a listener once it is disposed', async () => {
      const { broker } = await engine();
      const ch = channel('chat');
      const a: BrokerEvent[] = [];
      const b: BrokerEvent[] = [];
      const disposeA = broker.onEvent((e) => void a.push(e));
      broker.onEvent((e) => void b.push(e));
      await broker.subscribe(ch);
      await broker.publishJoin(ch, ANN);
      await until(() => a.length, (n) => n >= 1);
      disposeA();
      disposeA();
      await broker.publishLeave(ch, ANN);
      await until(() => b.length, (n) => n >= 2);
      assert.equal(a.length, 1);
      assert.equal(b.length, 2);
    });

    it('shares one broker subscription between concurrent subscribes of a channel', async () => {
      const { broker } = await engine();
      const ch = channel('chat');
      const events: BrokerEvent[] = [];
      broker.onEvent((e) => void (e.channel === ch && events.push(e)));
      await Promise.all([broker.subscribe(ch), broker.subscribe(ch), broker.subscribe(ch)]);
      await broker.publish(ch, 'once', { stream: null });
      await until(() => events.length, (n) => n >= 1);
      await sleep(50);
      assert.equal(events.length, 1, 'one publication, delivered once however many subscribes');
    });
  });

  describe(`${name} engine: presence`, () => {
    afterEach(async () => {
      await Promise.all(started.splice(0).map((e) => e.stop()));
    });

    it('lists entries keyed by client id with stats, and removes one', async () => {
      const { presence } = await engine();
      const ch = channel('room');
      await presence.add(ch, ANN, OWNER_0);
      await presence.add(ch, { user: '', client: 'c2' }, OWNER_0);
      await presence.add(ch, { user: '', client: 'c3' }, OWNER_1);
      assert.deepEqual(await presence.stats(ch), { num_clients: 3, num_users: 2 });
      assert.deepEqual(Object.keys(await presence.list(ch)).sort(), ['c1', 'c2', 'c3']);
      await presence.remove(ch, 'c1');
      assert.deepEqual(Object.keys(await presence.list(ch)).sort(), ['c2', 'c3']);
      assert.deepEqual(await presence.list(channel('empty')), {});
    });

    it('removes only the entries of the incarnation named, not those of a restarted node with the same short id', async () => {
      const { presence } = await engine();
      const ch = channel('room');
      await presence.add(ch, ANN, OWNER_0);
      await presence.add(ch, BOB, OWNER_1);
      const removed = await presence.removeOwner(OWNER_0);
      assert.deepEqual(removed, [{ channel: ch, info: ANN }]);
      assert.deepEqual(await presence.list(ch), { c2: BOB });
    });

    it('expires an entry not refreshed within the TTL and answers it once from expire()', async () => {
      const { presence } = await engine();
      const ch = channel('room');
      await presence.add(ch, ANN, OWNER_0);
      await sleep(PRESENCE_TTL_MS + 100);
      assert.deepEqual(await presence.list(ch), {}, 'purged on read');
      assert.deepEqual(await presence.stats(ch), { num_clients: 0, num_users: 0 });
      assert.deepEqual(await presence.expire(), [{ channel: ch, info: ANN }], 'owed a leave push');
      assert.deepEqual(await presence.expire(), []);
    });

    it('keeps an entry its owner refreshes, and ignores refreshes from another owner', async () => {
      const { presence } = await engine();
      const ch = channel('room');
      await presence.add(ch, ANN, OWNER_0);
      await presence.add(ch, BOB, OWNER_0);
      for (let i = 0; i < 4; i++) {
        await sleep(PRESENCE_TTL_MS / 2);
        await presence.refresh(OWNER_0, [{ channel: ch, client: 'c1' }]);
        await presence.refresh(OWNER_1, [{ channel: ch, client: 'c2' }]);
      }
      assert.deepEqual(await presence.list(ch), { c1: ANN });
    });
  });

  describe(`${name} engine: control bus`, () => {
    afterEach(async () => {
      await Promise.all(started.splice(0).map((e) => e.stop()));
    });

    it('delivers each control message to every listener, after publish returns', async () => {
      const { control } = await engine();
      const a: ControlMessage[] = [];
      const b: ControlMessage[] = [];
      control.subscribe((m) => void a.push(m));
      control.subscribe((m) => void b.push(m));
      // On Redis the message may arrive before publish's reply does, so only the synchronous part is checked.
      const published = control.publish(beat('sb-a', 1));
      assert.equal(a.length, 0, 'not delivered synchronously');
      await published;
      await until(() => a.length + b.length, (n) => n >= 2);
      assert.deepEqual(a, [beat('sb-a', 1)]);
      assert.deepEqual(b, [beat('sb-a', 1)]);
    });

    it('stops delivering to a listener once it is disposed', async () => {
      const { control } = await engine();
      const a: ControlMessage[] = [];
      const b: ControlMessage[] = [];
      const dispose = control.subscribe((m) => void a.push(m));
      control.subscribe((m) => void b.push(m));
      dispose();
      await control.publish(beat('sb-a', 2));
      await until(() => b.length, (n) => n >= 1);
      assert.deepEqual(a, []);
    });
  });
}
