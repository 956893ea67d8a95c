/**
 * Issue 14, end to end: a console opened after 700 connections starts with the latest 500 events;
 * "Load … earlier" brings the rest back from the supervisor's ring, in order, down to the cluster's
 * first event, and then says nothing earlier is kept. Screenshot of the Events view's end.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminClient } from '../support/admin-client.js';
import { openAdmin } from '../support/admin-helpers.js';
import { waitFor } from '../support/test-cluster.js';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually, textOf } from './support/console-pages.js';
import type { CrowdMember } from './support/peers.js';
import { closeCrowd, openCrowd } from './support/peers.js';

const CROWD = 700;
/** What a console replays when it connects (bridge.ts). */
const REPLAYED = 500;

describe('earlier events in the Events view', () => {
  let session: ConsoleSession;
  let ui: ConsoleUi;
  let admin: AdminClient;
  let crowd: CrowdMember[] = [];

  before(async () => {
    session = await ConsoleSession.start();
    ui = new ConsoleUi(session.page);
    admin = await openAdmin(session.cluster);
  });

  after(async () => {
    closeCrowd(crowd);
    await session?.stop();
  });

  it('starts with the latest 500 and loads the earlier ones from the supervisor, down to its first event', async () => {
    crowd = await openCrowd(session.cluster, { total: CROWD, users: 50, batch: 50, prefix: 'early' });
    let kept = 0;
    await waitFor(async () => {
      const { events } = await admin.request('events.since', { seq: 0, limit: 5000 });
      kept = events.length;
      return events.filter((e) => e.type === 'client.connected').length === CROWD;
    }, { timeoutMs: 20_000, what: `the supervisor to log ${CROWD} connects` });
    assert.ok(kept > REPLAYED + 100, `${kept} events kept`);

    // A console opened now: the latest 500, and the way back.
    const { page } = session;
    await page.reload();
    await page.getByTestId('link-status').filter({ hasText: 'Connected' }).waitFor();
    await ui.open('Events');
    await ui.events.rows().first().waitFor();
    const earlier = page.getByTestId('events-earlier');
    const before = await eventually(() => textOf(earlier), (t) => /event #[\d,]+\)/.test(t), 'how far back the console reaches');
    const oldest = Number(/event #([\d,]+)\)/.exec(before)![1]!.replaceAll(',', ''));
    assert.ok(oldest > 100, `the console starts at event #${oldest}, not the first`);
    const page1 = Math.min(1000, oldest - 1);
    const load = earlier.getByRole('button', { name: `Load ${page1.toLocaleString('en-US')} earlier ${page1 === 1 ? 'event' : 'events'}` });
    await load.waitFor();
    await session.shot('issue14-events-earlier-before');

    await load.click();
    await earlier.getByTestId('events-earlier-end').filter({ hasText: 'Nothing earlier: the supervisor keeps no older event.' }).waitFor();
    assert.match(await textOf(earlier), /\(event #1\)/);
    const { lastSeq } = await admin.request('events.since', { seq: 0, limit: 1 });
    const count = Number((await textOf(page.getByTestId('events-count'))).replaceAll(',', '').split(' ')[0]);
    assert.ok(count >= kept && count <= lastSeq, `the console holds ${count} events, the supervisor logged ${lastSeq}`);

    // The bottom of the newest-first list is the cluster's first event, in order.
    await page.evaluate('(() => { const el = document.querySelector(".event-rows"); el.scrollTop = el.scrollHeight; })()');
    const seqs = await eventually(
      () => ui.events.rows().evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq')))),
      (s) => s.at(-1) === 1, 'the first event at the bottom of the list');
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first, the earlier ones too');
    await session.shot('issue14-events-earlier');
  });
});
