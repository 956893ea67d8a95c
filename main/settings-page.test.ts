/**
 * The settings page in Chromium (Debian's, through playwright-core), served with the app scheme's
 * real handler and CSP, with a fake `window.switchboardSettings` in place of its preload: it shows
 * the settings, switches between the local and a remote cluster, saves what was typed, and shows
 * the app's answer when saving fails.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { serveAppRequest } from './app-protocol.js';
import { ROOT } from './launcher/build-desktop.js';
import { contentSecurityPolicy } from './security.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The fake bridge: answers `load` with a snapshot, records `save`, answers the next result. */
const FAKE_BRIDGE = `
  window.saved = [];
  window.closes = 0;
  window.nextSave = { ok: true };
  window.close = () => { window.closes++; };
  window.switchboardSettings = {
    load: async () => ({
      cluster: { nodes: 3, port: 8000, adminPort: 8001, strategy: 'least-connections', configFile: '' },
      target: { kind: 'embedded' },
      status: 'The local cluster runs 3 nodes: clients connect to ws://127.0.0.1:8000/connection/websocket.',
      defaults: { nodes: 3, port: 8000, adminPort: 8001, strategy: 'least-connections', configFile: '' },
    }),
    save: async (input) => { window.saved.push(input); return window.nextSave; },
  };`;

describe('the settings page', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-settings-page-'));
    const tsc = join(createRequire(import.meta.url).resolve('typescript/package.json'), '..', 'bin', 'tsc');
    const built = spawnSync(process.execPath, [tsc, '-p', 'main/settings/tsconfig.build.json', '--outDir', dir], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stdout + built.stderr);
    const pageDir = join(dir, 'main', 'settings');
    for (const file of ['index.html', 'settings.css']) copyFileSync(join(ROOT, 'main', 'settings', file), join(pageDir, file));
    // Over HTTP, answered by the switchboard:// handler itself (same files, same headers, same CSP).
    server = createServer((req, res) => {
      void serveAppRequest(`switchboard://settings${req.url ?? '/'}`, { console: dir, settings: pageDir }, () => contentSecurityPolicy(null)).then(async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'] });
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.addInitScript(FAKE_BRIDGE);
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`);
  });

  after(async () => {
    await browser?.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the cluster settings and the app\'s status line, under its CSP without errors', async () => {
    await page.getByText('The local cluster runs 3 nodes').waitFor();
    assert.equal(await page.getByLabel('Nodes').inputValue(), '3');
    assert.equal(await page.getByLabel('Client port').inputValue(), '8000');
    assert.equal(await page.getByLabel('Admin port').inputValue(), '8001');
    assert.equal(await page.getByLabel('The cluster on this computer (started by Switchboard)').isChecked(), true);
    assert.equal(await page.locator('#remote').isHidden(), true);
    assert.deepEqual(problems, []);
  });

  it('saves the cluster settings as typed, then closes', async () => {
    await page.getByLabel('Nodes').fill('5');
    await page.getByLabel('Client port').fill('0');
    await page.getByLabel('Routing').selectOption('sticky');
    await page.getByRole('button', { name: 'Save and Apply' }).click();
    await page.waitForFunction(() => (globalThis as unknown as { closes: number }).closes === 1);
    assert.deepEqual(await page.evaluate('window.saved.at(-1)'), {
      cluster: { nodes: 5, port: 0, adminPort: 8001, strategy: 'sticky', configFile: '' },
      target: { kind: 'embedded' },
    });
  });

  it('attaches to a remote cluster, shows why the app refused, and resets to the defaults', async () => {
    await page.getByLabel('A remote cluster').check();
    assert.equal(await page.locator('#remote').isVisible(), true);
    assert.equal(await page.getByLabel('Nodes').isDisabled(), true, 'the local cluster settings do not apply');
    await page.getByLabel(/Admin URL/).fill('http://127.0.0.1:9001/?token=abc');
    await page.evaluate("window.nextSave = { ok: false, message: 'Not saved: the cluster refused the admin token.' }");
    await page.getByRole('button', { name: 'Save and Apply' }).click();
    await page.getByRole('alert').filter({ hasText: 'refused the admin token' }).waitFor();
    assert.deepEqual(await page.evaluate('window.saved.at(-1).target'), { kind: 'remote', url: 'http://127.0.0.1:9001/?token=abc', token: '' });
    assert.equal(await page.evaluate('window.closes'), 1, 'the window stays open');
    await page.getByLabel('The cluster on this computer (started by Switchboard)').check();
    await page.getByRole('button', { name: 'Reset to Defaults' }).click();
    assert.equal(await page.getByLabel('Nodes').inputValue(), '3');
    assert.equal(await page.getByLabel('Routing').inputValue(), 'least-connections');
  });
});
