/**
 * Issue 14, end to end: stale data does not look live. With the console's admin link down, the view
 * says how old its figures are ("last seen N s ago"), greys them and disables every action that talks
 * to the cluster, with a tooltip saying the console is disconnected; once the link is back, all of it
 * goes. A hung node's rates show as unknown ("—", "no report for N s"), not as its last values.
 *
 * The link is dropped in the browser: every admin WebSocket goes through a route that passes frames
 * both ways while `linkUp`, and closes the socket (refusing new ones) while it is not.
 */
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocketRoute } from 'playwright-core';
import type { AdminClient } from '../support/admin-client.js';
import { openAdmin } from '../support/admin-helpers.js';
import { ConsoleSession } from './support/console-session.js';
import { eventually } from './support/console-pages.js';

describe('stale data', () => {
  let session: ConsoleSession;
  let admin: AdminClient;
  let linkUp = true;
  /** Admin sockets open through the route: the page's side and the server's. */
  const open = new Map<WebSocketRoute, WebSocketRoute>();

  const label = () => session.page.getByTestId('stale-label');
  const killButton = () => session.page.getByRole('button', { name: 'Kill node-1', exact: true });
  const staleArea = () => session.page.getByTestId('stale-area');

  before(async () => {
    session = await ConsoleSession.start();
    admin = await openAdmin(session.cluster);
    await session.page.context().routeWebSocket(/\/admin(\?|$)/, (ws) => {
      if (!linkUp) return void ws.close({ code: 4000, reason: 'test: link down' });
      const server = ws.connectToServer();
      open.set(ws, server);
      ws.onClose(() => { open.delete(ws); void server.close().catch(() => undefined); });
      server.onClose(() => { open.delete(ws); void ws.close().catch(() => undefined); });
    });
    // The route applies to sockets opened from now on: reload so the admin link goes through it.
    await session.page.reload();
    await session.page.getByTestId('link-status').filter({ hasText: 'Connected' }).waitFor();
  });

  after(async () => {
    linkUp = true;
    await session?.stop();
  });

  it('shows live figures and enabled actions while connected', async () => {
    await session.open('Nodes');
    await killButton().waitFor();
    assert.equal(await killButton().isEnabled(), true);
    assert.equal(await label().count(), 0);
    assert.equal(await staleArea().getAttribute('data-stale'), null);
  });

  it('greys the figures, says how old they are and disables actions once the link drops', async () => {
    linkUp = false;
    const sockets = [...open];
    open.clear();
    await Promise.all(sockets.map(async ([ws, server]) => {
      await ws.close({ code: 4000, reason: 'test: link down' }).catch(() => undefined);
      await server.close().catch(() => undefined);
    }));
    await session.page.getByTestId('link-status').filter({ hasText: 'Reconnecting…' }).waitFor();

    await label().filter({ hasText: /Disconnected · last seen \d+ s ago/ }).waitFor();
    assert.equal(await staleArea().getAttribute('data-stale'), 'disconnected');
    // The figures are inside the stale area, greyed (once the short fade is over).
    await eventually(
      async () => Number(await session.page.evaluate('getComputedStyle(document.querySelector(\'[data-stale="disconnected"] .nodes-card\')).opacity')),
      (opacity) => opacity < 0.7, 'the Nodes table to be greyed',
    );
    const filter = await session.page.evaluate('getComputedStyle(document.querySelector(\'[data-stale] .nodes-card\')).filter') as string;
    assert.match(filter, /grayscale/);

    // Every action that talks to the cluster is off, and says why.
    assert.equal(await killButton().isDisabled(), true);
    assert.match(await killButton().getAttribute('title') ?? '', /console is disconnected/);
    for (const name of ['Add node', 'Rebalance']) {
      const b = session.page.getByRole('button', { name, exact: true });
      assert.equal(await b.isDisabled(), true, `${name} is disabled`);
      assert.match(await b.getAttribute('title') ?? '', /console is disconnected/, `${name} says why`);
    }
    assert.equal(await session.page.getByRole('combobox', { name: 'Routing strategy' }).isDisabled(), true);
    assert.equal(await session.page.getByRole('switch').isDisabled(), true);

    // The age goes on counting.
    const first = Number((await label().textContent())?.match(/last seen (\d+) s ago/)?.[1]);
    await label().filter({ hasText: new RegExp(`last seen ${first + 2} s ago`) }).waitFor();

    mkdirSync('test-results', { recursive: true });
    await session.page.screenshot({ path: 'test-results/stale-nodes.png', fullPage: true, animations: 'disabled' });

    // The other views say the same.
    await session.open('Overview');
    await label().filter({ hasText: /last seen \d+ s ago/ }).waitFor();
    assert.equal(await staleArea().getAttribute('data-stale'), 'disconnected');
    await session.open('Nodes');
  });

  it('goes back to live figures and enabled actions once the link is back', async () => {
    linkUp = true;
    await session.page.getByTestId('link-status').filter({ hasText: 'Connected' }).waitFor({ timeout: 20_000 });
    await label().waitFor({ state: 'detached' });
    assert.equal(await staleArea().getAttribute('data-stale'), null);
    await killButton().waitFor();
    assert.equal(await killButton().isEnabled(), true);
    assert.doesNotMatch(await killButton().getAttribute('title') ?? '', /disconnected/);
  });

  it('shows a hung node\'s rates as unknown, with how long it has been silent', async () => {
    await admin.request('node.hang', { node: 'node-2', seconds: 8 });
    const row = session.page.getByTestId('node-row-node-2');
    const unknown = row.getByTestId('node-rate-unknown');
    await unknown.first().waitFor();
    // msgs/s in and out, bytes/s in and out, CPU, loop p50 and p99.
    assert.equal(await unknown.count(), 7);
    assert.match(await unknown.first().getAttribute('title') ?? '', /^no report for \d+ s$/);
    // A healthy node keeps its figures.
    assert.equal(await session.page.getByTestId('node-row-node-1').getByTestId('node-rate-unknown').count(), 0);
    // Once it heals, its rates come back.
    await unknown.first().waitFor({ state: 'detached', timeout: 20_000 });
  });
});
