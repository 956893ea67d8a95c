/**
 * Issue 5: the console as the desktop window runs it, in Debian's Chromium (no Electron binary is
 * needed): its files answered by the app scheme's own handler with the window's CSP, and
 * `window.switchboard` put in place the way the preload does. It connects with the bridge's admin
 * URL and token, runs under the strict CSP without a violation, posts "node-2 is down" through the
 * bridge when a node dies, and exports events through the bridge's save-file.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { serveAppRequest } from '../../main/app-protocol.js';
import { ROOT } from '../../main/launcher/build-desktop.js';
import { contentSecurityPolicy } from '../../main/security.js';
import type { AdminClient } from '../support/admin-client.js';
import { openAdmin } from '../support/admin-helpers.js';
import { startTestCluster } from '../support/test-cluster.js';
import type { TestCluster } from '../support/test-cluster.js';
import { ConsoleUi, eventually } from './support/console-pages.js';
import { CHROMIUM } from './support/console-session.js';

/** What the preload exposes, with the calls recorded on window.bridgeCalls. */
const bridgeScript = (adminUrl: string, adminToken: string): string => `
  window.bridgeCalls = [];
  window.switchboard = Object.freeze({
    adminUrl: ${JSON.stringify(adminUrl)}, adminToken: ${JSON.stringify(adminToken)}, appVersion: '0.1.0',
    saveFile: async (name, text) => { window.bridgeCalls.push({ call: 'saveFile', name, text }); return { saved: true, path: '/tmp/' + name }; },
    openExternal: async (url) => { window.bridgeCalls.push({ call: 'openExternal', url }); return true; },
    notify: async (title, body) => { window.bridgeCalls.push({ call: 'notify', title, body }); },
  });`;

type BridgeCall = { call: string; name?: string; text?: string; title?: string; body?: string };

describe('the console inside the desktop window', () => {
  let cluster: TestCluster;
  let admin: AdminClient;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let ui: ConsoleUi;
  const violations: string[] = [];
  const calls = async (): Promise<BridgeCall[]> => (await page.evaluate('window.bridgeCalls')) as BridgeCall[];

  before(async () => {
    const roots = { console: join(ROOT, 'dist', 'console'), settings: join(ROOT, 'dist-electron', 'main', 'settings') };
    server = createServer((req, res) => {
      void serveAppRequest(`switchboard://console${req.url ?? '/'}`, roots, () => contentSecurityPolicy(cluster.handle.adminUrl)).then(async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // This stand-in for the app scheme has an origin of its own, which the admin API must accept
    // as it accepts switchboard://console.
    const windowOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cluster = await startTestCluster({ nodes: 3, restartBackoffMinMs: 300, restartBackoffMaxMs: 600, adminAllowedOrigins: [windowOrigin] });
    admin = await openAdmin(cluster);
    // History the console will replay on connect: a node that went down before the window opened.
    await admin.request('node.kill', { node: 'node-3' });
    await eventually(async () => admin.events.filter((e) => e.type === 'node.down').length, (n) => n === 1, 'node-3 down in the event log');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
    await page.addInitScript(bridgeScript(cluster.handle.adminUrl, cluster.handle.adminToken));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`);
    ui = new ConsoleUi(page);
  });

  after(async () => {
    await browser?.close();
    server?.close();
    await cluster?.stop();
  });

  it('connects with the admin URL and token the bridge hands over, under the window\'s CSP without a violation', async () => {
    await ui.linkStatus().filter({ hasText: 'Connected' }).waitFor();
    await ui.open('Overview');
    await ui.overview.waitForTile('nodes', '3 / 3'); // node-3 back after its restart
    assert.equal(new URL(page.url()).search, '', 'no token in the address');
    assert.deepEqual(violations, []);
  });

  it('posts a desktop notification when a node goes down, and none for the history replayed at connect', async () => {
    assert.deepEqual((await calls()).filter((c) => c.call === 'notify'), [], 'node-3 went down before the window opened: history, not news');
    await admin.request('node.kill', { node: 'node-2' });
    const notices = await eventually(async () => (await calls()).filter((c) => c.call === 'notify'), (n) => n.length > 0, 'a notification');
    assert.deepEqual(notices.map((n) => n.title), ['node-2 is down']);
    assert.match(notices[0]!.body!, /SIGKILL|exited/);
  });

  it('exports the events through the desktop\'s save-file instead of a browser download', async () => {
    await ui.open('Events');
    await page.getByRole('button', { name: 'Export NDJSON' }).click();
    const saved = await eventually(async () => (await calls()).filter((c) => c.call === 'saveFile'), (s) => s.length === 1, 'a saveFile call');
    assert.match(saved[0]!.name!, /^switchboard-events-.*\.ndjson$/);
    const lines = saved[0]!.text!.trim().split('\n').map((l) => JSON.parse(l) as { type: string; time: string; at: number });
    assert.ok(lines.some((e) => e.type === 'node.down'));
    assert.ok(lines.every((e) => e.time === new Date(e.at).toISOString()), 'every line leads with its ISO time');
    await page.locator('.toast').filter({ hasText: new RegExp(`^Saved ${lines.length.toLocaleString('en-US')} events to /tmp/switchboard-events-`) }).first().waitFor();
    assert.deepEqual(violations, []);
  });
});
