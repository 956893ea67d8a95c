/**
 * A fleet started with `switchboard simulate` in a terminal shows in the Simulator view, read-only:
 * its profile, clients, state and counts rise while it runs; paused (SIGSTOP) it is greyed as "lost
 * contact" after 5 s and comes back when it resumes; Ctrl+C in its terminal ends it and the view
 * shows its final state. axe-core finds no serious violation, live or greyed. Screenshots:
 * issue14-external-fleet, issue14-external-fleet-lost, issue14-external-fleet-1024.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleSession } from './support/console-session.js';
import { eventually } from './support/console-pages.js';
import { assertNoSeriousViolations } from './support/axe.js';
import { ExternalFleetsPage } from './support/external-fleets-page.js';
import type { SimulateProcess } from '../support/simulate-process.js';
import { startSimulate } from '../support/simulate-process.js';

/** 12 chat bots in 3 rooms, 2 publications/s per room; long enough that the test, not the clock, ends it. */
const FLEET = ['--profile', 'chat', '--clients', '12', '--channels', '3', '--rate', '2', '--ramp', '1s', '--duration', '2m'];

describe('a fleet started with switchboard simulate, in the Simulator view', () => {
  let session: ConsoleSession;
  let fleets: ExternalFleetsPage;
  let cli: SimulateProcess | undefined;

  before(async () => {
    session = await ConsoleSession.start();
    fleets = new ExternalFleetsPage(session.page);
  });

  after(async () => {
    await cli?.stop();
    await session?.stop();
  });

  it('says none is reporting before one starts', async () => {
    await session.open('Simulator');
    await fleets.section().getByText('None reporting.').waitFor();
  });

  it('shows the fleet with its counts rising while it runs, read-only, and says how to stop it', async () => {
    const { cluster } = session;
    cli = startSimulate({
      clientUrl: cluster.handle.clientUrl, apiUrl: cluster.handle.apiUrl, apiKey: cluster.config.apiKey, tokenSecret: cluster.config.client.tokenHmacSecret,
    }, FLEET);
    const pid = cli.pid;
    const running = await eventually(() => fleets.read(pid), (r) => r?.state === 'running' && r.connected === 12 && r.sent > 0,
      'the CLI fleet running with its 12 bots connected', 45_000);
    await eventually(() => fleets.read(pid), (r) => r !== null && r.sent > running!.sent && r.received > running!.received, 'its counts to rise');
    const row = await fleets.row(pid).textContent() ?? '';
    assert.match(row, /chat · 12 clients/);
    assert.match(row, new RegExp(`pid ${pid}`));
    assert.equal((await fleets.read(pid))!.lost, 0);
    assert.equal((await fleets.read(pid))!.lostContact, false);
    assert.match((await fleets.read(pid))!.age, /^\d+ s ago$/);
    assert.equal(await fleets.buttons(), 0, 'nothing to press: it is stopped in its terminal');
    assert.match(await fleets.stopHint(), /press Ctrl\+C in the terminal running switchboard simulate/);
    await session.shot('issue14-external-fleet');
    await assertNoSeriousViolations(session.page, 'the Simulator view with a fleet started elsewhere');
  });

  it('fits its table in the section at 1,024 px, with no sideways scrolling', async () => {
    const size = session.page.viewportSize()!;
    await session.page.setViewportSize({ width: 1024, height: size.height });
    try {
      const overflow = await session.page.evaluate<number>(`(() => {
        const table = document.querySelector('.sim-external-table');
        return table.scrollWidth - table.parentElement.clientWidth;
      })()`);
      assert.ok(overflow <= 0, `the table is ${overflow} px wider than its section`);
      await session.shot('issue14-external-fleet-1024');
    } finally {
      await session.page.setViewportSize(size);
    }
  });

  it('greys a fleet it has not heard from for over 5 s, and shows it live again once it reports', async () => {
    const pid = cli!.pid;
    cli!.child.kill('SIGSTOP');
    try {
      // The row's cells are read one after another: wait for a read in which the grey and the words agree.
      const lost = await eventually(() => fleets.read(pid), (r) => r?.lostContact === true && r.age.startsWith('lost'), 'the row to say contact is lost', 15_000);
      assert.match(lost!.age, /^lost contact \d+ s ago$/);
      await session.shot('issue14-external-fleet-lost');
      await assertNoSeriousViolations(session.page, 'a fleet greyed as lost contact');
    } finally {
      cli!.child.kill('SIGCONT');
    }
    await eventually(() => fleets.read(pid), (r) => r?.lostContact === false && r.state === 'running', 'the fleet back in contact', 15_000);
  });

  it('shows its final state once Ctrl+C ends it in its terminal', async () => {
    const pid = cli!.pid;
    cli!.child.kill('SIGINT');
    assert.equal(await cli!.exitWithin(30_000), 0);
    const final = await eventually(() => fleets.read(pid), (r) => r?.state === 'finished', 'the final state', 10_000);
    assert.match(final!.age, /^final · \d+ s ago$/);
    assert.equal(final!.lostContact, false, 'a fleet that ended is not "lost"');
  });
});
