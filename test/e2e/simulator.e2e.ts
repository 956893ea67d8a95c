/**
 * The Simulator view, end to end against a real cluster and a real fleet: bad input is named before
 * anything is sent; a small chat fleet started from the form connects, its counts rise, and the
 * console's own connection count matches the fleet's; a console that has not heard of the run is
 * shown the cluster's 409; Stop ends the fleet, its final counts stay and the connections go back
 * to 0. Screenshots in light and dark.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually } from './support/console-pages.js';
import { openUnawareConsole, SimulatorPage } from './support/simulator-page.js';

/** 20 bots, 10 per room, 2 publications/s per room; long enough that the test, not the clock, stops it. */
const FLEET = { Clients: '20', Channels: '2', Rate: '2', 'Ramp-up': '1s', Duration: '2m' } as const;

describe('the Simulator view', () => {
  let session: ConsoleSession;
  let ui: ConsoleUi;
  let sim: SimulatorPage;

  before(async () => {
    session = await ConsoleSession.start();
    ui = new ConsoleUi(session.page);
    sim = new SimulatorPage(session.page);
  });

  after(async () => {
    await session?.stop(); // stopping the cluster also ends a fleet still running
  });

  it('opens with Alt+7 and names bad input inline, with Start disabled, before anything is sent', async () => {
    await ui.open('Overview');
    await session.page.keyboard.press('Alt+7');
    await session.page.getByRole('heading', { level: 1, name: 'Simulator' }).waitFor();
    assert.equal(await sim.runId(), '', 'no fleet has run yet');

    await sim.fill({ Clients: '20001', Rate: 'fast', Duration: '25h' });
    assert.equal(await sim.fieldError('clients'), 'At most 20,000.');
    assert.equal(await sim.fieldError('rate'), 'A number, like 2 or 0.5.');
    assert.equal(await sim.fieldError('duration'), 'At most 24h.');
    assert.equal(await sim.fieldError('channels'), '');
    assert.ok(await sim.startButton().isDisabled(), 'Start waits for valid input');
    await session.shot('simulator-invalid');
  });

  it('starts a 20-client chat fleet: its counts rise, and the console counts exactly the connections the fleet has', async () => {
    await sim.profile('chat');
    await sim.fill(FLEET);
    assert.match(await sim.plan(), /^20 bots in 1 bot process · 2 channels of 10 · 4 publications\/s → ≈ 40 deliveries\/s/);
    await sim.startButton().click();
    await ui.toast(/^Fleet sim-\d+ started: 20 chat clients on 2 channels/);
    await sim.waitForState(['running'], 20_000);

    const conns = await eventually(() => sim.pair('connections'), (p) => p.fleet === 20 && p.console === 20,
      'the fleet and the console both at 20 connections', 15_000);
    assert.match(conns.verdict, /^Console says 20 connections, fleet says 20 connected — agree$/);
    await eventually(() => sim.pair('subscriptions'), (p) => p.fleet === 40 && p.console === 40,
      'a room and a typing channel per bot, on both sides');

    const received = await eventually(() => sim.count('received'), (n) => n > 0, 'the first deliveries', 15_000);
    await eventually(() => sim.count('received'), (n) => n > received, 'deliveries to keep rising');
    assert.ok((await sim.count('sent')) > 0, 'bots publish');
    for (const tile of ['lost', 'duplicated', 'out-of-order'] as const) {
      assert.equal(await sim.count(tile), 0, `${tile} is 0`);
      assert.equal(await sim.tone(tile), '', `${tile} is not highlighted`);
    }
    assert.ok(await sim.startButton().isDisabled(), 'one fleet at a time');
    await session.shot('simulator');
  });

  it('shows the cluster\'s refusal (409) in a console that has not yet heard of the running fleet', async () => {
    const other = await openUnawareConsole(session);
    try {
      const otherSim = new SimulatorPage(other.page);
      await other.open('Simulator');
      assert.equal(await otherSim.runId(), '', 'this console knows of no fleet');
      await otherSim.fill({ Clients: '5', Channels: '1', 'Ramp-up': '0', Duration: '10s' });
      await otherSim.startButton().click();
      const refusal = await eventually(() => otherSim.refusal(), (t) => t !== '', 'the refusal beside the Start button');
      assert.match(refusal, /^The cluster refused the start \(409, conflict\): a simulation is already running/);
      await other.shot('simulator-refused');
    } finally {
      await other.page.context().close();
    }
    assert.equal(await sim.state(), 'running', 'the first fleet runs on');
  });

  it('follows the OS in dark mode: the running fleet beside the console\'s figures', async () => {
    const dark = await ConsoleUi.openIn(session, 'dark');
    try {
      const darkSim = new SimulatorPage(dark.page);
      await dark.open('Simulator');
      await darkSim.waitForState(['running']);
      await eventually(() => darkSim.pair('connections'), (p) => p.fleet === 20 && p.console === 20, 'both sides at 20 in the dark console');
      await eventually(() => darkSim.count('received'), (n) => n > 0, 'deliveries in the dark console');
      await dark.shot('simulator-dark');
    } finally {
      await dark.page.context().close();
    }
  });

  it('stops the fleet: the final counts stay, nothing was lost, and the console\'s connections go back to 0', async () => {
    await sim.stop();
    await ui.toast('Fleet stopped');
    await sim.waitForState(['finished']);
    const conns = await eventually(() => sim.pair('connections'), (p) => p.fleet === 0 && p.console === 0,
      'the fleet and the console both back to 0 connections');
    assert.match(conns.verdict, /^Console says 0 connections, fleet says 0 connected — agree$/);
    assert.ok((await sim.count('sent')) > 0 && (await sim.count('received')) > 0, 'the final counts stay on screen');
    for (const tile of ['lost', 'duplicated', 'out-of-order'] as const) assert.equal(await sim.count(tile), 0, `${tile} is 0`);
    assert.ok(await sim.startButton().isEnabled(), 'a new fleet can start');
    await session.shot('simulator-finished');
    await ui.open('Overview');
    await ui.overview.waitForTile('connections', '0');
  });
});
