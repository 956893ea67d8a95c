/**
 * What `switchboard` runs (bin/switchboard.js + bin/server-build.js): the compiled build when it is
 * there and no source is newer, else the TypeScript sources under tsx with a one-line notice. The
 * rule is checked on a copy of the launcher in a temporary package whose two CLIs only say how they
 * were run; then the real built CLI starts a real cluster. Linux only: command lines come from /proc.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { mintConnectionToken } from '../../embedded-server/index.js';
import { markBuilt, serverRuntime } from '../../bin/server-build.js';
import { ROOT, buildConsole, buildMain } from './build-desktop.js';

const linux = process.platform === 'linux';

/** A CLI that prints how it was started, then exits (valid as TypeScript and as JavaScript). */
const PROBE_CLI = `process.stdout.write(JSON.stringify({ entry: process.argv[1], execArgv: process.execArgv, consoleDir: process.env.SWITCHBOARD_CONSOLE_DIR }) + '\\n', () => process.exit(0));\n`;

interface Probe { entry: string; execArgv: string[]; consoleDir: string }

/** Runs `node <root>/bin/switchboard.js probe` to its end (killed by pid after 20 s); answers what the probe printed. */
function runLauncher(root: string, env: Record<string, string> = {}): Promise<{ probe: Probe; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'switchboard.js'), 'probe'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const bound = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      clearTimeout(bound);
      if (code !== 0) return reject(new Error(`the launcher exited ${code}: ${stdout}${stderr}`));
      resolve({ probe: JSON.parse(stdout) as Probe, stderr });
    });
  });
}

/** A package with the real launcher, a probe as its CLI source and build, and one shared/ source. */
function probePackage(): { root: string; source: string; touch(path: string, at: number): void } {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-runtime-'));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  mkdirSync(join(root, 'bin'));
  for (const file of ['switchboard.js', 'server-build.js']) copyFileSync(join(ROOT, 'bin', file), join(root, 'bin', file));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  write('package.json', '{ "type": "module" }\n');
  write('embedded-server/cli.ts', PROBE_CLI);
  write('shared/result.ts', 'export const answer = 42;\n');
  // The CLI source dates from long before any build made here; shared/result.ts is the one the tests move.
  utimesSync(join(root, 'embedded-server', 'cli.ts'), 0, 0);
  return { root, source: join(root, 'shared', 'result.ts'), touch: (path, at) => utimesSync(path, at / 1000, at / 1000) };
}

/** Puts a probe build in <root>/dist-electron, stamped as having read the sources at `sourcesAt`. */
function buildProbe(root: string, sourcesAt: number): void {
  mkdirSync(join(root, 'dist-electron', 'embedded-server'), { recursive: true });
  writeFileSync(join(root, 'dist-electron', 'embedded-server', 'cli.js'), PROBE_CLI);
  markBuilt(join(root, 'dist-electron'), sourcesAt);
}

const underTsx = (p: Probe): boolean => p.execArgv.some((a) => a.includes('tsx'));

describe('which code the switchboard launcher runs', () => {
  const pkg = probePackage();
  const t0 = Date.now() - 60_000;
  after(() => rmSync(pkg.root, { recursive: true, force: true }));

  it('runs embedded-server/cli.ts under tsx, and says in one line that nothing is built, when there is no build', async () => {
    const { probe, stderr } = await runLauncher(pkg.root);
    assert.equal(probe.entry, join(pkg.root, 'embedded-server', 'cli.ts'));
    assert.ok(underTsx(probe), `tsx loader in ${probe.execArgv.join(' ')}`);
    assert.equal(stderr, 'switchboard: running the TypeScript sources under tsx (no server build in dist-electron/; `npm run build:server` builds the compiled CLI)\n');
  });

  it('runs dist-electron/embedded-server/cli.js under plain Node, silently, when the build is newer than every source', async () => {
    pkg.touch(pkg.source, t0);
    buildProbe(pkg.root, t0 + 1000);
    const { probe, stderr } = await runLauncher(pkg.root);
    assert.equal(probe.entry, join(pkg.root, 'dist-electron', 'embedded-server', 'cli.js'));
    assert.deepEqual(probe.execArgv, ['--max-semi-space-size=4']);
    assert.equal(probe.consoleDir, join(pkg.root, 'dist', 'console'), 'the compiled cluster is told where the console bundle is');
    assert.equal(stderr, '');
  });

  it('falls back to the sources, naming the newer file, once a source changed after the build', async () => {
    pkg.touch(pkg.source, t0 + 2000);
    const { probe, stderr } = await runLauncher(pkg.root);
    assert.ok(underTsx(probe) && probe.entry.endsWith('cli.ts'));
    assert.match(stderr, /^switchboard: running the TypeScript sources under tsx \(the server build in dist-electron\/ is older than shared\/result\.ts;/);
  });

  it('does not count a test file as a source the build is older than', () => {
    pkg.touch(pkg.source, t0);
    const test = join(pkg.root, 'shared', 'result.test.ts');
    writeFileSync(test, 'export {};\n');
    pkg.touch(test, t0 + 5000);
    assert.equal(serverRuntime(pkg.root).runtime, 'compiled');
  });

  it('runs the sources when SWITCHBOARD_RUNTIME=tsx asks for them, even with a fresh build', async () => {
    assert.equal(serverRuntime(pkg.root).runtime, 'compiled');
    const { probe, stderr } = await runLauncher(pkg.root, { SWITCHBOARD_RUNTIME: 'tsx' });
    assert.ok(underTsx(probe) && probe.entry.endsWith('cli.ts'));
    assert.match(stderr, /\(SWITCHBOARD_RUNTIME=tsx;/);
  });
});

/** Pids whose parent is `parent` (field 4 of /proc/PID/stat). */
function childrenOf(parent: number): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).flatMap((entry) => {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent ? [Number(entry)] : [];
    } catch {
      return []; // ended while we looked
    }
  });
}

const cmdline = (pid: number): string[] => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

describe('switchboard serve from the compiled build', { skip: !linux && 'reads /proc' }, () => {
  const home = mkdtempSync(join(tmpdir(), 'switchboard-compiled-'));
  const secret = randomBytes(24).toString('hex');
  const apiKey = randomBytes(16).toString('hex');
  let launcher: ChildProcess | undefined;
  let output = '';
  let supervisor = 0;
  let nodes: number[] = [];
  let client: Centrifuge | undefined;

  before(async () => {
    // `npm test` builds both first; a run of this file on its own builds what is missing or stale.
    if (serverRuntime(ROOT).runtime !== 'compiled') assert.ok(await buildMain({ quiet: true }), 'npm run build:server succeeds');
    if (!existsSync(join(ROOT, 'dist', 'console', 'index.html'))) assert.ok(await buildConsole({ quiet: true }), 'npm run build:console succeeds');
    launcher = spawn(process.execPath, [join(ROOT, 'bin', 'switchboard.js'), 'serve', '--nodes', '2', '--port', '0', '--admin-port', '0'], {
      env: { ...process.env, SWITCHBOARD_CONFIG_DIR: home, SWITCHBOARD_TOKEN_SECRET: secret, SWITCHBOARD_API_KEY: apiKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
    launcher.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
    for (const deadline = Date.now() + 30_000; !output.includes('Ctrl+C stops the cluster.');) {
      assert.ok(Date.now() < deadline && launcher.exitCode === null, `no serve banner within 30 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    [supervisor = 0] = childrenOf(launcher.pid!);
    nodes = childrenOf(supervisor).filter((pid) => cmdline(pid).some((a) => a.includes('node-main')));
  });

  after(async () => {
    client?.disconnect();
    const pids = [launcher?.pid ?? 0, supervisor, ...nodes].filter((p) => p > 0);
    if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
      const ended = new Promise((resolve) => launcher!.once('exit', resolve));
      launcher.kill('SIGTERM');
      await Promise.race([ended, new Promise((r) => setTimeout(r, 15_000))]);
    }
    for (const pid of pids) killIfAlive(pid);
    rmSync(home, { recursive: true, force: true });
  });

  it('runs the supervisor and both nodes from dist-electron/ under plain Node, with no tsx loader', () => {
    assert.doesNotMatch(output, /TypeScript sources/, 'no fallback notice');
    assert.deepEqual(cmdline(supervisor).slice(1, 3), ['--max-semi-space-size=4', join(ROOT, 'dist-electron', 'embedded-server', 'cli.js')]);
    assert.equal(nodes.length, 2, `two node processes under the supervisor\n${output}`);
    for (const pid of [supervisor, ...nodes]) assert.ok(!cmdline(pid).some((a) => a.includes('tsx')), `pid ${pid}: ${cmdline(pid).join(' ')}`);
    for (const pid of nodes) assert.equal(cmdline(pid).at(-1), join(ROOT, 'dist-electron', 'embedded-server', 'node', 'node-main.js'));
  });

  it('delivers a publication made through its HTTP API to a real centrifuge client', async () => {
    const clientUrl = /client WebSocket\s+(ws:\/\/\S+)/.exec(output)![1]!;
    const apiUrl = /HTTP API\s+(http:\/\/\S+)/.exec(output)![1]!;
    client = new Centrifuge(clientUrl, { websocket: WebSocket, token: await mintConnectionToken({ secret, user: 'compiled' }) });
    client.on('error', () => undefined);
    const sub = client.newSubscription('chat:compiled');
    const got = new Promise<unknown>((resolve, reject) => {
      sub.on('publication', (ctx) => resolve(ctx.data));
      setTimeout(() => reject(new Error('no publication within 10 s')), 10_000).unref();
    });
    sub.subscribe();
    client.connect();
    await sub.ready(5000);
    const res = await fetch(`${apiUrl}/publish`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ channel: 'chat:compiled', data: { text: 'from the build' } }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await got, { text: 'from the build' });
  });

  it('serves the console bundle from dist/console', async () => {
    const page = await fetch(/console\s+(http:\/\/\S+)/.exec(output)![1]!);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="root">/);
  });
});
