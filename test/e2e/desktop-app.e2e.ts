/**
 * Issue 5, end to end: the real desktop app, launched by Playwright's `_electron`, opens one window
 * on its own cluster and shows its live nodes. It needs an Electron binary; where there is none (this
 * machine: Electron ≥ 42 fetches it from GitHub on first launch, which cannot be reached here) it
 * reports itself skipped with that reason — the only skip in the suite.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { _electron } from 'playwright-core';
import { ROOT, buildDesktop } from '../../main/launcher/build-desktop.js';
import { electronPackageDir, installedElectron } from '../../main/launcher/electron-binary.js';
import { ConsoleUi, eventually } from './support/console-pages.js';

const NO_BINARY = 'no Electron binary here: node_modules/electron has no downloaded dist/ (Electron ≥ 42 fetches it on first '
  + 'launch; run `npx install-electron --no` where GitHub is reachable); `npm start` falls back to the headless console instead';

/** An X display for Electron on Linux: the current one, or a private Xvfb. */
async function display(): Promise<{ env: Record<string, string>; stop(): void }> {
  if (process.platform !== 'linux' || process.env.DISPLAY) return { env: {}, stop: () => undefined };
  const number = 90 + Math.floor(Math.random() * 60);
  const xvfb: ChildProcess = spawn('Xvfb', [`:${number}`, '-screen', '0', '1400x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  const failed = await new Promise<string | null>((resolve) => {
    xvfb.once('error', (e) => resolve(`Electron needs an X display and Xvfb could not start (${e.message}); apt-get install -y xvfb`));
    setTimeout(() => resolve(null), 700);
  });
  if (failed) throw new Error(failed);
  return { env: { DISPLAY: `:${number}` }, stop: () => xvfb.kill() };
}

describe('the desktop app', () => {
  it('opens one window on its own cluster that shows the live nodes', async (t) => {
    const binary = installedElectron(electronPackageDir());
    if (binary === null) {
      t.skip(NO_BINARY);
      return;
    }
    assert.ok(await buildDesktop({ quiet: true }), 'the console and dist-electron build');
    const tmp = mkdtempSync(join(tmpdir(), 'switchboard-electron-'));
    const screen = await display();
    const args = [ROOT, '--port', '0', '--admin-port', '0', '--nodes', '2'];
    if (process.getuid?.() === 0) args.push('--no-sandbox'); // Chromium refuses to run as root with its OS sandbox
    const app = await _electron.launch({
      executablePath: binary,
      args,
      env: { ...(process.env as Record<string, string>), ...screen.env, SWITCHBOARD_USER_DATA: join(tmp, 'user-data'), SWITCHBOARD_CONFIG_DIR: join(tmp, 'config') },
      timeout: 60_000,
    });
    try {
      const page = await app.firstWindow();
      page.setDefaultTimeout(20_000);
      assert.match(page.url(), /^switchboard:\/\/console\//);
      const ui = new ConsoleUi(page);
      await ui.linkStatus().filter({ hasText: 'Connected' }).waitFor();
      await ui.open('Overview');
      await ui.overview.waitForTile('nodes', '2 / 2');
      await ui.open('Nodes');
      await eventually(() => ui.nodes.ids(), (ids) => ids.join() === 'node-1,node-2', 'the Nodes table to list node-1 and node-2');
      await eventually(() => ui.nodes.state('node-1'), (s) => /healthy/i.test(s), 'node-1 to be healthy');
      assert.deepEqual(await page.evaluate('Object.keys(window.switchboard).sort()'),
        ['adminToken', 'adminUrl', 'appVersion', 'notify', 'openExternal', 'saveFile']);
      assert.equal(await page.evaluate('typeof require + typeof process'), 'undefinedundefined', 'no Node in the page');
      await ui.shot('desktop-nodes');
      assert.equal(app.windows().length, 1);
    } finally {
      await app.close();
      screen.stop();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
