/**
 * `npm start` on a machine without the Electron binary: the launcher runs as a child process, with
 * Electron's download pointed at a closed local port (so the real install attempt fails at once,
 * on any machine) and at an empty binary folder. It must explain in one line, start the cluster
 * headless on free ports, and print a console URL that answers — never a stack trace.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from './build-desktop.js';
import { describeInstallFailure, installedElectron } from './electron-binary.js';
import { consoleUrlIn, fallbackLine } from './headless.js';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm start without an Electron binary', () => {
  let tmp: string;
  let launcher: ChildProcess;
  let output = '';

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'switchboard-start-'));
    const mirror = await closedPort();
    launcher = spawn(process.execPath, ['--import', 'tsx', 'main/launcher/start.ts', '--port', '0', '--admin-port', '0', '--nodes', '1'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ELECTRON_OVERRIDE_DIST_PATH: join(tmp, 'no-electron-here'),
        ELECTRON_MIRROR: `http://127.0.0.1:${mirror}/`,
        electron_config_cache: join(tmp, 'electron-cache'),
        SWITCHBOARD_CONFIG_DIR: join(tmp, 'config'),
        SWITCHBOARD_NO_BROWSER: '1',
        SWITCHBOARD_ELECTRON_TIMEOUT_MS: '20000',
        // `npm test` builds the console first; a run on its own builds it here.
        SWITCHBOARD_SKIP_BUILD: existsSync(join(ROOT, 'dist', 'console', 'index.html')) ? '1' : '0',
      },
    });
    launcher.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
    launcher.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
  });

  after(async () => {
    if (launcher.exitCode === null && launcher.signalCode === null) {
      const ended = new Promise((resolve) => launcher.once('exit', resolve));
      launcher.kill('SIGTERM');
      await ended;
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it('says in one line why, starts the cluster headless, and its console URL answers', async () => {
    const deadline = Date.now() + 60_000;
    const line = /^(Electron.*); starting Switchboard headless instead — open the console at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m;
    for (;;) {
      if (line.test(output)) break;
      assert.ok(Date.now() < deadline, `no fallback line within 60 s; output so far:\n${output}`);
      assert.equal(launcher.exitCode, null, `the launcher ended early:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const match = line.exec(output)!;
    assert.match(match[1]!, /^Electron could not be downloaded \(no network access to its binary\)$|^Electron's binary/);
    assert.equal(output.split('\n').filter((l) => l.includes('starting Switchboard headless instead')).length, 1, 'one line');
    const page = await fetch(match[2]!);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="root">/);
    assert.doesNotMatch(output, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
  });

  it('stops the headless cluster when it is ended by pid', async () => {
    const url = consoleUrlIn(output)!;
    const ended = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
    process.kill(launcher.pid!, 'SIGTERM');
    assert.equal(await ended, 0);
    await assert.rejects(fetch(url), 'the console no longer answers');
  });
});

describe('the launcher\'s pieces', () => {
  it('tells a network failure, a timeout and an installer failure apart', () => {
    assert.equal(describeInstallFailure('TypeError: fetch failed\n    at x (y.js:1:2)', false, 1000), 'Electron could not be downloaded (no network access to its binary)');
    assert.equal(describeInstallFailure('RequestError: getaddrinfo ENOTFOUND github.com', false, 1000), 'Electron could not be downloaded (no network access to its binary)');
    assert.equal(describeInstallFailure('', true, 120_000), "Electron's binary did not download within 120 s");
    assert.equal(describeInstallFailure('Error: EACCES: permission denied, mkdir dist\n    at a (b:1:1)', false, 1000), "Electron's binary could not be installed (Error: EACCES: permission denied, mkdir dist)");
  });

  it('finds no binary in an empty override folder, and reads the console URL from serve\'s banner', () => {
    const empty = mkdtempSync(join(tmpdir(), 'switchboard-noelectron-'));
    assert.equal(installedElectron(join(ROOT, 'node_modules', 'electron'), { ELECTRON_OVERRIDE_DIST_PATH: empty }), null);
    rmSync(empty, { recursive: true });
    assert.equal(consoleUrlIn('Switchboard is running\n\n  console           http://127.0.0.1:8001/?token=abc\n  client WebSocket  ws://…'), 'http://127.0.0.1:8001/?token=abc');
    assert.equal(fallbackLine('Why', 'http://x/'), 'Why; starting Switchboard headless instead — open the console at http://x/');
  });
});
