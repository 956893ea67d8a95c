/** The settings file in the user data folder, the launch overrides, and the defaults they share with serve. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchOverrides } from './launch-options.js';
import { SettingsStore, fitBounds } from './settings-store.js';
import { DESKTOP_CLUSTER_DEFAULTS, defaultDesktopSettings, parseDesktopSettings } from '../shared/desktop/desktop-settings.js';
import { normalizeRemoteTarget } from './remote-target.js';
import { CONFIG_DEFAULTS } from '../embedded-server/index.js';

describe('desktop settings', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'switchboard-settings-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('start from the same cluster defaults as switchboard serve', () => {
    const { nodes, port, adminPort, strategy } = CONFIG_DEFAULTS;
    assert.deepEqual({ nodes, port, adminPort, strategy }, {
      nodes: DESKTOP_CLUSTER_DEFAULTS.nodes, port: DESKTOP_CLUSTER_DEFAULTS.port,
      adminPort: DESKTOP_CLUSTER_DEFAULTS.adminPort, strategy: DESKTOP_CLUSTER_DEFAULTS.strategy,
    });
  });

  it('keep window bounds, cluster settings and the target across launches, in a file only the user can read', () => {
    const store = new SettingsStore(join(dir, 'a'));
    assert.deepEqual(store.load(), defaultDesktopSettings());
    const settings = {
      window: { x: 5, y: 7, width: 1000, height: 700, maximized: true },
      cluster: { nodes: 5, port: 9000, adminPort: 9001, strategy: 'sticky' as const, configFile: '/etc/sb.json' },
      target: { kind: 'remote' as const, adminUrl: 'ws://ops:8001/admin', adminToken: 't0ken' },
    };
    store.save(settings);
    assert.deepEqual(new SettingsStore(join(dir, 'a')).load(), settings);
    if (process.platform !== 'win32') assert.equal(statSync(store.path).mode & 0o077, 0);
  });

  it('fall back section by section when the file is old, hand-edited or damaged', () => {
    assert.deepEqual(parseDesktopSettings({ cluster: { nodes: 4, future: true }, window: { width: 'wide' }, target: { kind: 'remote' } }), {
      ...defaultDesktopSettings(), cluster: { ...DESKTOP_CLUSTER_DEFAULTS, nodes: 4 },
    });
    const store = new SettingsStore(join(dir, 'b'));
    store.save(defaultDesktopSettings());
    writeFileSync(store.path, '{ not json');
    assert.deepEqual(store.load(), defaultDesktopSettings());
    assert.ok(existsSync(`${store.path}.damaged`));
    assert.equal(readFileSync(`${store.path}.damaged`, 'utf8'), '{ not json');
  });

  it('keep a restored window on a display that still exists', () => {
    const screen = [{ x: 0, y: 0, width: 1440, height: 900 }];
    assert.deepEqual(fitBounds({ x: 3000, y: 100, width: 2000, height: 800, maximized: false }, screen), { width: 1440, height: 800, maximized: false });
    assert.deepEqual(fitBounds({ x: 100, y: 50, width: 1000, height: 700, maximized: false }, screen), { x: 100, y: 50, width: 1000, height: 700, maximized: false });
  });

  it('accept a remote cluster as its admin URL and token, or as the console URL serve printed; plain ws:// only on this computer', () => {
    assert.deepEqual(normalizeRemoteTarget('http://127.0.0.1:9001/?token=abc', ''), { ok: true, value: { adminUrl: 'ws://127.0.0.1:9001/admin', adminToken: 'abc' } });
    assert.deepEqual(normalizeRemoteTarget('wss://ops.example/admin', ' t '), { ok: true, value: { adminUrl: 'wss://ops.example/admin', adminToken: 't' } });
    const insecure = normalizeRemoteTarget('http://ops.example:8001/?token=abc', '');
    assert.ok(!insecure.ok && /wss:\/\/.*SSH tunnel/.test(insecure.error), 'plain ws:// to another host is refused with the two ways that work');
    assert.equal(normalizeRemoteTarget('ws://ops.example:8001/admin', '').ok, false, 'a token is needed');
    assert.equal(normalizeRemoteTarget('ftp://x/', 't').ok, false);
    assert.equal(normalizeRemoteTarget('not a url', 't').ok, false);
  });
});

describe('launch options', () => {
  it('take cluster settings from the command line for this launch, ignoring Electron\'s own switches and bad values', () => {
    assert.deepEqual(launchOverrides(['.', '--port', '0', '--admin-port=0', '--nodes', '2', '--strategy', 'sticky', '--no-sandbox', '--enable-logging']),
      { port: 0, adminPort: 0, nodes: 2, strategy: 'sticky' });
    assert.deepEqual(launchOverrides(['--nodes', 'many', '--strategy', 'random', '--port', '70000']), {});
    assert.deepEqual(launchOverrides([]), {});
  });
});
