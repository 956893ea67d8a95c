/**
 * The cluster host's lifecycle as the desktop app lives it, with the REAL host process and its
 * node processes (checked by pid): ready, crash → the window is told and a restart works,
 * quit → every child gone; a port in use, the settings page, attaching to a remote cluster.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { AdminSession } from './admin-client.js';
import type { AdminTarget } from './admin-client.js';
import { DesktopApp } from './desktop-app.js';
import { FakePort, alive, until } from './fake-port.test-helper.js';
import { appPaths } from './paths.js';
import { appUrl } from './security.js';
import type { ConsoleBoot } from '../shared/desktop/console-bridge.js';
import type { SettingsSnapshot } from '../shared/desktop/settings-bridge.js';
import { defaultClusterConfig, startCluster } from '../embedded-server/index.js';

let tmp: string;
const running: DesktopApp[] = [];

function launch(overrides = { port: 0, adminPort: 0, nodes: 2 }): { port: FakePort; desktop: DesktopApp } {
  const port = new FakePort(mkdtempSync(join(tmp, 'user-data-')));
  const desktop = new DesktopApp(port, { paths: appPaths(), overrides });
  running.push(desktop);
  return { port, desktop };
}

async function nodePids(target: AdminTarget): Promise<number[]> {
  const session = await AdminSession.open(target);
  assert.ok(session.ok, session.ok ? '' : session.error);
  const snapshot = await session.value.request('cluster.snapshot', {});
  session.value.close();
  assert.ok(snapshot.ok);
  return snapshot.value.nodes.map((n) => n.pid).filter((pid) => pid > 0);
}

const boot = async (port: FakePort): Promise<ConsoleBoot> => (await port.request('switchboard:boot', port.consoleWindow!.sender())) as ConsoleBoot;

describe('the cluster host, from the desktop app', () => {
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'switchboard-lifecycle-'));
    process.env.SWITCHBOARD_CONFIG_DIR = join(tmp, 'config');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.shutdown()));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('tells the window when the cluster crashes, and a restart brings the console back on a fresh cluster', async () => {
    const { port, desktop } = launch();
    await desktop.start();
    const first = await boot(port);
    const hostPid = desktop.host.pid!;
    const oldNodes = await nodePids(first);
    assert.equal(oldNodes.length, 2);

    port.answers.push(0); // "Restart Cluster"
    process.kill(hostPid, 'SIGKILL');
    await until(() => port.messages.some((m) => m.message === 'The local cluster stopped unexpectedly'), 'the crash dialog');
    const told = port.messages.find((m) => m.message === 'The local cluster stopped unexpectedly')!;
    assert.match(told.detail ?? '', /SIGKILL/);
    assert.deepEqual(told.buttons, ['Restart Cluster', 'Settings…', 'Dismiss']);
    assert.ok(port.consoleWindow!.titles.includes('Switchboard — the local cluster stopped'));
    assert.equal(port.windows.length, 1, 'the window stays up');

    await until(() => port.consoleWindow!.loads.length === 2, 'the console reloaded on the new cluster');
    const second = await boot(port);
    assert.notEqual(second.adminToken, first.adminToken);
    assert.notEqual(desktop.host.pid, hostPid);
    assert.equal((await nodePids(second)).length, 2);
    await until(() => oldNodes.every((pid) => !alive(pid)), 'the crashed cluster\'s nodes to exit');
  });

  it('closing the window quits: the cluster host and every node process are gone, the window\'s bounds kept', async () => {
    const { port, desktop } = launch();
    await desktop.start();
    const hostPid = desktop.host.pid!;
    const nodes = await nodePids(await boot(port));
    assert.equal(nodes.length, 2);
    const win = port.consoleWindow!;
    win.box = { x: 40, y: 60, width: 1200, height: 800, maximized: false };
    win.events.boundsChanged();

    win.close();
    await until(() => port.exits === 1, 'the app to exit');
    assert.equal(alive(hostPid), false, 'the host process is gone');
    await until(() => nodes.every((pid) => !alive(pid)), 'every node process to exit', 5000);
    const saved = JSON.parse(readFileSync(join(port.userDataDir, 'settings.json'), 'utf8'));
    assert.deepEqual(saved.window, { x: 40, y: 60, width: 1200, height: 800, maximized: false });
    await desktop.quit();
    assert.equal(port.exits, 2, 'quit may be called again; the shutdown ran once');
  });

  it('reports a port already in use, and starts once the settings page picks another', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const { port, desktop } = launch({ port: taken, adminPort: 0, nodes: 1 });
      port.answers.push(1); // "Settings…"
      await desktop.start();
      const failed = port.messages.find((m) => m.message === 'The local cluster did not start')!;
      assert.match(failed.detail ?? '', new RegExp(`port ${taken} is already in use`));
      assert.equal(port.consoleWindow, undefined, 'no console window without a cluster');
      const settingsWindow = port.windows.find((w) => w.loads.includes(appUrl('settings')))!;
      assert.equal(settingsWindow.spec.webPreferences.sandbox, true);
      assert.match(settingsWindow.spec.webPreferences.preload, /settings-preload\.cjs$/);

      const snapshot = (await port.request('settings:load', settingsWindow.sender('settings'))) as SettingsSnapshot;
      assert.equal(snapshot.cluster.port, taken);
      const result = await port.request('settings:save', settingsWindow.sender('settings'), {
        cluster: { ...snapshot.cluster, port: 0 }, target: { kind: 'embedded' },
      });
      assert.deepEqual(result, { ok: true });
      assert.equal(desktop.host.state, 'running');
      assert.ok(port.consoleWindow, 'the console window opened');
      const saved = JSON.parse(readFileSync(join(port.userDataDir, 'settings.json'), 'utf8'));
      assert.equal(saved.cluster.port, 0);
    } finally {
      blocker.close();
    }
  });

  it('attaches the console to a remote cluster (stopping the local one) from the console URL serve printed', async () => {
    const config = { ...defaultClusterConfig(), nodes: 1, port: 0, adminPort: 0 };
    const remote = await startCluster(config);
    try {
      const { port, desktop } = launch();
      await desktop.start();
      const localHost = desktop.host.pid!;
      const settingsOpened = desktop.openSettings();
      await settingsOpened;
      const settingsWindow = port.windows.find((w) => w.loads.includes(appUrl('settings')))!;
      const snapshot = (await port.request('settings:load', settingsWindow.sender('settings'))) as SettingsSnapshot;

      const bad = await port.request('settings:save', settingsWindow.sender('settings'), { cluster: snapshot.cluster, target: { kind: 'remote', url: 'ftp://x', token: '' } });
      assert.equal((bad as { ok: boolean }).ok, false);
      const refused = await port.request('settings:save', settingsWindow.sender('settings'), { cluster: snapshot.cluster, target: { kind: 'remote', url: remote.adminUrl, token: 'wrong' } });
      assert.deepEqual(refused, { ok: false, message: `Not saved: the cluster at ${remote.adminUrl} refused the admin token.` });
      assert.equal(desktop.host.state, 'running', 'nothing changed');
      const saved = await port.request('settings:save', settingsWindow.sender('settings'), {
        cluster: snapshot.cluster, target: { kind: 'remote', url: remote.consoleUrl, token: '' },
      });
      assert.deepEqual(saved, { ok: true });
      assert.equal(alive(localHost), false, 'the local cluster stopped');
      const now = await boot(port);
      assert.deepEqual({ adminUrl: now.adminUrl, adminToken: now.adminToken }, { adminUrl: remote.adminUrl, adminToken: remote.adminToken });
      assert.equal((await nodePids(now)).length, 1, 'the remote admin API answers with the remote\'s node');
      assert.match(port.consoleWindow!.titles.at(-1)!, /ws:\/\/127\.0\.0\.1:\d+\/admin/);
    } finally {
      await remote.stop();
    }
  });
});
