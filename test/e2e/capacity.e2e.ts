/**
 * Issue 14, end to end: the Capacity view against a real cluster under the load simulator. Before
 * any load it says "not enough data yet"; under load it shows the projected maximums and the limit
 * that binds first, the measured costs with what they were measured at, the what-if table and
 * chart, and the assumptions; changing nodes per machine and machines updates the table (and adds
 * the Redis assumption); a bad count is named at the field. Axe, keyboard and 1024 px checked.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { AdminClient } from '../support/admin-client.js';
import { openAdmin } from '../support/admin-helpers.js';
import { sleep, waitFor } from '../support/test-cluster.js';
import { WARMUP_MS } from '../../shared/admin/capacity-model.js';
import { assertNoSeriousViolations } from './support/axe.js';
import { ConsoleSession } from './support/console-session.js';
import { eventually } from './support/console-pages.js';
import { sidewaysOverflow } from './support/layout-probe.js';

const CLIENTS = 600;

const text = (page: Page, id: string): Promise<string> => page.getByTestId(id).innerText();
const rows = (page: Page): Promise<{ nodes: string | null; machines: string | null }[]> =>
  page.getByTestId('capacity-row').evaluateAll((trs) => trs.map((tr) => ({ nodes: tr.getAttribute('data-nodes'), machines: tr.getAttribute('data-machines') })));

describe('the Capacity view', () => {
  let session: ConsoleSession;
  let admin: AdminClient;

  before(async () => {
    session = await ConsoleSession.start({ nodes: 2 });
    admin = await openAdmin(session.cluster);
  });

  after(async () => {
    await admin?.request('simulator.stop', {}).catch(() => undefined);
    await session?.stop();
  });

  it('says plainly that the costs are not measured yet before any load', async () => {
    const page = session.page;
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Capacity', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Capacity' }).waitFor();
    await page.getByTestId('capacity-costs').waitFor();
    assert.match(await text(page, 'capacity-missing'), /Memory per connection: not enough data yet/);
    assert.equal(await text(page, 'capacity-max-deliveries'), '—');
    await session.shot('issue14-capacity-empty');
  });

  it('shows the projection, the binding limit, the measured costs, the table, the chart and the assumptions under simulator load', async () => {
    const page = session.page;
    // A warm-up fleet first: memory is sampled from 20 s after a node's first connection (WARMUP_MS).
    const warm = await admin.request('simulator.start', { profile: 'chat', clients: 200, channels: 20, rate: 1, rampSeconds: 2, durationSeconds: 300 });
    await waitFor(() => admin.simulator.some((s) => s.id === warm.id && s.counts.connected === 200), { timeoutMs: 30_000, what: 'the warm-up fleet connected' });
    await sleep(WARMUP_MS + 1000);
    await admin.request('simulator.stop', {});
    await admin.snapshotWhere((s) => s.totals.connections === 0, 10_000, 'the warm-up fleet gone');
    await sleep(3000);
    const { id } = await admin.request('simulator.start', { profile: 'chat', clients: CLIENTS, channels: 20, rate: 2, rampSeconds: 5, durationSeconds: 300 });
    await waitFor(() => admin.simulator.some((s) => s.id === id && s.counts.connected === CLIENTS), { timeoutMs: 30_000, what: 'the fleet connected' });
    // The view refreshes every 5 s; the CPU fit needs ten steady seconds with deliveries.
    const deliveries = await eventually(() => text(page, 'capacity-max-deliveries'), (t) => /^\d[\d,]*$/.test(t), 'a projected deliveries/s', 45_000);
    assert.ok(Number(deliveries.replaceAll(',', '')) > 0);
    assert.match(await text(page, 'capacity-max-connections'), /^\d[\d,]*$/);
    assert.match(await text(page, 'capacity-binding'), /^(memory|the open-file limit|CPU)$/);
    // "Measured at" is the mean of the last 10 s: it reaches the fleet's size once the ramp is 10 s behind.
    const costs = await eventually(() => text(page, 'capacity-costs'), (t) => t.includes(`measured at ${CLIENTS} connections`), 'the costs measured at the fleet\'s size', 30_000);
    assert.match(costs, /measured at [\d,]+ connections, [\d,]+ deliveries\/s on 2 nodes/);
    assert.match(costs, /CPU per delivery\n[\d.]+ µs · fixed [\d.]+% of a core per node \(\d+ samples/);
    // At a few hundred connections a node's RSS moves with its garbage collector by about as much as
    // the connections cost: the view then shows the cost (or its upper bound) or says why it cannot yet.
    const memory = await eventually(() => text(page, 'capacity-costs'), (t) => /Memory per connection\n(at most )?[\d.]+ KB/.test(t), 'a memory cost', 20_000)
      .catch(() => text(page, 'capacity-costs'));
    assert.match(memory, /Memory per connection\n(((at most )?[\d.]+ KB · idle node [\d.]+ MB \(\d+ samples)|not enough data yet[^]*Memory per connection: not enough data yet — )/);
    console.log(`[capacity e2e] ${memory.split('\n').find((l) => /KB|not enough/.test(l) && !l.startsWith('Memory per connection:')) ?? ''}`);
    assert.deepEqual(await rows(page), [{ nodes: '1', machines: '1' }, { nodes: '2', machines: '1' }]);
    assert.ok(await page.getByTestId('capacity-chart').locator('svg .recharts-line').count() >= 1, 'the chart draws its lines');
    const assumptions = await page.getByTestId('capacity-assumptions').getByRole('listitem').allInnerTexts();
    assert.ok(assumptions.length >= 5, `assumptions: ${assumptions.length}`);
    assert.ok(assumptions.some((a) => /kept free/.test(a)));
    await session.shot('issue14-capacity-load');
  });

  it('updates the table when nodes per machine and machines change, and names a bad count at its field', async () => {
    const page = session.page;
    await page.getByTestId('capacity-nodes').fill('8');
    await eventually(() => rows(page), (r) => r.map((x) => x.nodes).join() === '1,2,4,8', 'rows for 1, 2, 4 and 8 nodes');
    await page.getByTestId('capacity-machines').fill('3');
    await eventually(() => rows(page), (r) => r.length === 4 && r.every((x) => x.machines === '3'), 'rows on 3 machines');
    await eventually(() => page.getByTestId('capacity-assumptions').innerText(), (t) => /3 machines: .*Redis/.test(t), 'the Redis assumption');
    await page.getByTestId('capacity-nodes').fill('0');
    assert.equal(await page.getByTestId('capacity-nodes').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#capacity-nodes-hint').innerText(), /from 1 to 64/);
    assert.equal((await rows(page)).length, 4, 'the table keeps the last good count');
    await page.getByTestId('capacity-nodes').fill('8');
    await session.shot('issue14-capacity-whatif');
  });

  it('is reachable by keyboard, has no serious axe violation and fits 1024 px', async () => {
    const page = session.page;
    await page.keyboard.press('Alt+1');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.keyboard.press('Alt+0');
    await page.getByRole('heading', { level: 1, name: 'Capacity' }).waitFor();
    await page.locator('#capacity-title').focus();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate('document.activeElement?.getAttribute("data-testid") === "capacity-nodes"') as boolean;
    }
    assert.ok(reached, 'Tab reaches the nodes-per-machine field');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle') as string;
    assert.notEqual(outline, 'none', 'the focused field shows its focus');
    await assertNoSeriousViolations(page, 'the Capacity view');
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.getByTestId('capacity-table').waitFor();
    // The chart sizes itself to its box on the next frames after the window narrows.
    await eventually(() => sidewaysOverflow(page), (o) => o.length === 0, 'nothing scrolling sideways at 1024 px', 3000);
    await session.shot('issue14-capacity-1024');
    await page.emulateMedia({ colorScheme: 'dark' });
    await assertNoSeriousViolations(page, 'the Capacity view, dark');
    await session.shot('issue14-capacity-dark');
  });
});
