/**
 * The desktop app under plain Node with a fake Electron (fake-port.test-helper.ts) and the REAL
 * cluster host process: the window it opens, what its pages may ask, where they may go.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdminSession } from './admin-client.js';
import { DesktopApp } from './desktop-app.js';
import { FakePort } from './fake-port.test-helper.js';
import type { FakeWindow } from './fake-port.test-helper.js';
import { IpcRefused } from './page-requests.js';
import { appPaths } from './paths.js';
import { appUrl } from './security.js';
import type { ConsoleBoot, SaveFileResult } from '../shared/desktop/console-bridge.js';

describe('the desktop window on its own cluster', () => {
  let tmp: string;
  let port: FakePort;
  let desktop: DesktopApp;
  let win: FakeWindow;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'switchboard-desktop-'));
    process.env.SWITCHBOARD_CONFIG_DIR = join(tmp, 'config');
    port = new FakePort(join(tmp, 'user-data'), { development: false });
    desktop = new DesktopApp(port, { paths: appPaths(), overrides: { port: 0, adminPort: 0, nodes: 2 } });
    await desktop.start();
    win = port.consoleWindow!;
  });

  after(async () => {
    await desktop.shutdown();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('opens one window, isolated and sandboxed without Node, on the built console once the cluster is ready', () => {
    assert.equal(port.windows.length, 1);
    assert.deepEqual(win.loads, [appUrl('console')]);
    assert.equal(win.shown, true);
    const prefs = win.spec.webPreferences;
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.devTools, false, 'no dev tools in a packaged app');
    assert.match(prefs.preload, /dist-electron[\\/]main[\\/]preload[\\/]preload\.cjs$/);
    assert.equal(desktop.host.state, 'running');
  });

  it('hands the page an admin URL and token that open the live cluster', async () => {
    const boot = (await port.request('switchboard:boot', win.sender())) as ConsoleBoot;
    assert.match(boot.adminUrl, /^ws:\/\/127\.0\.0\.1:\d+\/admin$/);
    assert.equal(boot.appVersion, '0.1.0-test');
    const session = await AdminSession.open(boot);
    assert.ok(session.ok, session.ok ? '' : session.error);
    const snapshot = await session.value.request('cluster.snapshot', {});
    session.value.close();
    assert.ok(snapshot.ok);
    assert.equal(snapshot.value.nodes.length, 2);
  });

  it('refuses IPC from a foreign page, an iframe, another window or a frame that is gone', async () => {
    const refusals = [
      { frameUrl: 'https://evil.example/', isMainFrame: true, windowId: win.id },
      { frameUrl: 'file:///etc/passwd', isMainFrame: true, windowId: win.id },
      { frameUrl: appUrl('console'), isMainFrame: false, windowId: win.id },
      { frameUrl: appUrl('console'), isMainFrame: true, windowId: win.id + 100 },
      { frameUrl: null, isMainFrame: true, windowId: win.id },
      { frameUrl: appUrl('settings'), isMainFrame: true, windowId: win.id },
    ];
    for (const sender of refusals) {
      await assert.rejects(port.request('switchboard:boot', sender), IpcRefused, JSON.stringify(sender));
      await assert.rejects(port.request('switchboard:open-external', sender, { url: 'https://example.com/' }), IpcRefused);
    }
    await assert.rejects(port.request('settings:load', win.sender('console')), IpcRefused, 'the console may not read the settings');
    assert.deepEqual(port.external, []);
  });

  it('keeps navigation on the console, and sends web links to the system browser', () => {
    assert.equal(win.events.navigate(appUrl('console', 'index.html#/nodes')), true);
    assert.equal(win.events.navigate('https://centrifugal.dev/docs'), false);
    assert.equal(win.events.navigate('file:///etc/passwd'), false);
    assert.equal(win.events.navigate('javascript:alert(1)'), false);
    assert.equal(win.events.navigate(appUrl('settings')), false, 'the console window may not become the settings page');
    win.events.openWindow('http://example.com/help');
    win.events.openWindow('file:///tmp/x.html');
    assert.deepEqual(port.external, ['https://centrifugal.dev/docs', 'http://example.com/help']);
    port.external.length = 0;
  });

  it('opens only http(s) links for the page, and refuses malformed requests', async () => {
    assert.equal(await port.request('switchboard:open-external', win.sender(), { url: 'https://example.com/a' }), true);
    assert.equal(await port.request('switchboard:open-external', win.sender(), { url: 'file:///etc/passwd' }), false);
    await assert.rejects(port.request('switchboard:open-external', win.sender(), { url: 42 }), IpcRefused);
    await assert.rejects(port.request('switchboard:notify', win.sender(), { title: 'x', body: 'y', extra: 1 }), IpcRefused);
    assert.deepEqual(port.external, ['https://example.com/a']);
    port.external.length = 0;
  });

  it('saves an events export where the user chooses, under a plain file name', async () => {
    port.savePath = join(tmp, 'events.ndjson');
    const saved = (await port.request('switchboard:save-file', win.sender(), { name: '../../evil/events.ndjson', text: '{"seq":1}\n' })) as SaveFileResult;
    assert.deepEqual(saved, { saved: true, path: port.savePath });
    assert.equal(readFileSync(port.savePath, 'utf8'), '{"seq":1}\n');
    assert.equal(port.saveDefaults.at(-1), join(port.downloadsDir(), 'events.ndjson'));
    port.savePath = null;
    assert.deepEqual(await port.request('switchboard:save-file', win.sender(), { name: 'x.ndjson', text: '' }), { saved: false, reason: 'cancelled' });
  });

  it('posts desktop notifications for the page', async () => {
    await port.request('switchboard:notify', win.sender(), { title: 'node-2 is down', body: 'exit code 1' });
    assert.deepEqual(port.notifications.at(-1), { title: 'node-2 is down', body: 'exit code 1' });
  });
});
