/**
 * Issue 4, end to end: presence in the Channels view follows a real client that subscribes and
 * leaves; a publication in a typing channel shows its user as typing; a long channel name stays
 * readable and copyable; a broadcast composed in the Broadcast view reaches exactly the real
 * clients its dry run counted, clears the composer after the send and confirms what was delivered;
 * a broadcast to users reaches a connected user subscribed to nothing and names an unknown id (issue
 * 14); the Events view tells a user's story, keeps its rows clear of toasts and its Details column on
 * screen at 1,024 px. Screenshots of Channels, Broadcast and Events, and Channels in dark mode.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { waitFor } from '../support/test-cluster.js';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually, leadingNumber, textOf } from './support/console-pages.js';
import { boxesOf, inside, overlaps, widths } from './support/layout-probe.js';
import { Peer } from './support/peers.js';

const LOBBY = 'chat:e2e-lobby';
const TYPING = 'typing:e2e-lobby';
const NEWS = 'chat:e2e-news';
const LONG = 'chat:room-for-the-quarterly-planning-review-of-the-north-american-sales-region-2026';

describe('the Channels, Broadcast and Events views', () => {
  let session: ConsoleSession;
  let ui: ConsoleUi;
  const peers = new Map<string, Peer>();

  async function connect(user: string): Promise<Peer> {
    const p = await Peer.connect(session.cluster, user);
    peers.set(user, p);
    return p;
  }

  before(async () => {
    session = await ConsoleSession.start();
    ui = new ConsoleUi(session.page);
  });

  after(async () => {
    for (const p of peers.values()) p.disconnect();
    await session?.stop();
  });

  it('follows presence in the channel view: a client that subscribes appears, and disappears when it leaves', async () => {
    const ann = await connect('ann');
    await ann.subscribe(LOBBY);
    await ui.open('Channels');
    await ui.channels.openChannel(LOBBY);
    await ui.channels.member(LOBBY, ann.id).waitFor();

    const bob = await connect('bob');
    await bob.subscribe(LOBBY);
    const member = ui.channels.member(LOBBY, bob.id);
    await member.waitFor();
    assert.equal(await member.getAttribute('data-user'), 'bob');
    await ui.channels.detail(LOBBY).getByTestId('presence-count').filter({ hasText: '2 connections · 2 users' }).waitFor();
    await session.shot('channels');

    bob.unsubscribe(LOBBY);
    await member.waitFor({ state: 'detached' });
    await ui.channels.detail(LOBBY).getByRole('region', { name: 'Presence' }).getByText('bob left').waitFor();
    assert.deepEqual(await ui.channels.members(LOBBY).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-client'))), [ann.id]);
    assert.ok(bob.connected, 'bob only left the channel');
  });

  it('shows a publication in a typing channel as its user typing', async () => {
    const cy = await connect('cy');
    await cy.subscribe(TYPING);
    const detail = await ui.channels.openChannel(TYPING);
    await detail.getByRole('region', { name: 'Typing' }).waitFor();
    assert.equal(await ui.channels.typing(TYPING, 'cy').count(), 0, 'nobody types before the publication');

    await cy.publish(TYPING, { typing: true });
    const indicator = ui.channels.typing(TYPING, 'cy');
    await indicator.waitFor();
    assert.match((await indicator.textContent()) ?? '', /cy is typing/);
    await detail.getByRole('region', { name: 'Typing' }).getByText('1 signal since you opened the channel').waitFor();
    await session.shot('channels-typing');
  });

  it('shows a long channel name whole: namespace and end in the list, all of it in the row\'s title and the detail, copied by "Copy name"', async () => {
    const { page } = session;
    await (await connect('hal')).subscribe(LONG);
    const row = ui.channels.row(LONG);
    await row.waitFor({ timeout: 15_000 });
    const cell = row.locator('td.channel-name');
    assert.equal(await cell.getAttribute('title'), LONG);
    // Too long for the column: the middle gives way, the namespace and the end stay in view.
    const [cellBox] = await boxesOf(page, `[data-channel="${LONG}"] td.channel-name`);
    for (const [part, text] of [['.ch-head', 'chat:'], ['.ch-tail', 'region-2026']] as const) {
      assert.equal(await textOf(cell.locator(part)), text);
      const [box] = await boxesOf(page, `[data-channel="${LONG}"] ${part}`);
      assert.ok(box && cellBox && box.width > 0 && inside(box, cellBox), `${text} is in view in the cell`);
    }
    const middle = await widths(cell.locator('.ch-middle'));
    assert.ok(middle.scroll > middle.client, 'the middle is elided');
    const end = await widths(cell.locator('.ch-tail'));
    assert.ok(end.scroll <= end.client, 'the end is whole');

    const detail = await ui.channels.openChannel(LONG);
    const title = detail.getByTestId('channel-title');
    assert.equal(await textOf(title), LONG);
    const wrap = await widths(title);
    assert.ok(wrap.scroll <= wrap.client, 'the title wraps rather than overflows');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await detail.getByRole('button', { name: 'Copy name', exact: true }).click();
    await detail.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), LONG);
    await session.shot('channels-long-name');
  });

  it('delivers a broadcast to a channel to exactly as many subscribers as the dry run counted', async () => {
    for (const user of ['dan', 'eve', 'fay']) await (await connect(user)).subscribe(NEWS);
    await connect('gus'); // connected, not subscribed: outside the audience
    const message = { notice: 'news desk maintenance', n: 1 };

    await ui.open('Broadcast');
    await ui.broadcast.audience('Channels', NEWS);
    await ui.broadcast.json(message);
    const reach = await ui.broadcast.previewReach();
    assert.equal(leadingNumber(reach), 3, `the dry run counts the channel's subscribers: ${reach}`);
    assert.equal(await ui.broadcast.send(), reach, 'the confirmation repeats the dry run');

    const got = (): Peer[] => [...peers.values()].filter((p) => p.received(NEWS).some((d) => JSON.stringify(d) === JSON.stringify(message)));
    await waitFor(() => got().length >= leadingNumber(reach), { timeoutMs: 10_000, what: 'the subscribers to receive the broadcast' });
    await ui.toast(`Sent to channel ${NEWS} — published; reach ${reach}`); // the server's count of the real send
    assert.deepEqual(got().map((p) => p.user).sort(), ['dan', 'eve', 'fay']);
    assert.equal(got().length, leadingNumber(reach), 'as many received it as the dry run said');
    const record = ui.broadcast.records().filter({ hasText: NEWS }).filter({ hasText: reach }).first();
    await record.waitFor();
    assert.equal(await textOf(record.getByTestId('broadcast-record-delivered')), 'not counted', 'a publication claims no delivered count');
    assert.deepEqual(await ui.broadcast.state('Channels'), { targets: '', message: '', canSend: false }, 'the composer is cleared: a second click sends nothing');
    assert.match(await textOf(ui.broadcast.sentNotice()), new RegExp(`^Sent to channel ${NEWS}`));
  });

  it('delivers a broadcast to everyone to every connected client, as many as the dry run counted', async () => {
    const message = { notice: 'all hands', n: 2 };
    await ui.broadcast.audience('Everyone');
    await ui.broadcast.json(message);
    const reach = await ui.broadcast.previewReach();
    const connected = [...peers.values()].filter((p) => p.connected);
    assert.equal(leadingNumber(reach), connected.length, `the dry run counts every connection: ${reach}`);
    assert.equal(await ui.broadcast.send(), reach);

    const got = (): Peer[] => [...peers.values()].filter((p) => p.messages.some((d) => JSON.stringify(d) === JSON.stringify(message)));
    await waitFor(() => got().length >= connected.length, { timeoutMs: 10_000, what: 'every client to receive the broadcast' });
    assert.equal(got().length, leadingNumber(reach), 'as many received it as the dry run said');
    await ui.toast(`Sent to Everyone — ${leadingNumber(reach)} delivered (reach ${reach})`);
    await eventually(() => ui.broadcast.records().count(), (n) => n === 2, 'both broadcasts in the list');
    assert.equal(await textOf(ui.broadcast.records().first().getByTestId('broadcast-record-delivered')), `${leadingNumber(reach)} delivered`);
    await session.shot('broadcast');
  });

  it('reaches a user by their connections though they subscribe to nothing, names an unknown id, then clears the form and lists what was delivered', async () => {
    await connect('ivy'); // connected, subscribed to no channel at all
    const message = { notice: 'for ivy and ann', n: 3 };
    await ui.broadcast.audience('Users', 'ivy, ann, nobody-here');
    await ui.broadcast.json(message);
    const reach = await ui.broadcast.previewReach();
    assert.equal(leadingNumber(reach), 2, `ivy's and ann's connections: ${reach}`);
    const perUser = await textOf(ui.broadcast.userReach());
    assert.match(perUser, /ivy 1 · ann 1/);
    assert.match(perUser, /nobody-here — not connected on any node/);
    await session.shot('issue14-broadcast-reach');
    assert.equal(await ui.broadcast.send(), reach);

    const got = (): Peer[] => [...peers.values()].filter((p) => p.messages.some((d) => JSON.stringify(d) === JSON.stringify(message)));
    await waitFor(() => got().length >= 2, { timeoutMs: 10_000, what: 'ivy and ann to receive the broadcast' });
    assert.deepEqual(got().map((p) => p.user).sort(), ['ann', 'ivy']);

    const notice = ui.broadcast.sentNotice();
    assert.equal(await textOf(notice.getByTestId('broadcast-sent-delivered')), '2');
    assert.match(await textOf(notice), /^Sent to 3 users: ivy, ann, nobody-here/);
    assert.match(await textOf(notice), /nobody-here — not connected on any node/);
    assert.deepEqual(await ui.broadcast.state('Users'), { targets: '', message: '', canSend: false }, 'the composer is cleared: a second click sends nothing');
    const record = ui.broadcast.records().filter({ hasText: 'ivy, ann, nobody-here' }).first();
    await record.waitFor();
    const delivered = record.getByTestId('broadcast-record-delivered');
    assert.match(await textOf(delivered), /^2 delivered/);
    assert.equal(await textOf(delivered.locator('.record-missing')), 'nobody-here not connected');
    await session.shot('issue14-broadcast-sent');
  });

  it('tells one user\'s story in the Events view: connected, subscribed, unsubscribed', async () => {
    await ui.open('Events');
    await ui.events.rows().first().waitFor();
    await session.shot('events');
    await ui.events.filterByUser('bob');
    const rows = await eventually(() => ui.events.rendered(), (r) => r.some((x) => x.type === 'client.unsubscribed'), 'bob\'s unsubscribe in the log');
    assert.ok(rows.every((r) => r.user === 'bob'), `users shown: ${[...new Set(rows.map((r) => r.user))].join(', ')}`);
    // Newest first.
    assert.deepEqual(rows.map((r) => r.type).filter((t) => t.startsWith('client.')).reverse(),
      ['client.connected', 'client.subscribed', 'client.unsubscribed']);
  });

  it('exports the events shown as NDJSON with ISO times, and says what it saved', async () => {
    const { page } = session;
    await ui.open('Events');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export NDJSON' }).click()]);
    const name = download.suggestedFilename();
    assert.match(name, /^switchboard-events-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.ndjson$/);
    const lines = readFileSync((await download.path())!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { time: string; at: number; user?: string });
    assert.ok(lines.length > 0 && lines.every((e) => e.time === new Date(e.at).toISOString()), 'every line leads with its ISO time');
    assert.ok(lines.every((e) => e.user === 'bob'), 'only the events shown (filtered to bob) are exported');
    await page.getByTestId('toasts').getByText(`Exported ${lines.length.toLocaleString('en-US')} event${lines.length === 1 ? '' : 's'} to ${name}`).waitFor();
  });

  it('keeps the Events list clear of toasts, which can be dismissed and go away by themselves', async () => {
    const { page } = session;
    await ui.open('Nodes');
    await ui.nodes.setRouting('round-robin');
    await ui.toast('Routing: round-robin');
    await ui.nodes.setRouting('least-connections');
    await ui.toast('Routing: least-connections');
    const shownAt = Date.now();
    await ui.open('Events');
    await ui.events.rows().first().waitFor();

    const toasts = await boxesOf(page, '.toast');
    assert.ok(toasts.length >= 1, 'a toast shows');
    const [list] = await boxesOf(page, '.event-rows');
    const rows = await boxesOf(page, '[data-testid="event-row"]');
    const lastInView = rows.filter((r) => r.y < list!.y + list!.height).pop()!;
    for (const toast of toasts) {
      assert.ok(!overlaps(toast, list!), `a toast at y=${toast.y} covers the list (y ${list!.y}–${list!.y + list!.height})`);
      assert.ok(!overlaps(toast, lastInView), 'a toast covers the last row in view');
    }
    await session.shot('events-toasts');

    const newest = page.locator('.toast').filter({ hasText: 'Routing: least-connections' });
    await newest.getByRole('button', { name: 'Dismiss' }).click();
    await newest.waitFor({ state: 'detached', timeout: 1000 });
    assert.ok(Date.now() - shownAt < 4000, 'dismissed before it would have expired');

    // The other one was never clicked: it goes by itself.
    await page.locator('.toast').filter({ hasText: 'Routing: round-robin' }).waitFor({ state: 'detached', timeout: 8000 });
    await eventually(() => page.locator('.toast').count(), (n) => n === 0, 'no toast left', 8000);
    const [after] = await boxesOf(page, '.event-rows');
    assert.ok(after!.height > list!.height, 'the list takes the room back once no toast shows');
  });

  it('keeps the Events Details column on screen in a 1,024 px window', async () => {
    const { page } = session;
    await page.setViewportSize({ width: 1024, height: 860 });
    try {
      await ui.events.rows().first().waitFor();
      const [card] = await boxesOf(page, '.events-card');
      const head = await boxesOf(page, '.event-head > span');
      assert.equal(head.length, 7);
      for (const cell of head) assert.ok(inside(cell, card!), `a column header at x=${cell.x} is past the card's edge (${card!.x + card!.width})`);
      assert.ok(head[6]!.width >= 140, `Details is ${head[6]!.width} px wide`);
      await session.shot('events-1024');
    } finally {
      await page.setViewportSize({ width: 1360, height: 860 });
    }
  });

  it('follows the OS in dark mode: the Channels view with a channel open', async () => {
    const dark = await ConsoleUi.openIn(session, 'dark');
    try {
      await dark.open('Channels');
      await dark.channels.openChannel(LOBBY);
      await dark.channels.member(LOBBY, peers.get('ann')!.id).waitFor();
      await dark.shot('channels-dark');
      await dark.open('Broadcast');
      await dark.broadcast.records().first().waitFor();
      await dark.shot('broadcast-dark');
    } finally {
      await dark.page.context().close();
    }
  });
});
