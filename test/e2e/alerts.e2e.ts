/**
 * Issue 14, end to end: in Chromium on a real cluster, the rules editor refuses a bad hold with a
 * message under the rule, then saves node-unhealthy with a 1 s hold; a node hung through the admin
 * API (node.hang) shows as a firing alert in the Alerts view and in a banner over another view,
 * and once it heals the banner goes and the alert is in the history with how long it lasted.
 * axe finds nothing serious on the view, which fits 1024 px without sideways scrolling.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminClient } from '../support/admin-client.js';
import { openAdmin } from '../support/admin-helpers.js';
import { AlertsPage } from './support/alerts-page.js';
import { assertNoSeriousViolations } from './support/axe.js';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually } from './support/console-pages.js';
import { sidewaysOverflow } from './support/layout-probe.js';
import { tabThrough } from './support/keyboard-probe.js';

const HANG_SECONDS = 8;

describe('the Alerts view', () => {
  let session: ConsoleSession;
  let ui: ConsoleUi;
  let alerts: AlertsPage;
  let admin: AdminClient;

  before(async () => {
    session = await ConsoleSession.start({ nodes: 2 });
    ui = new ConsoleUi(session.page);
    alerts = new AlertsPage(session.page);
    admin = await openAdmin(session.cluster);
  });

  after(async () => {
    await session?.stop();
  });

  it('edits a rule with validation, saves it and says so', async () => {
    await alerts.open();
    await eventually(() => alerts.status(), (t) => t === '', 'the editor loaded with nothing to say');
    await alerts.setFor('node-unhealthy', '-1');
    assert.match(await alerts.problem('node-unhealthy').innerText(), /"for" must be whole seconds from 0 to 3600, not -1/);
    assert.equal(await alerts.saveButton().isDisabled(), true, 'nothing invalid can be saved');
    await session.page.getByTestId('alert-rules').scrollIntoViewIfNeeded();
    await session.shot('issue14-alerts-rules-invalid');
    await alerts.setFor('node-unhealthy', '1');
    assert.equal(await alerts.problem('node-unhealthy').count(), 0);
    await alerts.saveButton().click();
    await ui.toast('Alert rules saved');
    assert.match(await alerts.status(), /^Saved at \d\d:\d\d:\d\d: the cluster uses these rules now\.$/);
    const { rules } = await admin.request('alerts.rules', {});
    assert.equal(rules.find((r) => r.kind === 'node-unhealthy')?.forSeconds, 1, 'the server has the saved rule');
    await assertNoSeriousViolations(session.page, 'the Alerts view with its rules editor');
    await session.page.getByTestId('alert-rules').scrollIntoViewIfNeeded();
    await session.shot('issue14-alerts-rules');
  });

  it('shows a hung node as a firing alert, and a banner over another view', async () => {
    await admin.request('node.hang', { node: 'node-2', seconds: HANG_SECONDS });
    const [row] = await eventually(() => AlertsPage.cells(alerts.firingRows()), (r) => r.length === 1, 'one firing alert', 8000);
    assert.equal(row![0], 'critical');
    assert.match(row![1]!, /node-2 unhealthy \(hung\) for 1 s/);
    assert.equal(row![2], 'node-2');
    assert.match(row![3]!, /^\d\d:\d\d:\d\d \(\d+s\)$/);
    assert.equal(row![4], 'not healthy');
    await assertNoSeriousViolations(session.page, 'the Alerts view with an alert firing');
    const keys = await tabThrough(session.page);
    assert.deepEqual([keys.unreached, keys.noRing], [[], []], 'every control of the Alerts view is reached by Tab and shows its focus');
    await session.page.setViewportSize({ width: 1024, height: 800 });
    assert.deepEqual(await sidewaysOverflow(session.page), [], 'the Alerts view fits 1024 px');
    await session.page.setViewportSize({ width: 1360, height: 860 });
    await session.shot('issue14-alerts-firing');

    const dark = await ConsoleUi.openIn(session, 'dark');
    const darkAlerts = new AlertsPage(dark.page);
    await darkAlerts.open();
    await darkAlerts.firingRows().first().waitFor();
    await assertNoSeriousViolations(dark.page, 'the Alerts view in the dark theme');
    await dark.shot('issue14-alerts-firing-dark');
    await dark.page.close();

    await ui.open('Nodes');
    await alerts.banner().waitFor();
    assert.match(await alerts.banner().innerText(), /Alert: node-2 unhealthy \(hung\) for 1 s/);
    assert.equal(await alerts.banner().getAttribute('role'), 'alert');
    const walk = await tabThrough(session.page);
    assert.deepEqual(walk.unreached, [], 'Tab reaches every control, the banner\'s link included');
    assert.deepEqual(walk.noRing, [], 'every control shows its focus');
    await session.shot('issue14-alerts-banner');
  });

  it('drops the banner when the node heals and keeps the resolved alert in the history', async () => {
    await alerts.banner().waitFor({ state: 'detached', timeout: (HANG_SECONDS + 8) * 1000 });
    await alerts.open();
    const [past] = await eventually(() => AlertsPage.cells(alerts.historyRows()), (r) => r.length === 1, 'one resolved alert');
    assert.equal(past![0], 'critical');
    assert.equal(past![2], 'node-2');
    assert.match(past![4]!, /^\d\d:\d\d:\d\d$/, 'when it resolved');
    assert.match(past![5]!, /^\d+s$/, 'how long it lasted');
    assert.equal(await alerts.firingRows().count(), 0);
    assert.equal(await session.page.getByTestId('alerts-firing-empty').innerText(), 'No alert is firing.');
    const { history } = await admin.request('alerts.list', {});
    console.log(`# alert lasted ${(history[0]!.resolvedAt! - history[0]!.since) / 1000} s for a ${HANG_SECONDS} s hang`);
    await assertNoSeriousViolations(session.page, 'the Alerts view with its history');
    await session.shot('issue14-alerts-resolved');
  });
});
