/**
 * Issue 10 §3, end to end: one console for several supervisors on one Redis. Two supervisors on a
 * redis-server started here; the console opened on supervisor B lists A's nodes under A's heading,
 * shows the Redis engine it runs on, and kicks a real centrifuge client that is connected to A —
 * the kick crosses the control bus and the client sees the disconnect.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningRedis } from '../support/redis-server.js';
import type { TestCluster } from '../support/test-cluster.js';
import type { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually, textOf } from './support/console-pages.js';
import { Peer } from './support/peers.js';
import { TwoSupervisors } from './support/two-supervisors.js';

/** A heading's heartbeat is refreshed by each 1 s snapshot; one that stays past this is stale. */
const HEARTBEAT_FRESH = /^heartbeat \d\.\d s ago$/;

describe('the console of one supervisor over two on one Redis', () => {
  let two: TwoSupervisors | undefined;
  let redis: RunningRedis | undefined;
  let a: TestCluster | undefined;
  let session: ConsoleSession | undefined;
  let ui: ConsoleUi;
  const peers: Peer[] = [];

  before(async () => {
    two = await TwoSupervisors.start({ a: 'sb-a', b: 'sb-b' });
    redis = two.redis;
    a = two.a;
    session = two.session;
    ui = new ConsoleUi(session.page);
  });

  after(async () => {
    for (const p of peers) p.disconnect();
    await two?.stop();
  });

  it('lists A\'s nodes on B\'s Nodes view, under A\'s heading, after B\'s own', async () => {
    await ui.open('Nodes');
    await ui.nodes.row('sb-a/node-2').waitFor({ timeout: 15_000 });
    assert.deepEqual(await ui.nodes.groupIds(), ['sb-b', 'sb-a']);
    assert.deepEqual(await ui.nodes.ids(), ['node-1', 'sb-a/node-1', 'sb-a/node-2']);
    assert.deepEqual(
      await Promise.all(['node-1', 'sb-a/node-1', 'sb-a/node-2'].map((n) => ui.nodes.groupOf(n))),
      ['sb-b', 'sb-a', 'sb-a'],
    );
    const self = ui.nodes.group('sb-b');
    await self.getByText('this supervisor', { exact: true }).waitFor();
    const other = ui.nodes.group('sb-a');
    assert.equal(await other.getByText('this supervisor', { exact: true }).count(), 0);
    const beat = await eventually(() => textOf(other.getByTestId('supervisor-heartbeat')), (t) => HEARTBEAT_FRESH.test(t), 'A\'s heartbeat age');
    console.log(`A's heartbeat as B's console shows it: ${beat}`);
    assert.equal(await textOf(other.getByTestId('supervisor-link')), 'connected');
    assert.match(await textOf(other.getByTestId('supervisor-counts')), /^2 nodes · 0 connections · /);
    for (const n of ['sb-a/node-1', 'sb-a/node-2']) assert.equal(await ui.nodes.state(n), 'healthy');
  });

  it('shows the engine tile: Redis at the test\'s redis-server, connected, with a measured round trip', async () => {
    assert.equal(await ui.nodes.engineFigure('kind'), 'Redis');
    assert.equal(await ui.nodes.engineFigure('address'), redis!.url);
    assert.equal(await ui.nodes.engineFigure('link'), 'connected');
    const rtt = await eventually(() => ui.nodes.engineFigure('rtt'), (t) => /^[\d.,]+ ms$/.test(t), 'a round-trip time');
    assert.equal(await ui.nodes.engineFigure('reconnects'), '0');
    const heard = await eventually(() => ui.nodes.engineFigure('heard'), (t) => /^\d\.\d s ago$/.test(t), 'B\'s own heartbeat age');
    console.log(`engine tile: rtt ${rtt}, own heartbeat ${heard}`);
    await session!.shot('supervisors-nodes');
  });

  it('kicks a client connected to A from B\'s Connections view: the real client is disconnected with 3503', async () => {
    const ann = await Peer.connect(a!, 'ann');
    peers.push(ann);
    await ui.open('Connections');
    await ui.connections.row(ann.id).waitFor({ timeout: 15_000 });
    assert.equal(await ui.connections.supervisorOf(ann.id), 'sb-a');

    await ui.connections.kick(ann.id, 'e2e: kicked across supervisors');

    assert.deepEqual(await ann.disconnectedBy(), { code: 3503, reason: 'e2e: kicked across supervisors' });
    await ui.toast(`Kicked connection ${ann.id} · it stays disconnected`);
    await ui.connections.row(ann.id).waitFor({ state: 'detached' });
    assert.equal(ann.client.state, 'disconnected', 'a kick without reconnect leaves the client disconnected');
  });
});
