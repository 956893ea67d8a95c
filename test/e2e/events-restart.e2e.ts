/**
 * The console of a supervisor started anew (issue 14, "never mislead"): a browser console left open
 * while its cluster stops and starts again on the same ports reconnects by itself; the new
 * supervisor counts its events from 1 again, so the Events view drops what it held and shows the
 * new events — before, every new event was taken as already seen and the view stood still.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { defaultClusterConfig, startCluster } from '../../embedded-server/index.js';
import type { ClusterConfig } from '../../embedded-server/index.js';
import { TestCluster } from '../support/test-cluster.js';
import { CHROMIUM } from './support/console-session.js';
import { ConsoleUi, eventually } from './support/console-pages.js';
import type { CrowdMember } from './support/peers.js';
import { closeCrowd, openCrowd } from './support/peers.js';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];

describe('the Events view across a restart of its supervisor', { timeout: 120_000 }, () => {
  let config: ClusterConfig = { ...defaultClusterConfig(), nodes: 2 };
  let cluster: TestCluster | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let ui: ConsoleUi;
  const crowds: CrowdMember[][] = [];

  before(async () => {
    cluster = new TestCluster(await startCluster(config), config);
    // The same ports and secrets the second time, so the open console finds it again.
    config = { ...config, port: cluster.handle.port, adminPort: cluster.handle.adminPort };
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(cluster.handle.consoleUrl);
    await page.getByTestId('link-status').filter({ hasText: 'Connected' }).waitFor();
    ui = new ConsoleUi(page);
  });

  after(async () => {
    for (const c of crowds) closeCrowd(c);
    await browser?.close().catch(() => undefined);
    await cluster?.stop();
  });

  /** The users of the client.connected rows rendered now. */
  const connectedUsers = async (): Promise<string[]> =>
    (await ui.events.rendered()).filter((r) => r.type === 'client.connected').map((r) => r.user);

  it('shows the new supervisor\'s events once the console has reconnected, and none of the old ones', async () => {
    crowds.push(await openCrowd(cluster!, { total: 60, users: 60, batch: 20, prefix: 'before' }));
    await ui.open('Events');
    await eventually(connectedUsers, (u) => u.filter((x) => x.startsWith('before-')).length >= 10, 'the first cluster\'s connects');

    closeCrowd(crowds.pop()!);
    await cluster!.stop();
    cluster = new TestCluster(await startCluster(config), config);
    await page.getByTestId('link-status').filter({ hasText: 'Connected' }).waitFor({ timeout: 20_000 });

    crowds.push(await openCrowd(cluster, { total: 3, users: 3, batch: 3, prefix: 'after' }));
    const users = await eventually(connectedUsers, (u) => u.filter((x) => x.startsWith('after-')).length === 3, 'the new cluster\'s connects in the view');
    assert.deepEqual(users.filter((u) => u.startsWith('before-')), [], 'the old supervisor\'s events are gone');
    const first = await ui.events.rows().last().getAttribute('data-seq');
    assert.ok(Number(first) <= 10, `the list starts again near 1 (its oldest row is #${first})`);
  });
});
