/**
 * Issue 4, end to end: the Overview and Nodes views show the true number of nodes and connections
 * (as the admin API's registry counts them), follow real clients joining and leaving, and a node
 * killed from the Nodes view shows down, then healthy again with its clients back. The charts span
 * the last 5 minutes ending now and keep nodes with equal figures apart; the Nodes table fits a
 * 1,024 px window.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminClient } from '../support/admin-client.js';
import { openAdmin } from '../support/admin-helpers.js';
import { waitFor } from '../support/test-cluster.js';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually } from './support/console-pages.js';
import { boxesOf, drawChart, inside, widths } from './support/layout-probe.js';
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

  it('draws the throughput over the last 5 minutes ending now: the samples at the right end, the rest shaded as empty', async () => {
    const chart = await eventually(() => drawChart(session.page, 0), (c) => c.lines.length > 0, 'the throughput chart');
    assert.equal(chart.windowEnd - chart.windowStart, 5 * 60_000, 'the x axis spans 5 minutes');
    assert.ok(Math.abs(chart.windowEnd - Date.now()) < 10_000, `the window ends now, not at ${new Date(chart.windowEnd).toISOString()}`);
    assert.equal(chart.ticks[chart.ticks.length - 1], 'now');
    assert.ok(chart.ticks.slice(0, -1).every((t) => /^\d\d:\d\d:\d\d$/.test(t)), `ticks: ${chart.ticks.join(' ')}`);
    // The cluster is well under a minute old, so its samples take only the right end of the plot.
    const { plot } = chart;
    for (const line of chart.lines) {
      assert.ok(line.box.x >= plot.x + plot.width * 0.7, `a line starts at x=${line.box.x}; the plot spans ${plot.x}–${plot.x + plot.width}`);
    }
    assert.ok(chart.emptyLead !== null && chart.emptyLead.width >= plot.width * 0.7, 'the stretch without samples is shaded');
    assert.deepEqual(chart.legend.map((l) => l.node), ['total', ...NODES]);
  });

  it('lists every node in the Nodes view with the connections the registry puts on it', async () => {
    await ui.open('Nodes');
    assert.deepEqual(await ui.nodes.ids(), NODES);
    for (const node of NODES) assert.equal(await ui.nodes.state(node), 'healthy');
    const spread = await nodesTableMatchesRegistry(6);
    assert.ok(Object.values(spread).filter((n) => n > 0).length >= 2, `least-connections spreads six clients: ${JSON.stringify(spread)}`);
  });

  it('keeps nodes with equal figures apart on the charts: a dash pattern each, every node in the legend and in the tooltip', async (t) => {
    const table = await ui.nodes.connectionsByNode();
    t.diagnostic(`connections per node: ${JSON.stringify(table)}`);
    const chart = await eventually(() => drawChart(session.page, 0),
      (c) => c.legend.length === NODES.length && c.legend.every((l) => Number(l.value) === table[l.node]), 'the connections legend to show the table\'s figures');
    assert.deepEqual(chart.legend.map((l) => l.node), NODES);
    assert.equal(new Set(chart.lines.map((l) => l.dash)).size, NODES.length, `dash patterns: ${chart.lines.map((l) => l.dash || 'solid').join(', ')}`);
    assert.deepEqual((await drawChart(session.page, 1)).legend.map((l) => l.node), NODES, 'the CPU chart lists every node too');

    // Hovering the newest second lists every node at that second, equal values included.
    await session.page.mouse.move(chart.plot.x + chart.plot.width - 3, chart.plot.y + chart.plot.height / 2);
    const tip = session.page.getByTestId('series-tooltip').first();
    await tip.waitFor();
    const listed = await tip.getByTestId('series-tooltip-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-node')));
    assert.deepEqual(listed, NODES);
    await session.shot('nodes-chart-tooltip');
    await session.page.mouse.move(0, 0);
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

  it('fits the Nodes table in a 1,024 px window: no sideways scroll, every figure and every action on screen', async () => {
    const { page } = session;
    await ui.open('Nodes');
    const wide = await widths(page.locator('.nodes-scroll'));
    assert.ok(wide.scroll <= wide.client, `at 1,360 px the table is ${wide.scroll} px wide in ${wide.client} px`);
    await page.setViewportSize({ width: 1024, height: 860 });
    try {
      await page.locator('[data-testid="nodes-table"].compact').waitFor();
      const narrow = await widths(page.locator('.nodes-scroll'));
      assert.ok(narrow.scroll <= narrow.client, `at 1,024 px the table is ${narrow.scroll} px wide in ${narrow.client} px`);
      const [card] = await boxesOf(page, '.nodes-card');
      for (const th of await boxesOf(page, '[data-testid="nodes-table"] th')) assert.ok(inside(th, card!), 'every column is on screen');
      for (const node of NODES) {
        for (const name of [`Kill ${node}`, `Drain and remove ${node}`]) {
          const button = await ui.nodes.row(node).getByRole('button', { name, exact: true }).boundingBox();
          assert.ok(button && inside(button, card!), `${name} is on screen`);
        }
      }
      await session.shot('nodes-1024');
    } finally {
      await page.setViewportSize({ width: 1360, height: 860 });
    }
  });

  it('follows the OS in dark mode: the Overview with the same figures', async () => {
    const dark = await ConsoleUi.openIn(session, 'dark');
    try {
      await dark.open('Overview');
      await dark.overview.waitForTile('connections', '4');
      await dark.overview.waitForTile('nodes', '3 / 3');
      await dark.shot('overview-dark');
      await dark.page.setViewportSize({ width: 1024, height: 860 });
      await dark.open('Nodes');
      await dark.page.locator('[data-testid="nodes-table"].compact').waitFor();
      await dark.shot('nodes-1024-dark');
    } finally {
      await dark.page.context().close();
    }
  });
});
