/**
 * Issue 11 §4, end to end: "Drain" on a node in the Nodes view asks for a rate, then the node's row
 * shows a progress bar of the clients moved while they move (at a few per second, part way for
 * several snapshots), the node leaves the table, and its clients are all on the other nodes.
 * "Rebalance" after "Add node" spreads the clients until every node is within 10% of the mean.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminClient } from '../support/admin-client.js';
import { openAdmin } from '../support/admin-helpers.js';
import { settledCounts } from '../support/cluster-nodes.js';
import { waitFor } from '../support/test-cluster.js';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually, textOf } from './support/console-pages.js';
import { widths } from './support/layout-probe.js';
import { Peer } from './support/peers.js';

const CLIENTS = 36;
/** Slow enough that several 1 s snapshots catch the drain part way. */
const RATE = 3;

describe('drain and rebalance in the Nodes view', () => {
  let session: ConsoleSession;
  let ui: ConsoleUi;
  let admin: AdminClient;
  const peers: Peer[] = [];

  before(async () => {
    session = await ConsoleSession.start({ nodes: 3 });
    ui = new ConsoleUi(session.page);
    admin = await openAdmin(session.cluster);
    for (let i = 0; i < CLIENTS; i += 6) {
      peers.push(...await Promise.all(Array.from({ length: Math.min(6, CLIENTS - i) }, (_, k) => Peer.connect(session.cluster, `user-${i + k}`))));
    }
    await settledCounts(session.cluster, CLIENTS);
  });

  after(async () => {
    for (const p of peers) p.disconnect();
    await session?.stop();
  });

  it('drains a node at the chosen rate with a progress bar in its row, then removes it with every client elsewhere', async () => {
    await ui.open('Nodes');
    const counts = await settledCounts(session.cluster, CLIENTS);
    const [node, held] = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a));
    await ui.nodes.row(node).getByRole('button', { name: `Drain and remove ${node}`, exact: true }).click();
    const dialog = session.page.getByRole('dialog', { name: `Drain and remove ${node}?` });
    await dialog.waitFor();
    const rate = dialog.getByLabel('Clients per second');
    assert.equal(await rate.inputValue(), '200', 'the default rate');
    await rate.fill('0');
    await dialog.getByText('A whole number from 1 to 100000').waitFor();
    await rate.fill(String(RATE));
    await dialog.getByRole('button', { name: `Drain and remove ${node}`, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await ui.toast(`${node} draining: ${held} connections to move`);

    const bar = ui.nodes.row(node).getByRole('progressbar', { name: `Drain of ${node}` });
    await bar.waitFor();
    const partWay = await eventually(async () => ({
      now: Number(await bar.getAttribute('aria-valuenow')),
      max: Number(await bar.getAttribute('aria-valuemax')),
      text: await textOf(ui.nodes.row(node).getByTestId('node-drain-text')),
    }), (v) => v.now >= 1 && v.now <= v.max / 2, 'the progress bar part way (at most half)');
    assert.equal(partWay.max, held);
    assert.match(partWay.text, new RegExp(`^draining: \\d+ of ${held} moved · ${RATE}/s · about \\d+ s left$`));
    // The Drain button of a draining node is disabled, with the reason as its hint.
    const drainButton = ui.nodes.row(node).getByRole('button', { name: `Drain and remove ${node}`, exact: true });
    assert.equal(await drainButton.isDisabled(), true);
    // The bar and its text fit the State column: the table still fits the window.
    const table = await widths(session.page.locator('.nodes-scroll'));
    assert.ok(table.scroll <= table.client, `during the drain the table is ${table.scroll} px wide in ${table.client} px`);
    const path = await ui.shot('nodes-draining');
    console.log(`screenshot of the drain part way (${partWay.text}): ${path}`);

    await ui.nodes.row(node).waitFor({ state: 'detached', timeout: (held / RATE) * 1000 + 15_000 });
    const after = await settledCounts(session.cluster, CLIENTS);
    assert.ok(!after.has(node), `${node} still counted: ${JSON.stringify([...after])}`);
    // Every client was told 3001 (reconnect), not disconnected for good, and is connected again.
    await waitFor(() => peers.every((p) => p.client.state === 'connected'), { timeoutMs: 10_000, what: 'every client connected' });
    assert.deepEqual(peers.flatMap((p) => p.disconnects), []);
    const ev = admin.events.filter((e) => e.type === 'node.drained' && e.node === node);
    assert.equal(ev.length, 1);
  });

  it('rebalances onto an added node until every node is within 10% of the mean', async () => {
    await session.page.getByRole('button', { name: 'Add node', exact: true }).click();
    await ui.toast(/added/);
    const ids = await eventually(() => ui.nodes.ids(), (v) => v.length === 3, 'three nodes in the table');
    await session.page.getByRole('button', { name: 'Rebalance', exact: true }).click();
    await ui.toast(/Rebalancing: \d+ connections from/);
    const shown = await eventually(async () => {
      const c = await ui.nodes.connectionsByNode();
      return ids.map((id) => c[id] ?? 0);
    }, (v) => v.reduce((a, b) => a + b, 0) === CLIENTS && Math.max(...v) - Math.min(...v) <= 0.1 * (CLIENTS / 3), 'the table to show the spread within 10%', 20_000);
    assert.equal(shown.length, 3);
    await waitFor(() => peers.every((p) => p.client.state === 'connected'), { timeoutMs: 10_000, what: 'every client connected' });
    await ui.shot('nodes-rebalanced');
  });
});
