/**
 * Issue 4, end to end: kicking a connection from the Connections table disconnects that real
 * client and removes its row; with 2,000+ connections the table stays virtualized while it
 * scrolls (rows of far offsets render, the DOM holds fewer than 100 rows, and they are the rows
 * the server has at those offsets) and a user filter shows exactly that user's connections.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminClient } from '../support/admin-client.js';
import { openAdmin } from '../support/admin-helpers.js';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually, leadingNumber } from './support/console-pages.js';
import { closeCrowd, openCrowd, Peer } from './support/peers.js';
import type { CrowdMember } from './support/peers.js';

const CROWD = 2000;
const CROWD_USERS = 200;

describe('the Connections view', () => {
  let session: ConsoleSession;
  let ui: ConsoleUi;
  let admin: AdminClient;
  const peers: Peer[] = [];
  let crowd: CrowdMember[] = [];

  before(async () => {
    session = await ConsoleSession.start();
    ui = new ConsoleUi(session.page);
    admin = await openAdmin(session.cluster);
  });

  after(async () => {
    closeCrowd(crowd);
    for (const p of peers) p.disconnect();
    await session?.stop();
  });

  it('kicks a connection from its row without reconnect: the real client is disconnected with 3503 and the row goes', async () => {
    for (const user of ['kim', 'lee', 'lou']) peers.push(await Peer.connect(session.cluster, user));
    const [kim, lee, lou] = peers as [Peer, Peer, Peer];
    await lee.subscribe('chat:e2e-desk');
    await ui.open('Connections');
    await eventually(() => ui.connections.total(), (t) => t === '3 connections', 'the table to count 3 connections');
    await ui.connections.row(kim.id).waitFor();

    await ui.connections.kick(kim.id, 'e2e: kicked from the table');

    assert.deepEqual(await kim.disconnectedBy(), { code: 3503, reason: 'e2e: kicked from the table' });
    await ui.toast(`Kicked connection ${kim.id} · it stays disconnected`);
    await ui.connections.row(kim.id).waitFor({ state: 'detached' });
    await eventually(() => ui.connections.total(), (t) => t === '2 connections', 'the table to count 2 connections');
    assert.deepEqual((await ui.connections.rendered()).map((r) => r.client).sort(), [lee.id, lou.id].sort());
    assert.equal(kim.client.state, 'disconnected', 'a kick without reconnect leaves the client disconnected');
    assert.ok(lee.connected && lou.connected);
  });

  it('opens the detail drawer of a connection with its subscription', async () => {
    const lee = peers[1]!;
    const drawer = await ui.connections.openDrawer(lee.id);
    await drawer.getByTestId('conn-sub').filter({ hasText: 'chat:e2e-desk' }).waitFor();
    await session.shot('connections');
    await drawer.getByRole('button', { name: 'Close details' }).click();
    await drawer.waitFor({ state: 'detached' });
  });

  describe(`with ${CROWD.toLocaleString('en-US')} more connections`, () => {
    let total: number;

    before(async () => {
      crowd = await openCrowd(session.cluster, { total: CROWD, users: CROWD_USERS, batch: 200, prefix: 'crowd' });
      total = CROWD + 2;
      await eventually(async () => leadingNumber(await ui.connections.total()), (n) => n === total, `the table to count ${total} connections`, 20_000);
    });

    it('scrolls far down: the rows of later offsets render, the same the server has there, while the DOM holds fewer than 100 rows', async () => {
      for (const target of [1500, total - 1]) {
        await ui.connections.scrollToRow(target);
        const rows = await eventually(() => ui.connections.rendered(), (r) => r.some((x) => x.index === target),
          `row ${target} to render`);
        assert.ok(await ui.connections.domRowCount() < 100, 'only the rows around the view are in the DOM');
        assert.ok(rows.length < 100);
        assert.ok(rows.every((r) => Math.abs(r.index - target) < 60), `rendered offsets ${rows[0]?.index}…${rows[rows.length - 1]?.index} near ${target}`);
        const first = rows[0]!.index;
        const page = await admin.request('connections.query', { sort: { by: 'connectedAt', dir: 'desc' }, offset: first, limit: rows.length });
        assert.deepEqual(rows.map((r) => r.client), page.items.map((i) => i.client), `rows ${first}… are the server's rows at those offsets`);
        assert.deepEqual(rows.map((r) => r.index), rows.map((_, i) => first + i), 'consecutive offsets');
        if (target === 1500) await session.shot('connections-scrolled');
      }
    });

    it('filters by a user: only that user\'s rows, as many as the count says', async () => {
      const user = 'crowd-7';
      const expected = crowd.filter((m) => m.user === user).map((m) => m.client).sort();
      assert.equal(expected.length, CROWD / CROWD_USERS);
      await ui.connections.filterByUser(user);
      const shown = await eventually(() => ui.connections.total(), (t) => t.startsWith(`${expected.length} of `), `the count to say ${expected.length} match`);
      assert.equal(shown, `${expected.length} of ${total.toLocaleString('en-US')} match`);
      const rows = await eventually(() => ui.connections.rendered(), (r) => r.length === expected.length, `${expected.length} rows of ${user}`);
      assert.ok(rows.every((r) => r.user === user), `users shown: ${[...new Set(rows.map((r) => r.user))].join(', ')}`);
      assert.deepEqual(rows.map((r) => r.client).sort(), expected);
      await session.shot('connections-filtered');
    });
  });
});
