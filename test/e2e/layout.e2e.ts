/**
 * Issue 14, "Layout at 1,024 px and at 1,440 px", end to end on a populated cluster (a 24-bot chat
 * fleet in 12 rooms with typing channels, and real clients in a room of their own): every view fits
 * the window at both widths (no sideways scrolling, the Nodes Trend and Connections Kick columns
 * whole on screen, the filters inside their card); presence shows whole client ids; channels are
 * listed in natural order (sim-…-2 before sim-…-10); a history payload opens pretty-printed from the
 * keyboard; a chat channel links to its typing channel and back. Screenshots of every view at 1,024 px.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TestCluster } from '../support/test-cluster.js';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually, textOf } from './support/console-pages.js';
import type { ViewName } from './support/console-pages.js';
import { boxesOf, inside, sidewaysOverflow, widths } from './support/layout-probe.js';
import type { Box } from './support/layout-probe.js';
import { Peer } from './support/peers.js';
import { SimulatorPage } from './support/simulator-page.js';
import { TwoSupervisors } from './support/two-supervisors.js';

const ROOM = 'chat:layout-room';
const TYPING = 'typing:layout-room';
/** 24 bots, 2 per room: rooms sim-<tag>-0 … sim-<tag>-11, each with its typing channel; longer than the test. */
const FLEET = { Clients: '24', Channels: '12', Rate: '1', 'Ramp-up': '1s', Duration: '10m' } as const;
const PAYLOAD = { text: 'the quarterly numbers are in, see the attached summary for every region', region: { name: 'north', figures: [12, 7, 31] }, ok: true };
/** The views of routes.ts this file knows how to fill; any other view in the sidebar is checked as it opens. */
const KNOWN: ViewName[] = ['Overview', 'Nodes', 'Connections', 'Channels', 'Broadcast', 'Events', 'Simulator'];
const WIDTHS = [1024, 1440] as const;
/** Widths around the Nodes table's switch between its wide and compact forms, and common laptop widths. */
const NODES_WIDTHS = [1100, 1280, 1320, 1340, 1366, 1400, 1600];
const HEIGHT = 860;

describe('the console at 1,024 and 1,440 px wide, with a busy cluster', () => {
  let session: ConsoleSession;
  let ui: ConsoleUi;
  const peers: Peer[] = [];

  before(async () => {
    session = await ConsoleSession.start();
    ui = new ConsoleUi(session.page);
    const sim = new SimulatorPage(session.page);
    await ui.open('Simulator');
    await sim.profile('chat');
    await sim.fill(FLEET);
    await sim.startButton().click();
    await sim.waitForState(['running']);
    await eventually(() => sim.pair('connections'), (p) => p.fleet === 24 && p.console === 24, 'the fleet\'s 24 bots to be counted', 20_000);
    for (const user of ['ann', 'bob', 'cy']) {
      const p = await Peer.connect(session.cluster, user);
      peers.push(p);
      await p.subscribe(ROOM);
      await p.subscribe(TYPING);
    }
    await peers[0]!.publish(ROOM, PAYLOAD);
  });

  after(async () => {
    for (const p of peers) p.disconnect();
    await session?.stop(); // ends the fleet with the cluster
  });

  for (const width of WIDTHS) {
    it(`fits every view in a ${width} px window: nothing scrolls sideways, Trend and Kick are whole on screen`, async () => {
      const { page } = session;
      await page.setViewportSize({ width, height: HEIGHT });
      const views = (await page.getByRole('navigation', { name: 'Views' }).getByRole('link').allTextContents()).map((v) => v.trim());
      for (const k of KNOWN) assert.ok(views.includes(k), `${k} is in the sidebar: ${views.join(', ')}`);
      for (const view of views as ViewName[]) {
        await openView(page, ui, view);
        await populated(page, ui, view);
        await eventually(() => sidewaysOverflow(page), (o) => o.length === 0, `${view} at ${width} px to have nothing scrolling sideways`);
        const screen: Box = { x: 0, y: 0, width, height: Number.MAX_SAFE_INTEGER };
        if (view === 'Nodes') await wholeInside(page, '[data-testid="nodes-table"] td.nodes-trend', screen, 'the Trend cells', 3);
        if (view === 'Connections') {
          await wholeInside(page, '[data-testid="conn-row"] button[data-kick]', screen, 'the Kick buttons', 20);
          const [card] = await boxesOf(page, 'form.conn-filters');
          await wholeInside(page, 'form.conn-filters :is(input, select, button)', card!, 'the filters, inside their card', 6);
        }
        if (view === 'Channels') await wholeInside(page, '[data-testid="presence-member"] td', screen, 'the presence cells', 3);
        if (width === 1024) await session.shot(`issue14-layout-${view.toLowerCase()}-1024`);
      }
    });
  }

  it('keeps the Nodes table on screen at every width around its switch to the compact form', async () => {
    const { page } = session;
    await ui.open('Nodes');
    for (const width of NODES_WIDTHS) {
      await page.setViewportSize({ width, height: HEIGHT });
      await eventually(() => sidewaysOverflow(page), (o) => o.length === 0, `Nodes at ${width} px to have nothing scrolling sideways`);
      await wholeInside(page, '[data-testid="nodes-table"] td.nodes-trend', { x: 0, y: 0, width, height: Number.MAX_SAFE_INTEGER }, `the Trend cells at ${width} px`, 3);
    }
    assert.equal(await page.locator('table.nodes-table:not(.compact)').count(), 1, `the wide form at ${NODES_WIDTHS.at(-1)} px`);
  });

  it('shows presence client ids whole, with the full id as the cell\'s title', async () => {
    for (const width of WIDTHS) {
      await session.page.setViewportSize({ width, height: HEIGHT });
      await ui.open('Channels');
      const detail = await ui.channels.openChannel(ROOM);
      for (const p of peers) {
        const cell = ui.channels.member(ROOM, p.id).locator('td').nth(1);
        assert.equal(await textOf(cell), p.id);
        assert.equal(await cell.getAttribute('title'), p.id);
        const w = await widths(cell);
        assert.ok(w.scroll <= w.client, `${p.id} is not cut at ${width} px (${w.scroll} > ${w.client})`);
      }
      assert.ok(await detail.isVisible());
    }
  });

  it('lists channels in natural order: sim-…-2 before sim-…-10, sorted by name both ways and by count', async () => {
    await session.page.setViewportSize({ width: 1440, height: HEIGHT });
    await ui.open('Channels');
    const list = session.page.getByRole('region', { name: 'Channels' });
    await list.getByRole('searchbox', { name: 'Filter channels' }).fill('chat:sim-');
    const rooms = async (): Promise<number[]> => (await list.getByTestId('channel-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-channel') ?? '')))
      .map((c) => Number(/-(\d+)$/.exec(c)?.[1] ?? Number.NaN));
    const ascending = Array.from({ length: 12 }, (_, i) => i);
    // Two bots in every room: equal counts, listed by name.
    await eventually(rooms, (r) => JSON.stringify(r) === JSON.stringify(ascending), 'the rooms by subscribers, ties in natural order');
    await list.getByRole('button', { name: /^Channel/ }).click();
    await eventually(rooms, (r) => JSON.stringify(r) === JSON.stringify(ascending), 'the rooms by name, A to Z');
    await list.getByRole('button', { name: /^Channel/ }).click();
    await eventually(rooms, (r) => JSON.stringify(r) === JSON.stringify([...ascending].reverse()), 'the rooms by name, Z to A');
    await list.getByRole('button', { name: /^Channel/ }).click(); // back to A to Z
    await list.getByRole('searchbox', { name: 'Filter channels' }).fill('');
  });

  it('opens a history payload pretty-printed with Enter, and folds it back to one line with a click', async () => {
    const { page } = session;
    await ui.open('Channels');
    const detail = await ui.channels.openChannel(ROOM);
    const item = detail.getByTestId('history-item').filter({ hasText: 'quarterly numbers' });
    const toggle = item.getByTestId('payload-toggle');
    await toggle.waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await item.getByTestId('payload-full').count(), 0, 'one line until opened');
    const line = await widths(toggle.locator('code'));
    assert.ok(line.scroll > line.client, 'the long payload is cut to one line');
    assert.equal(await toggle.evaluate((el) => (el as unknown as { tabIndex: number }).tabIndex), 0, 'reachable with Tab');

    await toggle.focus();
    await page.keyboard.press('Enter');
    const full = item.getByTestId('payload-full');
    await full.waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await full.textContent(), JSON.stringify(PAYLOAD, null, 2));
    const [fullBox] = await boxesOf(page, '[data-testid="history-item"] [data-testid="payload-full"]');
    const [list] = await boxesOf(page, '[data-testid="history"]');
    assert.ok(fullBox && list && fullBox.width > list.width * 0.8, 'the opened payload spans the row');
    await session.shot('issue14-layout-history-payload');

    await toggle.click();
    await full.waitFor({ state: 'detached' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  });

  it('links a chat channel to its typing channel, and the typing channel back to its chat', async () => {
    await ui.open('Channels');
    const chat = await ui.channels.openChannel(ROOM);
    const toTyping = chat.getByTestId('channel-companion');
    assert.equal(await toTyping.getAttribute('data-channel'), TYPING);
    assert.match(await textOf(toTyping), /^Typing channel typing:layout-room/);
    await toTyping.click();
    const typing = ui.channels.detail(TYPING);
    await typing.getByRole('region', { name: 'Typing' }).waitFor();
    const toChat = typing.getByTestId('channel-companion');
    assert.match(await textOf(toChat), /^Chat channel chat:layout-room/);
    await session.shot('issue14-layout-typing-link');
    await toChat.click();
    await ui.channels.detail(ROOM).getByRole('region', { name: 'History' }).waitFor();

    await ui.channels.openChannel((await simRoom(session.page, 0)));
    assert.equal(await ui.channels.detail(await simRoom(session.page, 0)).getByTestId('channel-companion').getAttribute('data-channel'),
      (await simRoom(session.page, 0)).replace(/^chat:/, 'typing:'), 'the simulator\'s rooms follow the same convention');
  });
});

describe('the Nodes and Connections views of one supervisor over two on one Redis, at 1,024 and 1,440 px', () => {
  let two: TwoSupervisors | undefined;
  let a: TestCluster | undefined;
  let session: ConsoleSession | undefined;
  let ui: ConsoleUi;
  const peers: Peer[] = [];

  before(async () => {
    two = await TwoSupervisors.start({ a: 'sb-layout-a', b: 'sb-layout-b' });
    a = two.a;
    session = two.session;
    ui = new ConsoleUi(session.page);
    for (const [cluster, user] of [[a, 'dee'], [a, 'eli'], [session.cluster, 'fox']] as const) {
      const p = await Peer.connect(cluster, user);
      peers.push(p);
      await p.subscribe(ROOM);
    }
  });

  after(async () => {
    for (const p of peers) p.disconnect();
    await two?.stop();
  });

  it('shows every node\'s Trend and every connection\'s Kick on screen, with nothing scrolling sideways', async () => {
    const { page } = session!;
    for (const width of [...WIDTHS, ...NODES_WIDTHS]) {
      await page.setViewportSize({ width, height: HEIGHT });
      const screen: Box = { x: 0, y: 0, width, height: Number.MAX_SAFE_INTEGER };
      await ui.open('Nodes');
      await ui.nodes.row('sb-layout-a/node-2').waitFor({ timeout: 15_000 });
      await eventually(() => sidewaysOverflow(page), (o) => o.length === 0, `Nodes at ${width} px to have nothing scrolling sideways`);
      await wholeInside(page, '[data-testid="nodes-table"] td.nodes-trend', screen, `the Trend cells at ${width} px`, 3);
      if (!(WIDTHS as readonly number[]).includes(width)) continue;
      await ui.open('Connections');
      await eventually(() => ui.connections.rows().count(), (n) => n === 3, 'the three connections');
      await page.getByTestId('conn-supervisor').first().waitFor();
      await eventually(() => sidewaysOverflow(page), (o) => o.length === 0, `Connections at ${width} px to have nothing scrolling sideways`);
      await wholeInside(page, '[data-testid="conn-row"] button[data-kick]', screen, `the Kick buttons at ${width} px`, 3);
      if (width === 1024) {
        await ui.open('Nodes');
        await session!.shot('issue14-layout-nodes-supervisors-1024');
        await ui.open('Connections');
        await session!.shot('issue14-layout-connections-supervisors-1024');
      }
    }
  });
});

/** Opens a view from the sidebar: a known one by its heading, any other once its link is current and a heading shows. */
async function openView(page: Page, ui: ConsoleUi, view: ViewName): Promise<void> {
  if (KNOWN.includes(view)) return ui.open(view);
  const link = page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true });
  await link.click();
  await eventually(() => link.getAttribute('aria-current'), (c) => c === 'page', `the ${view} view to open`);
  await page.locator('main.content h1').first().waitFor();
}

/** Waits until a view shows the cluster's data (rows, an open channel, the fleet), so the layout is measured full. */
async function populated(page: Page, ui: ConsoleUi, view: ViewName): Promise<void> {
  switch (view) {
    case 'Nodes': await eventually(() => ui.nodes.rows().count(), (n) => n === 3, 'the three nodes'); return;
    case 'Connections': await eventually(() => ui.connections.rows().count(), (n) => n >= 20, 'the connections\' rows'); return;
    case 'Channels': await ui.channels.openChannel(ROOM); await ui.channels.members(ROOM).nth(2).waitFor(); return;
    case 'Events': await ui.events.rows().first().waitFor(); return;
    case 'Simulator': await page.getByTestId('sim-run').waitFor(); return;
    case 'Overview': await eventually(() => ui.overview.tileText('connections'), (t) => t === '27', 'the Overview to count 27 connections'); return;
    case 'Broadcast': return;
  }
}

/** Asserts at least `min` elements match and every one lies whole within `outer`. */
async function wholeInside(page: Page, selector: string, outer: Box, what: string, min: number): Promise<void> {
  const boxes = (await boxesOf(page, selector)).filter((b) => b.width > 0);
  assert.ok(boxes.length >= min, `${what}: ${boxes.length} found, ${min} expected`);
  const out = boxes.filter((b) => !inside(b, outer));
  assert.deepEqual(out, [], `${what} lie whole within ${JSON.stringify(outer)}`);
}

/** The name of the fleet's room `n` ("chat:sim-<tag>-n"), read from the channel list. */
async function simRoom(page: Page, n: number): Promise<string> {
  const names = await page.getByTestId('channel-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-channel') ?? ''));
  const name = names.find((c) => new RegExp(`^chat:sim-.+-${n}$`).test(c));
  if (!name) throw new Error(`no fleet room ${n} among ${names.join(', ')}`);
  return name;
}
