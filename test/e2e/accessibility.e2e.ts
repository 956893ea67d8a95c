/**
 * Issue 14, "Accessibility and finish": axe-core finds no serious or critical violation on any
 * view of the console or in any of its dialogs, in light and in dark mode, with a real cluster
 * showing clients, channels, presence, a history and a broadcast; and the keyboard reaches every
 * control of every view with a visible focus ring, scrollable regions included.
 */
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { CONSOLE_VIEWS } from '../../shared/desktop/console-bridge.js';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually, textOf } from './support/console-pages.js';
import { assertNoSerious, countByImpact, runAxe } from './support/axe.js';
import { tabThrough, unfocusableScrollers } from './support/keyboard-probe.js';
import { Peer } from './support/peers.js';

const LOBBY = 'chat:a11y-lobby';
const TYPING = 'typing:a11y-lobby';
/** Views whose screenshots (light and dark) are saved for a look at the colours. */
const SHOTS: readonly string[] = ['Overview', 'Events', 'Channels'];

describe('accessibility of the console', () => {
  let session: ConsoleSession;
  let ui: ConsoleUi;
  const peers: Peer[] = [];

  /** Runs axe on the page as it is and notes the counts by impact in the test's output. */
  async function axe(t: TestContext, where: string): Promise<void> {
    const all = await runAxe(session.page);
    t.diagnostic(`axe ${where}: ${JSON.stringify(countByImpact(all))}`);
    assertNoSerious(all, where);
  }

  /** Opens a view and waits for what it shows once the cluster's clients are in it. */
  async function openFilled(view: string): Promise<void> {
    const page = session.page;
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: view }).waitFor();
    switch (view) {
      case 'Connections': await ui.connections.rows().first().waitFor(); break;
      case 'Channels': await ui.channels.openChannel(LOBBY); await ui.channels.members(LOBBY).first().waitFor(); break;
      case 'Events': await ui.events.rows().first().waitFor(); break;
      case 'Broadcast': await ui.broadcast.records().first().waitFor(); break;
      case 'Nodes': await ui.nodes.rows().first().waitFor(); break;
      case 'Overview': await page.getByTestId('tile-connections').waitFor(); break;
      default: break; // views with nothing to wait for (Simulator, and any view added later)
    }
  }

  /** Runs axe with a dialog open, then closes it with Escape. */
  async function axeDialog(t: TestContext, dialog: Locator, where: string): Promise<void> {
    await dialog.waitFor();
    try {
      await axe(t, where);
    } finally {
      await session.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }
  }

  before(async () => {
    session = await ConsoleSession.start({ nodes: 3 });
    ui = new ConsoleUi(session.page);
    // Enough members for the presence list to scroll.
    for (const user of ['ann', 'bob', 'cy', 'dee', 'eli', 'fay', 'gus', 'hal', 'ivy', 'jo', 'kim', 'lou', 'max']) {
      const p = await Peer.connect(session.cluster, user);
      peers.push(p);
      await p.subscribe(LOBBY);
    }
    await peers[2]!.subscribe(TYPING);
    for (let n = 1; n <= 3; n++) await peers[0]!.publish(LOBBY, { text: `hello ${n}`, n });
    await peers[2]!.publish(TYPING, { typing: true });
    // A broadcast from the console, so the Broadcast view has a record and Events an entry.
    await ui.open('Broadcast');
    await ui.broadcast.audience('Channels', LOBBY);
    await ui.broadcast.json({ notice: 'accessibility check' });
    await ui.broadcast.previewReach();
    await ui.broadcast.send();
  });

  after(async () => {
    for (const p of peers) p.disconnect();
    await session?.stop();
  });

  for (const { label } of CONSOLE_VIEWS) {
    it(`has no serious or critical axe violation in the ${label} view`, async (t) => {
      await openFilled(label);
      await axe(t, `the ${label} view`);
      if (SHOTS.includes(label)) await session.shot(`issue14-a11y-${label.toLowerCase()}`);
    });
  }

  it('has no serious or critical axe violation in any node action dialog', async (t) => {
    await openFilled('Nodes');
    const row = ui.nodes.row('node-2');
    const opened: string[] = [];
    for (const name of ['Kill', 'Hang', 'Partition', 'Drop sockets of', 'Restart', 'Drain and remove']) {
      const button = row.getByRole('button', { name: `${name} node-2`, exact: true });
      if (await button.isDisabled()) continue;
      await button.click();
      await axeDialog(t, session.page.getByRole('dialog'), `the "${name} node-2" dialog`);
      opened.push(name);
    }
    for (const needed of ['Kill', 'Hang', 'Partition', 'Drop sockets of', 'Drain and remove']) assert.ok(opened.includes(needed), `the ${needed} dialog was checked`);
  });

  it('has no serious or critical axe violation in the connection drawer and the kick dialogs', async (t) => {
    await openFilled('Connections');
    const ann = peers[0]!;
    const drawer = await ui.connections.openDrawer(ann.id);
    await axe(t, 'the connection drawer');
    await drawer.getByRole('button', { name: /^Kick/ }).first().click();
    await axeDialog(t, session.page.getByRole('dialog', { name: 'Kick this connection?' }), 'the connection kick dialog (from the drawer)');
    await drawer.getByRole('button', { name: 'Close details', exact: true }).click();
    await ui.connections.row(ann.id).getByRole('button', { name: `Kick ${ann.id}`, exact: true }).click();
    await axeDialog(t, session.page.getByRole('dialog', { name: 'Kick this connection?' }), 'the connection kick dialog (from the row)');
  });

  it('has no serious or critical axe violation in the channel dialogs', async (t) => {
    await openFilled('Channels');
    const detail = ui.channels.detail(LOBBY);
    await detail.getByRole('button', { name: 'Kick all subscribers', exact: true }).click();
    await axeDialog(t, session.page.getByRole('dialog', { name: `Kick all subscribers of ${LOBBY}?` }), 'the channel kick dialog');
    await detail.getByRole('button', { name: 'Remove history', exact: true }).click();
    await axeDialog(t, session.page.getByRole('dialog', { name: `Remove the history of ${LOBBY}?` }), 'the remove-history dialog');
    await ui.channels.openChannel(TYPING);
    await axe(t, 'the channel detail of a typing channel');
  });

  it('has no serious or critical axe violation in the broadcast confirmation', async (t) => {
    await ui.open('Broadcast');
    await ui.broadcast.audience('Everyone');
    await ui.broadcast.json({ notice: 'second' });
    await session.page.getByRole('region', { name: 'Compose a broadcast' }).getByRole('button', { name: 'Send…', exact: true }).click();
    await axeDialog(t, session.page.getByRole('dialog', { name: 'Send this broadcast?' }), 'the broadcast confirmation');
  });

  it('has no serious or critical axe violation in dark mode, on any view', async (t) => {
    const dark = await ConsoleUi.openIn(session, 'dark');
    const light = ui;
    ui = dark;
    const page = session.page;
    try {
      Object.assign(session, { page: dark.page });
      for (const { label } of CONSOLE_VIEWS) {
        await openFilled(label);
        await axe(t, `the ${label} view in dark mode`);
        if (SHOTS.includes(label)) await dark.shot(`issue14-a11y-${label.toLowerCase()}-dark`);
      }
    } finally {
      Object.assign(session, { page });
      ui = light;
      await dark.page.close();
    }
  });

  it('has no serious or critical axe violation on the token gate', async (t) => {
    const page = await session.browser.newPage();
    try {
      await page.goto(session.cluster.handle.consoleUrl.replace(/[?#].*$/, ''));
      await page.getByRole('heading', { name: 'Admin token needed' }).waitFor();
      const all = await runAxe(page);
      t.diagnostic(`axe the token gate: ${JSON.stringify(countByImpact(all))}`);
      assertNoSerious(all, 'the token gate');
    } finally {
      await page.close();
    }
  });

  for (const { label } of CONSOLE_VIEWS) {
    it(`reaches every control of the ${label} view with Tab, each with a visible focus ring, and can focus its scrollable regions`, async () => {
      await openFilled(label);
      const walk = await tabThrough(session.page);
      assert.deepEqual(walk.unreached, [], `Tab reaches every control of ${label}`);
      assert.deepEqual(walk.noRing, [], `every control of ${label} shows a focus ring`);
      assert.ok(walk.reached > 5, `Tab went somewhere in ${label} (${walk.reached} stops)`);
      assert.deepEqual(await unfocusableScrollers(session.page), [], `every scrollable region of ${label} can take focus`);
      assert.ok(await textOf(session.page.getByRole('heading', { level: 1 })) !== '', 'the view is still shown');
      if (label === 'Nodes') {
        // A focused control as the keyboard shows it, for a look at the ring.
        await ui.nodes.row('node-1').getByRole('button', { name: 'Hang node-1', exact: true }).focus();
        await session.page.keyboard.press('Shift+Tab');
        await session.page.keyboard.press('Tab');
        await session.page.screenshot({ path: 'test-results/screenshots/issue14-a11y-focus-ring.png' });
      }
    });
  }

  it('lets the keyboard scroll the presence list: it takes focus and moves with the arrow keys', async () => {
    await openFilled('Channels');
    const list = ui.channels.detail(LOBBY).locator('.presence-scroll');
    const size = await list.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
    assert.ok(size.scroll > size.client, `the presence list overflows its box (${JSON.stringify(size)})`);
    await list.focus();
    assert.equal(await session.page.evaluate<boolean>("document.activeElement?.classList.contains('presence-scroll') === true"), true, 'the list took focus');
    await session.page.keyboard.press('PageDown');
    await eventually(() => list.evaluate((el) => el.scrollTop), (top) => top > 0, 'the presence list to scroll down');
  });
});
