/**
 * Issue 14, end to end: a connection kicked from the console leaves an entry in the Audit view
 * (who — this browser's admin connection —, the target, reach 1, ok); the search and the action
 * filter narrow the list to it; Export CSV downloads it with an ISO 8601 time and a toast names the
 * file and the count. And the Overview's Latest events keeps the nodes' start events in view after
 * 1,000 client.subscribed events, which it folds into a counted line.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminClient } from '../support/admin-client.js';
import { adminError, openAdmin } from '../support/admin-helpers.js';
import { AuditPage } from './support/audit-page.js';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually } from './support/console-pages.js';
import { Peer } from './support/peers.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const SUBSCRIBES = 1000;

describe('the Audit view', () => {
  let session: ConsoleSession;
  let ui: ConsoleUi;
  let audit: AuditPage;
  let admin: AdminClient;
  const peers: Peer[] = [];

  before(async () => {
    session = await ConsoleSession.start({ nodes: 2 });
    ui = new ConsoleUi(session.page);
    audit = new AuditPage(session.page);
    admin = await openAdmin(session.cluster);
  });

  after(async () => {
    for (const p of peers) p.disconnect();
    await session?.stop();
  });

  it('lists a kick made from the console with who, target, reach and result', async () => {
    for (const user of ['kim', 'lee']) peers.push(await Peer.connect(session.cluster, user));
    const kim = peers[0]!;
    await admin.request('channel.publish', { channel: 'news', data: { text: 'audited publish' } });
    await adminError(admin, 'node.kill', { node: 'node-99' });
    await ui.open('Connections');
    await ui.connections.row(kim.id).waitFor();
    await ui.connections.kick(kim.id, 'e2e: audit');
    await kim.disconnectedBy();

    await ui.open('Audit');
    // The Overview's first-client help mints a demo token when it opens: an admin action too.
    await audit.filterAction('token.mint');
    await eventually(() => audit.rendered(), (r) => r.length === 1 && r[0]!.target === 'user demo', 'the console\'s own token.mint');
    await audit.filterAction('');
    const all = await eventually(() => audit.rendered(), (r) => r.length === 4, 'four audit entries');
    const rows = all.filter((r) => r.action !== 'token.mint');
    const [kick, kill, publish] = rows as [typeof rows[0], typeof rows[0], typeof rows[0]];
    assert.equal(kick.action, 'session.kick');
    assert.match(kick.who, /^admin-\d+ \(127\.0\.0\.1, browser\)$/);
    assert.equal(kick.target, `client ${kim.id}`);
    assert.equal(kick.reach, '1');
    assert.match(kick.result, /^ok\s+kicked 1$/);
    assert.match(kick.iso, ISO);
    assert.equal(kill.action, 'node.kill');
    assert.match(kill.result, /^404\s+/);
    assert.match(kill.who, /^admin-\d+ \(127\.0\.0\.1\)$/, 'a tool without an Origin is named by its address');
    assert.equal(publish.target, 'channel news');
    await session.shot('issue14-audit');
  });

  it('narrows the list with the search box and the action filter', async () => {
    const kim = peers[0]!;
    await audit.search(kim.id);
    await eventually(() => audit.rendered(), (r) => r.length === 1 && r[0]!.action === 'session.kick', 'only the kick to match');
    assert.match(await audit.count(), /^1 entry/);
    await audit.search('');
    await eventually(() => audit.rendered(), (r) => r.length === 4, 'all four again');
    await audit.filterAction('channel.publish');
    await eventually(() => audit.rendered(), (r) => r.length === 1 && r[0]!.target === 'channel news', 'only the publish');
    await audit.filterAction('');
    await audit.search(kim.id);
    await eventually(() => audit.rendered(), (r) => r.length === 1, 'the kick alone again');
  });

  it('exports what matches as CSV with ISO 8601 times, and says so in a toast', async () => {
    const kim = peers[0]!;
    const { name, text } = await audit.export('csv');
    assert.match(name, /^switchboard-audit-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.csv$/);
    const lines = text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'time,who,supervisor,action,target,reach,result,detail,ms,params');
    assert.equal(lines.length, 2);
    const [time] = lines[1]!.split(',');
    assert.match(time!, ISO);
    assert.ok(lines[1]!.includes(`session.kick,client ${kim.id},1,ok,kicked 1`), lines[1]);
    await ui.toast(`Exported 1 audit entry to ${name}`);
  });
});

describe('Latest events on the Overview', () => {
  let session: ConsoleSession;
  const peers: Peer[] = [];

  before(async () => {
    session = await ConsoleSession.start({ nodes: 2 });
  });

  after(async () => {
    for (const p of peers) p.disconnect();
    await session?.stop();
  });

  it(`keeps the node events in view after ${SUBSCRIBES.toLocaleString('en-US')} client.subscribed events, counted in one line`, async () => {
    const ui = new ConsoleUi(session.page);
    // 20 clients of 50 subscriptions each: within a client's channel limit (128 by default).
    for (let i = 0; i < SUBSCRIBES; i += 50) {
      const peer = await Peer.connect(session.cluster, `busy-${i / 50}`);
      peers.push(peer);
      await Promise.all(Array.from({ length: 50 }, (_, k) => peer.subscribe(`chat:e2e-flood-${i + k}`)));
    }
    await ui.open('Overview');
    const page = session.page;
    const clients = page.getByTestId('latest-clients').first();
    await eventually(async () => Number(await clients.getAttribute('data-count')), (n) => n === SUBSCRIBES + SUBSCRIBES / 50, `a line counting ${SUBSCRIBES} subscribes and ${SUBSCRIBES / 50} connects`, 20_000);
    assert.match(await clients.innerText(), /1,000 subscribed, 20 connected/);
    const starts = page.getByTestId('latest-event').and(page.locator('[data-type="node.started"]'));
    assert.equal(await starts.count(), 2, 'both nodes\' start events are still listed');
    await session.shot('issue14-latest-events');
    await page.getByTestId('latest-show-clients').click();
    await eventually(() => page.getByTestId('latest-event').and(page.locator('[data-type="client.subscribed"]')).count(), (n) => n === 10, 'ten client.subscribed lines when asked');
  });
});
