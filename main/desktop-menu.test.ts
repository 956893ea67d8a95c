/**
 * The menus and what their commands do, against the REAL cluster host: export the events, add a
 * node, mint a token, copy the client URL, open the console in a browser, switch views.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdminSession } from './admin-client.js';
import { browserConsoleUrl } from './cluster-commands.js';
import { DesktopApp } from './desktop-app.js';
import type { MenuItemSpec, MenuSpec } from './desktop-port.js';
import { FakePort, until } from './fake-port.test-helper.js';
import { buildMenus } from './menu.js';
import { appPaths } from './paths.js';
import { CONSOLE_VIEWS } from '../shared/desktop/console-bridge.js';
import type { ConsoleBoot } from '../shared/desktop/console-bridge.js';
import { VIEWS } from '../renderer/src/routes.js';

const labels = (menu: MenuSpec): string[] =>
  menu.items.flatMap((i: MenuItemSpec) => (i.type === 'item' ? [i.label] : i.type === 'role' ? [`(${i.role})`] : []));
const find = (menus: MenuSpec[], label: string): Extract<MenuItemSpec, { type: 'item' }> | undefined =>
  menus.flatMap((m) => m.items).find((i): i is Extract<MenuItemSpec, { type: 'item' }> => i.type === 'item' && i.label === label);

describe('the application menu', () => {
  it('has File, Edit, Cluster, View and Help, with the app menu first on macOS', () => {
    const linux = buildMenus({ platform: 'linux', development: false, embedded: true, connected: true }, () => undefined);
    assert.deepEqual(linux.map((m) => m.label), ['File', 'Edit', 'Cluster', 'View', 'Help']);
    assert.deepEqual(labels(linux[0]!), ['Export Events…', 'Settings…', 'Quit']);
    assert.deepEqual(labels(linux[2]!), ['Add Node', 'Restart Cluster', 'Open the Console in a Browser', 'Copy Client URL',
      'Mint a Token for "demo" and Copy It', 'Cluster Settings and Remote Cluster…']);
    assert.deepEqual(labels(linux[4]!), ['Documentation', 'About Switchboard']);
    const mac = buildMenus({ platform: 'darwin', development: false, embedded: true, connected: true }, () => undefined);
    assert.equal(mac[0]!.role, 'appMenu');
    assert.ok(labels(mac[0]!).includes('Quit Switchboard'));
    assert.ok(!labels(mac[1]!).includes('Quit'));
  });

  it('lists the console\'s views, and dev tools in development only', () => {
    const dev = buildMenus({ platform: 'linux', development: true, embedded: true, connected: true }, () => undefined);
    const shipped = buildMenus({ platform: 'linux', development: false, embedded: true, connected: true }, () => undefined);
    assert.deepEqual(CONSOLE_VIEWS.map((v) => [v.id, v.label]), VIEWS.map((v) => [v.id, v.label]), 'the View menu matches renderer/src/routes.ts');
    assert.deepEqual(labels(dev[3]!).slice(0, CONSOLE_VIEWS.length), CONSOLE_VIEWS.map((v) => v.label));
    assert.ok(find(dev, 'Toggle Developer Tools'));
    assert.equal(find(shipped, 'Toggle Developer Tools'), undefined);
  });

  it('gives the ten views Ctrl/Cmd+1…9 and 0 in order, as the console\'s Alt+1…9 and Alt+0', () => {
    const menus = buildMenus({ platform: 'linux', development: false, embedded: true, connected: true }, () => undefined);
    const views = menus[3]!.items.filter((i): i is Extract<MenuItemSpec, { type: 'item' }> => i.type === 'item' && i.id.startsWith('view:'));
    assert.deepEqual(views.map((v) => [v.label, v.accelerator]), [
      ['Overview', 'CmdOrCtrl+1'], ['Nodes', 'CmdOrCtrl+2'], ['Connections', 'CmdOrCtrl+3'], ['Channels', 'CmdOrCtrl+4'],
      ['Broadcast', 'CmdOrCtrl+5'], ['Events', 'CmdOrCtrl+6'], ['Simulator', 'CmdOrCtrl+7'], ['Audit', 'CmdOrCtrl+8'],
      ['Alerts', 'CmdOrCtrl+9'], ['Capacity', 'CmdOrCtrl+0'],
    ]);
    assert.deepEqual(VIEWS.map((v) => v.key), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0']);
  });

  it('disables the cluster commands while no cluster is connected, and restart for a remote one', () => {
    const down = buildMenus({ platform: 'linux', development: false, embedded: true, connected: false }, () => undefined);
    assert.equal(find(down, 'Add Node')!.enabled, false);
    assert.equal(find(down, 'Export Events…')!.enabled, false);
    const remote = buildMenus({ platform: 'linux', development: false, embedded: false, connected: true }, () => undefined);
    assert.equal(find(remote, 'Restart Cluster')!.enabled, false);
    assert.equal(find(remote, 'Add Node')!.enabled, true);
  });

  it('finds a remote cluster\'s browser console', () => {
    assert.equal(browserConsoleUrl({ adminUrl: 'wss://ops.example:8443/admin', adminToken: 'a b' }), 'https://ops.example:8443/?token=a%20b');
  });
});

describe('the menu commands on a live cluster', () => {
  let tmp: string;
  let port: FakePort;
  let desktop: DesktopApp;
  let boot: ConsoleBoot;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'switchboard-menu-'));
    process.env.SWITCHBOARD_CONFIG_DIR = join(tmp, 'config');
    port = new FakePort(join(tmp, 'user-data'));
    desktop = new DesktopApp(port, { paths: appPaths(), overrides: { port: 0, adminPort: 0, nodes: 1 } });
    await desktop.start();
    boot = (await port.request('switchboard:boot', port.consoleWindow!.sender())) as ConsoleBoot;
  });
  after(async () => {
    await desktop.shutdown();
    rmSync(tmp, { recursive: true, force: true });
  });

  const click = async (label: string): Promise<void> => {
    const item = find(port.menus.at(-1)!, label);
    assert.ok(item, `menu item ${label}`);
    assert.notEqual(item.enabled, false, `${label} is enabled`);
    await desktop.runCommand(item.id as Parameters<DesktopApp['runCommand']>[0]);
  };

  it('adds a node', async () => {
    await click('Add Node');
    assert.match(port.notifications.at(-1)!.body, /node-\d+ is starting/);
    const session = await AdminSession.open(boot);
    assert.ok(session.ok);
    await until(async () => {
      const s = await session.value.request('cluster.snapshot', {});
      return s.ok && s.value.nodes.length === 2;
    }, 'two nodes');
    session.value.close();
  });

  it('exports the cluster\'s events as NDJSON where the user chooses', async () => {
    port.savePath = join(tmp, 'export.ndjson');
    await click('Export Events…');
    assert.match(port.saveDefaults.at(-1)!, /switchboard-events-.*\.ndjson$/);
    const lines = readFileSync(port.savePath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; type: string });
    assert.ok(lines.some((e) => e.type === 'node.started'), 'the node starts are in the log');
    assert.deepEqual(lines.map((e) => e.seq), [...lines.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('mints a token and copies it; copies the client URL; opens the console in a browser', async () => {
    await click('Mint a Token for "demo" and Copy It');
    assert.match(port.clipboard.at(-1)!, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    await click('Copy Client URL');
    assert.match(port.clipboard.at(-1)!, /^ws:\/\/127\.0\.0\.1:\d+\/connection\/websocket$/);
    await click('Open the Console in a Browser');
    assert.match(port.external.at(-1)!, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const page = await fetch(port.external.at(-1)!);
    assert.equal(page.status, 200);
  });

  it('switches the console\'s view, reloads it, toggles dev tools in development, opens the README', async () => {
    await click('Nodes');
    assert.deepEqual(port.consoleWindow!.sent.at(-1), { channel: 'switchboard:show-view', payload: 'nodes' });
    await click('Reload');
    assert.equal(port.consoleWindow!.reloads, 1);
    await click('Toggle Developer Tools');
    assert.equal(port.consoleWindow!.devTools, 1);
    await click('Documentation');
    assert.match(port.opened.at(-1)!, /README\.md$/);
  });

  it('shows what went wrong when the cluster cannot be reached', async () => {
    await desktop.host.stop();
    await click('Export Events…');
    assert.equal(port.messages.at(-1)!.message, 'The cluster did not answer');
    assert.match(port.messages.at(-1)!.detail!, /cannot reach the cluster/);
  });
});
