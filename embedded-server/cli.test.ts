import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { jwtVerify } from 'jose';

const cliPath = fileURLToPath(new URL('./cli.ts', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
after(() => rmSync(home, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a real child process with a private config directory. */
function cli(...args: string[]): Promise<Run> {
  const env = { ...process.env, SWITCHBOARD_CONFIG_DIR: join(home, 'config') };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', cliPath, ...args], { env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

function assertOneClearLine(run: Run, pattern: RegExp): void {
  assert.equal(run.code, 2, `exit code 2 expected, stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line expected, got:\n${run.stderr}`);
  assert.match(lines[0] ?? '', pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
}

describe('switchboard CLI', () => {
  it('fails with exit code 2 and one line naming an unknown option', async () => {
    const run = await cli('serve', '--nods', '3');
    assertOneClearLine(run, /^switchboard: unknown option --nods \(did you mean --nodes\? see switchboard serve --help\)$/);
  });

  it('fails with exit code 2 naming --nodes when its value is not a number or out of range', async () => {
    assertOneClearLine(await cli('serve', '--nodes', 'three'), /--nodes expects a whole number \(got "three"\)/);
    const zero = await cli('serve', '--nodes', '0');
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /--nodes must be a whole number from 1 to 64 \(got 0\)/);
  });

  it('fails with exit code 2 naming a flag that lacks its value, and an unknown command', async () => {
    assertOneClearLine(await cli('serve', '--port'), /^switchboard: option --port needs a value/);
    assertOneClearLine(await cli('srve'), /^switchboard: unknown command 'srve' \(did you mean serve\?/);
  });

  it('fails with exit code 2 naming --engine or --redis-url when their values cannot be used', async () => {
    assertOneClearLine(await cli('serve', '--engine', 'nats'), /^switchboard: --engine must be one of memory, redis \(got "nats"\)$/);
    assertOneClearLine(await cli('serve', '--redis-url', 'http://h:1'), /^switchboard: --redis-url: "http:\/\/h:1" must start with redis:\/\//);
    assertOneClearLine(await cli('serve', '--engine', 'memory', '--redis-url', 'redis://h:1'), /^switchboard: --redis-url needs --engine redis/);
  });

  it('fails with exit code 2 naming the path of an unknown option in the config file', async () => {
    const file = join(home, 'bad.json');
    writeFileSync(file, JSON.stringify({ channel: { namespaces: [{ name: 'chat', histroy_size: 10 }] } }));
    assertOneClearLine(await cli('serve', '--config', file), /channel\.namespaces\[0\]\.histroy_size: unknown option/);
  });

  it('prints just a JWT for token --user alice that verifies with the --token-secret secret', async () => {
    const secret = 'cli-test-secret-0123456789';
    const run = await cli('token', '--user', 'alice', '--ttl', '1h', '--token-secret', secret);
    assert.equal(run.code, 0, run.stderr);
    const token = run.stdout.trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    assert.equal(payload.sub, 'alice');
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 3600);
  });

  it('takes a secret that begins with "-" as --token-secret=<value>, and says so when it was given apart', async () => {
    const secret = '-cli-test-secret-0123456789';
    assertOneClearLine(await cli('token', '--user', 'alice', '--token-secret', secret),
      /^switchboard: option --token-secret needs a value; a value that begins with "-" goes as --token-secret=<value> \(see switchboard token --help\)$/);
    const run = await cli('token', '--user', 'alice', `--token-secret=${secret}`);
    assert.equal(run.code, 0, run.stderr);
    const { payload } = await jwtVerify(run.stdout.trim(), new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    assert.equal(payload.sub, 'alice');
  });

  it('mints tokens with the stored secret when none is given, the same one on every run', async () => {
    const first = await cli('token', '--user', 'bob');
    const second = await cli('token', '--user', 'bob', '--ttl', '0');
    assert.equal(first.code, 0, first.stderr);
    const stored = JSON.parse(readFileSync(join(home, 'config', 'secrets.json'), 'utf8')) as { token_secret: string };
    const key = new TextEncoder().encode(stored.token_secret);
    await jwtVerify(first.stdout.trim(), key);
    const { payload } = await jwtVerify(second.stdout.trim(), key);
    assert.equal(payload.exp, undefined);
  });
});
