/**
 * Issue 4, end to end: the Overview and Nodes views show the true number of nodes and connections
 * (as the admin API's registry counts them), follow real clients joining and leaving, and a node
 * killed from the Nodes view shows down, then healthy again with its clients back.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminClient } from '../support/admin-client.js';
import { openAdmin } from '../support/admin-helpers.js';
import { waitFor } from '../support/test-cluster.js';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually } from './support/console-pages.js';
import { Peer } from './support/peers.js';

const NODES = ['node-1', 'node-2', 'node-3'];

describe('the Overview and Nodes views', () => {
  let session: ConsoleSession;
  let ui: ConsoleUi;
  let admin: AdminClient;
  let peers: Peer[] = [];

  /** Connections per node as the cluster's registry has them (the truth the views must show). */
  async function trueConnectionsByNode(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const node of NODES) out[node] = (await admin.request('connections.query', { filter: { node }, offset: 0, limit: 1 })).total;
    return out;
  }

  /** Waits until the Nodes table shows the registry's count for every node; answers it. */
  async function nodesTableMatchesRegistry(total: number): Promise<Record<string, number>> {
    const sum = (c: Record<string, number>): number => Object.values(c).reduce((a, b) => a + b, 0);
    let truth: Record<string, number> = {};
    await eventually(async () => {
      truth = await trueConnectionsByNode();
      return ui.nodes.connectionsByNode();
    }, (shown) => sum(truth) === total && JSON.stringify(shown) === JSON.stringify(truth), `the Nodes table to show ${total} connections as the registry spreads them`);
    return truth;
  }

  before(async () => {
    // A restart delay longer than the 1 s snapshot period, so the console can show the node restarting.
    session = await ConsoleSession.start({ restartBackoffMinMs: 1500, restartBackoffMaxMs: 3000 });
    ui = new ConsoleUi(session.page);
    admin = await openAdmin(session.cluster);
  });

  after(async () => {
    for (const p of peers) p.disconnect();
    await session?.stop();
  });

  it('shows three of three nodes up and no connection before any client connects', async () => {
    await ui.open('Overview');
    await ui.overview.waitForTile('nodes', '3 / 3');
    await ui.overview.waitForTile('connections', '0');
    await ui.overview.waitForTile('users', '0');
    await session.shot('overview-empty');
  });

  it('counts six connections of three users once six real clients connect', async () => {
    for (const user of ['ann', 'ann', 'bob', 'bob', 'cy', 'cy']) peers.push(await Peer.connect(session.cluster, user));
    await ui.overview.waitForTile('connections', '6');
    await ui.overview.waitForTile('users', '3');
    await ui.overview.waitForTile('nodes', '3 / 3');
    await session.shot('overview');
  });

  it('lists every node in the Nodes view with the connections the registry puts on it', async () => {
    await ui.open('Nodes');
    assert.deepEqual(await ui.nodes.ids(), NODES);
    for (const node of NODES) assert.equal(await ui.nodes.state(node), 'healthy');
    const spread = await nodesTableMatchesRegistry(6);
    assert.ok(Object.values(spread).filter((n) => n > 0).length >= 2, `least-connections spreads six clients: ${JSON.stringify(spread)}`);
  });

  it('follows two clients leaving: four connections of two users, on both views', async () => {
    const leaving = peers.filter((p) => p.user === 'cy');
    for (const p of leaving) p.disconnect();
    peers = peers.filter((p) => p.user !== 'cy');
    await nodesTableMatchesRegistry(4);
    await ui.open('Overview');
    await ui.overview.waitForTile('connections', '4');
    await ui.overview.waitForTile('users', '2');
  });

  it('kills a node from the Nodes view: it shows down or restarting, then healthy with a new pid, and its clients are back', async (t) => {
    await ui.open('Nodes');
    const shown = await nodesTableMatchesRegistry(4);
    const victim = Object.entries(shown).sort((a, b) => b[1] - a[1])[0]![0];
    const onVictim = (await admin.request('connections.query', { filter: { node: victim }, offset: 0, limit: 100 })).items.map((r) => r.client);
    const affected = peers.filter((p) => onVictim.includes(p.id));
    assert.equal(affected.length, shown[victim], `the clients on ${victim} are ours`);
    assert.ok(affected.length >= 1);
    const pidBefore = await ui.nodes.pid(victim);
    const states = await ui.nodes.recordStates(victim);

    await ui.nodes.kill(victim);
    await ui.toast(`${victim} killed`);

    await eventually(() => states.seen(), (s) => s.includes('down') || s.includes('restarting'), `${victim} to show down or restarting`);
    await eventually(() => ui.nodes.state(victim), (s) => s === 'healthy', `${victim} to be healthy again`, 15_000);
    const path = await states.seen();
    const gone = path.findIndex((s) => s === 'down' || s === 'restarting');
    assert.ok(gone > 0 && path.lastIndexOf('healthy') > gone, `states shown: ${path.join(' → ')}`);
    t.diagnostic(`${victim} showed ${path.join(' → ')}`);
    assert.notEqual(await ui.nodes.pid(victim), pidBefore);
    assert.equal(await ui.nodes.restarts(victim), '1 restart');

    // Its clients reconnected (a new connection id each), and the counts are what they were.
    await waitFor(() => affected.every((p) => p.ids.length >= 2 && p.connected), { timeoutMs: 10_000, what: `the clients of ${victim} to reconnect` });
    assert.ok(peers.every((p) => p.connected));
    await nodesTableMatchesRegistry(4);
    await session.shot('nodes');
    await ui.open('Overview');
    await ui.overview.waitForTile('connections', '4');
    await ui.overview.waitForTile('nodes', '3 / 3');
  });

  it('follows the OS in dark mode: the Overview with the same figures', async () => {
    const dark = await ConsoleUi.openIn(session, 'dark');
    try {
      await dark.open('Overview');
      await dark.overview.waitForTile('connections', '4');
      await dark.overview.waitForTile('nodes', '3 / 3');
      await dark.shot('overview-dark');
    } finally {
      await dark.page.context().close();
    }
  });
});
