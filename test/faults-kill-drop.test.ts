/**
 * Faults that end at once (issue 3, "Tested by"), injected through the admin API under a
 * publication stream: `node.kill` (SIGKILL; the node restarts) and `node.drop` (every socket of the
 * node destroyed without a close frame; the node stays up). The clients of that node reconnect and
 * recover what they missed.
 *
 * The bench (test/support/publish-stream.ts): 3 nodes, 15 real clients spread over them on one
 * `chat:` channel (force_recovery), a backend publishing `{ seq }` through the HTTP API every 20 ms
 * (bounded), pings every 1 s with a 500 ms pong timeout and client maxServerPingDelay 1 s, stats
 * every 250 ms. Each scenario runs once in `before`; each test checks one promise it must have
 * kept: the node's states in the 1 Hz snapshots, the events, and every client ending with every
 * publication exactly once, in order. Heal times are printed, never asserted.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BEFORE_FAULT, CHANNEL, checkPublisher, checkRecoveredSince, checkStreams, checkUntouched, eventIndex,
  finishStream, nodeEvents, nodeSince, PublishStream, reportHeal, setUpBench, statePath, STREAM,
} from './support/publish-stream.js';
import type { Bench } from './support/publish-stream.js';
import { waitFor } from './support/test-cluster.js';

describe('node.kill during a publication stream', () => {
  let b: Bench;
  let publisher: PublishStream;
  let total: number;
  let injectedAt: number;

  before(async () => {
    // A restart delay longer than the snapshot period, so a snapshot shows the node restarting.
    b = await setUpBench({ restartBackoffMinMs: 2000, restartBackoffMaxMs: 5000 });
    publisher = new PublishStream(b.cluster, CHANNEL, STREAM);
    await publisher.waitSent(BEFORE_FAULT);
    injectedAt = Date.now();
    assert.deepEqual(await b.admin.request('node.kill', { node: b.victim }), {});
    await waitFor(() => b.affected.every((r) => r.recoveredAfter(injectedAt) !== null), {
      timeoutMs: 10_000, what: 'the clients of the killed node to recover',
    });
    await b.admin.snapshotWhere((s) => s.nodes.some((n) => n.id === b.victim && n.state === 'healthy' && n.pid !== b.victimPid), 10_000, 'the node healthy again');
    total = await finishStream(b, publisher);
    reportHeal('kill', b, injectedAt, injectedAt, publisher);
  });
  after(() => b?.cluster.stop());

  it('published the whole stream, with offsets 1..N in order', () => checkPublisher(publisher, total));

  it('delivers every publication to every client exactly once and in order', () => checkStreams(b, total));

  it('shows the node restarting (or down), then healthy with a new pid, in the snapshots', () => {
    const seen = nodeSince(b.admin, b.victim, injectedAt);
    const states = statePath(seen.map((n) => n.state));
    const gone = seen.findIndex((n) => n.state === 'restarting' || n.state === 'down');
    assert.ok(gone >= 0, `states after the kill: ${states}`);
    const back = seen.findIndex((n, i) => i > gone && n.state === 'healthy');
    assert.ok(back > gone, `states after the kill: ${states}`);
    assert.notEqual(seen[back]!.pid, b.victimPid);
    assert.ok(seen[back]!.restarts >= 1);
  });

  it('emits fault.injected, node.down (SIGKILL) and node.restarted with the new pid, in that order', async () => {
    await b.admin.eventWhere((e) => e.type === 'node.restarted' && e.node === b.victim && e.at >= injectedAt);
    const events = nodeEvents(b.admin, b.victim, injectedAt);
    const injected = eventIndex(events, (e) => e.type === 'fault.injected' && e.fault === 'kill', 'fault.injected');
    const down = eventIndex(events, (e) => e.type === 'node.down' && e.signal === 'SIGKILL', 'node.down');
    const restarted = eventIndex(events, (e) => e.type === 'node.restarted', 'node.restarted');
    assert.ok(injected < down && down < restarted, events.map((e) => e.type).join(', '));
    const e = events[restarted]!;
    const pid = e.type === 'node.restarted' ? e.pid : 0;
    assert.notEqual(pid, b.victimPid);
    assert.equal(pid, b.cluster.handle.nodes().find((n) => n.id === b.victim)!.pid);
  });

  it('reconnects the clients of the killed node, each subscribed again with recovered: true', () => {
    for (const r of b.affected) {
      assert.ok(r.clientIds.length >= 2, `${r.user} never connected again`);
      checkRecoveredSince(r, injectedAt);
    }
    checkUntouched(b);
  });
});

describe('node.drop (every socket of a node destroyed without a close frame) during a publication stream', () => {
  let b: Bench;
  let publisher: PublishStream;
  let total: number;
  let injectedAt: number;
  let dropped: number;
  let oldIds: Set<string>;

  before(async () => {
    b = await setUpBench();
    publisher = new PublishStream(b.cluster, CHANNEL, STREAM);
    await publisher.waitSent(BEFORE_FAULT);
    oldIds = new Set(b.affected.map((r) => r.clientId));
    injectedAt = Date.now();
    ({ dropped } = await b.admin.request('node.drop', { node: b.victim }));
    await waitFor(() => b.affected.every((r) => r.recoveredAfter(injectedAt) !== null), {
      timeoutMs: 10_000, what: 'the dropped clients to reconnect and recover',
    });
    total = await finishStream(b, publisher);
    reportHeal('drop', b, injectedAt, injectedAt, publisher);
  });
  after(() => b?.cluster.stop());

  it('published the whole stream, with offsets 1..N in order', () => checkPublisher(publisher, total));

  it('delivers every publication to every client exactly once and in order', () => checkStreams(b, total));

  it("answers how many sockets it dropped: the node's connection count", () => {
    assert.equal(dropped, b.victimConnections);
  });

  it('emits fault.injected, and the server sees each dropped connection close with 1006', async () => {
    const events = nodeEvents(b.admin, b.victim, injectedAt);
    eventIndex(events, (e) => e.type === 'fault.injected' && e.fault === 'drop', 'fault.injected');
    await waitFor(() => b.admin.events.filter((e) => e.type === 'client.disconnected' && oldIds.has(e.client)).length === oldIds.size, {
      timeoutMs: 5000, what: 'a client.disconnected event per dropped connection',
    });
    for (const e of b.admin.events) {
      if (e.type === 'client.disconnected' && oldIds.has(e.client)) assert.equal(e.code, 1006, JSON.stringify(e));
    }
  });

  it('makes the dropped clients reconnect (transport closed) and recover', () => {
    for (const r of b.affected) {
      const lost = r.reconnects.filter((x) => x.at >= injectedAt);
      assert.ok(lost.length >= 1, `${r.user} did not lose its connection`);
      assert.equal(lost[0]!.ctx.code, 1, `${r.user}: ${JSON.stringify(lost[0]!.ctx)}`);
      assert.ok(r.clientIds.length >= 2, `${r.user} never connected again`);
      checkRecoveredSince(r, injectedAt);
    }
    checkUntouched(b);
  });

  it('keeps the node itself up: same pid, never down', () => {
    const seen = nodeSince(b.admin, b.victim, injectedAt);
    assert.ok(seen.length >= 1);
    assert.ok(seen.every((n) => n.pid === b.victimPid && n.state !== 'down' && n.state !== 'restarting'), statePath(seen.map((n) => n.state)));
  });
});
