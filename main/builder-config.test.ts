/**
 * Packaging, checked without packaging (Electron's zip cannot be fetched here, TOOLCHAIN.md §8):
 * electron-builder.yml against app-builder-lib's own schema, the icon set, and the build's output
 * against what the package entry, the preloads and the forked processes need.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ROOT, buildMain } from './launcher/build-desktop.js';
import { SupervisorHost } from './supervisor-host.js';

const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId?: string;
  productName?: string;
  asar?: boolean;
  asarUnpack?: string[];
  files?: FilePatterns;
  linux?: { target?: string[]; icon?: string };
  mac?: { target?: string[]; icon?: string };
  win?: { target?: string[]; icon?: string };
}

type FilePatterns = (string | { filter?: string[] })[];

/** A glob of electron-builder's file patterns (`**`, `*`) as a regular expression. */
const globRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.split(/(\*\*\/|\*\*|\*)/).map((part) =>
    part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('')}$`);

/** Whether the patterns take the path in: the last matching pattern decides, `!` excludes. */
const covers = (patterns: FilePatterns, path: string): boolean => {
  let taken = false;
  for (const pattern of patterns.flatMap((p) => (typeof p === 'string' ? [p] : (p.filter ?? [])))) {
    const negated = pattern.startsWith('!');
    if (globRegExp(negated ? pattern.slice(1) : pattern).test(path)) taken = !negated;
  }
  return taken;
};

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (file: string): [number, number] => {
  const b = readFileSync(file);
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
};

describe('packaging', () => {
  let config: BuilderConfig;

  before(async () => {
    // electron-builder logs to stdout, where node:test speaks its protocol: send it to stderr.
    (require('builder-util/out/log') as { setPrinter(p: (message: string) => void): void }).setPrinter((m) => void process.stderr.write(m));
    const { getConfig } = require('app-builder-lib/out/util/config/config') as { getConfig(dir: string, file: string, opts: null): Promise<BuilderConfig> };
    config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
  });

  it('electron-builder.yml passes app-builder-lib\'s own schema validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: BuilderConfig, logger: unknown): Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await validateConfiguration(config, new DebugLogger(false));
    await assert.rejects(validateConfiguration({ ...config, linux: { ...config.linux, categroy: 'typo' } as BuilderConfig['linux'] }, new DebugLogger(false)),
      /configuration object that does not match the API schema/, 'a typo is caught by the same check');
  });

  it('targets AppImage and deb, dmg, nsis, in an asar, with icons from assets/', () => {
    assert.equal(config.appId, 'dev.switchboard.desktop');
    assert.equal(config.productName, 'Switchboard');
    assert.equal(config.asar, true);
    assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
    assert.deepEqual(config.mac?.target, ['dmg']);
    assert.deepEqual(config.win?.target, ['nsis']);
    assert.ok(existsSync(join(ROOT, config.mac!.icon!)));
    assert.ok(existsSync(join(ROOT, config.win!.icon!)));
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      assert.deepEqual(pngSize(join(ROOT, config.linux!.icon!, `${size}x${size}.png`)), [size, size]);
    }
    assert.deepEqual(pngSize(join(ROOT, 'assets', 'icon.png')), [1024, 1024]);
    const ico = readFileSync(join(ROOT, 'assets', 'icon.ico'));
    assert.equal(ico.readUInt16LE(2), 1, 'an icon resource');
    assert.ok(Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + 16 * i)).includes(0), 'with a 256 px image');
    const icns = readFileSync(join(ROOT, 'assets', 'icon.icns'));
    assert.equal(icns.toString('ascii', 0, 4), 'icns');
    assert.equal(icns.readUInt32BE(4), icns.length);
  });

  it('packs the app entry, and keeps what child_process.fork runs (and what it imports) unpacked', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };
    assert.equal(pkg.main, 'dist-electron/main/electron-main.js');
    assert.ok(covers(config.files!, pkg.main));
    const unpack = config.asarUnpack!;
    for (const forked of ['dist-electron/embedded-server/host-entry.js', 'dist-electron/embedded-server/node/node-main.js', 'dist-electron/shared/result.js']) {
      assert.ok(covers(config.files!, forked) && covers(unpack, forked), forked);
    }
    for (const dep of ['ws', 'zod', 'jose', 'prom-client']) assert.ok(covers(unpack, `node_modules/${dep}/package.json`), dep);
    assert.ok(covers(unpack, 'dist/console/index.html') && covers(unpack, 'README.md'));
    assert.ok(covers(config.files!, 'assets/icons/512x512.png'), 'the window icon is packed');
    assert.equal(covers(config.files!, 'dist-electron/main/electron-main.js.map'), false, 'no source maps in the package');
  });

  it('the build emits the entry, CommonJS preloads, the settings page and the cluster code the host forks', async () => {
    assert.equal(await buildMain({ quiet: true }), true, 'tsc emit succeeded (its errors are on stderr above)');
    const out = (p: string): string => join(ROOT, 'dist-electron', p);
    for (const file of ['main/electron-main.js', 'main/electron-adapter.js', 'main/preload/preload.cjs', 'main/preload/settings-preload.cjs',
      'main/settings/index.html', 'main/settings/settings.css', 'main/settings/settings-page.js',
      'embedded-server/host-entry.js', 'embedded-server/node/node-main.js', 'shared/desktop/host-ipc.js']) {
      assert.ok(existsSync(out(file)), file);
    }
    for (const preload of ['main/preload/preload.cjs', 'main/preload/settings-preload.cjs']) {
      const code = readFileSync(out(preload), 'utf8');
      assert.match(code, /require\("electron"\)/);
      assert.doesNotMatch(code, /require\("\.\.?\//, 'a sandboxed preload can require nothing but electron');
      assert.doesNotMatch(code, /^import /m);
    }
    assert.doesNotMatch(readFileSync(out('main/settings/settings-page.js'), 'utf8'), /^import /m, 'the settings page loads no modules');
  });

  it('the compiled cluster host runs under plain Node as the packaged app forks it, and stops with its nodes', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'switchboard-built-host-'));
    process.env.SWITCHBOARD_CONFIG_DIR = tmp;
    const host = new SupervisorHost({ path: join(ROOT, 'dist-electron', 'embedded-server', 'host-entry.js'), execArgv: [] }, { crashed: () => undefined });
    try {
      const started = await host.start({ nodes: 1, port: 0, adminPort: 0, strategy: 'round-robin', configFile: '', consoleDir: join(ROOT, 'dist', 'console') });
      assert.ok(started.ok, started.ok ? '' : started.error);
      assert.equal(started.value.strategy, 'round-robin');
      const health = await fetch(started.value.apiUrl.replace(/\/api$/, '/healthz'));
      assert.ok(health.status === 200 || health.status === 503, `healthz answered ${health.status}`);
      const pid = host.pid!;
      await host.stop();
      assert.equal(host.state, 'stopped');
      assert.throws(() => process.kill(pid, 0), /ESRCH/);
    } finally {
      await host.stop();
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('packs for Linux (with a stand-in Electron): the entry and preloads in app.asar, a working cluster host in app.asar.unpacked', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'switchboard-pack-'));
    const fakeDist = join(tmp, 'electron-dist');
    mkdirSync(join(fakeDist, 'resources'), { recursive: true });
    writeFileSync(join(fakeDist, 'electron'), '#!/bin/sh\necho stand-in electron\n', { mode: 0o755 });
    writeFileSync(join(fakeDist, 'version'), '45.5.0');
    for (const f of ['LICENSE', 'LICENSES.chromium.html']) writeFileSync(join(fakeDist, f), '');
    const out = join(tmp, 'release');
    const packed = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--config', 'electron-builder.yml', '--linux', '--dir',
      `-c.electronDist=${fakeDist}`, `-c.directories.output=${out}`], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    assert.equal(packed.status, 0, packed.stdout + packed.stderr);
    const resources = join(out, 'linux-unpacked', 'resources');
    const { listPackage, extractFile } = require('@electron/asar') as { listPackage(a: string): string[]; extractFile(a: string, f: string): Buffer };
    const inside = new Set(listPackage(join(resources, 'app.asar')));
    for (const f of ['/dist-electron/main/electron-main.js', '/dist-electron/main/preload/preload.cjs', '/dist-electron/main/settings/index.html', '/assets/icons/512x512.png']) {
      assert.ok(inside.has(f), f);
    }
    assert.ok(![...inside].some((f) => f.startsWith('/node_modules/tsx/') || (f.startsWith('/dist-electron/') && f.endsWith('.map'))), 'no tsx, no source maps');
    assert.equal((JSON.parse(extractFile(join(resources, 'app.asar'), 'package.json').toString()) as { main: string }).main, 'dist-electron/main/electron-main.js');
    const unpackedDir = join(resources, 'app.asar.unpacked');
    process.env.SWITCHBOARD_CONFIG_DIR = join(tmp, 'config');
    const host = new SupervisorHost({ path: join(unpackedDir, 'dist-electron', 'embedded-server', 'host-entry.js'), execArgv: [] }, { crashed: () => undefined });
    try {
      const started = await host.start({ nodes: 1, port: 0, adminPort: 0, strategy: 'least-connections', configFile: '', consoleDir: join(unpackedDir, 'dist', 'console') });
      assert.ok(started.ok, started.ok ? '' : started.error);
      const page = await fetch(started.value.consoleUrl);
      assert.equal(page.status, 200, 'the packaged console bundle is served');
    } finally {
      await host.stop();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
