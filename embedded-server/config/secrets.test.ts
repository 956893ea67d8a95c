import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from './load-config.js';
import { configDir, generateSecret, loadOrCreateSecrets } from './secrets.js';

const root = mkdtempSync(join(tmpdir(), 'switchboard-secrets-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('stored secrets', () => {
  it('are generated beginning with a letter or digit, so none reads as an option on a command line', () => {
    // Plain base64url begins with "-" or "_" once in 32: 3,000 draws would show it.
    const secrets = Array.from({ length: 3000 }, () => generateSecret());
    assert.ok(secrets.every((s) => /^[A-Za-z0-9][\w-]{42}$/.test(s)), secrets.find((s) => !/^[A-Za-z0-9]/.test(s)));
    assert.equal(new Set(secrets).size, secrets.length);
  });

  it('are generated once, kept with mode 0600, then reused', () => {
    const dir = join(root, 'first-run', 'switchboard');
    const first = loadOrCreateSecrets(dir);
    assert.ok(first.ok);
    assert.equal(first.value.created, true);
    assert.equal(first.value.path, join(dir, 'secrets.json'));
    assert.equal(statSync(first.value.path).mode & 0o777, 0o600);
    assert.match(first.value.secrets.tokenSecret, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(first.value.secrets.tokenSecret, first.value.secrets.apiKey);

    const second = loadOrCreateSecrets(dir);
    assert.ok(second.ok);
    assert.equal(second.value.created, false);
    assert.deepEqual(second.value.secrets, first.value.secrets);
  });

  it('live in SWITCHBOARD_CONFIG_DIR, else XDG_CONFIG_HOME/switchboard, else ~/.config/switchboard', () => {
    assert.equal(configDir({ SWITCHBOARD_CONFIG_DIR: '/x/sb', XDG_CONFIG_HOME: '/x/xdg' }), '/x/sb');
    assert.equal(configDir({ XDG_CONFIG_HOME: '/x/xdg' }), join('/x/xdg', 'switchboard'));
    assert.match(configDir({}), /\.config[/\\]switchboard$/);
  });

  it('report a damaged file instead of silently replacing it', () => {
    const dir = join(root, 'damaged');
    loadOrCreateSecrets(dir);
    writeFileSync(join(dir, 'secrets.json'), '{"token_secret": 1}');
    const result = loadOrCreateSecrets(dir);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error, /damaged.*delete it/);
  });

  it('give serve and token the same secret, while flags and the file take precedence', () => {
    const dir = join(root, 'shared');
    const serve = loadConfig({ overrides: {}, secretsDir: dir });
    const token = loadConfig({ overrides: {}, secretsDir: dir, tokenOnly: true });
    assert.ok(serve.ok && token.ok);
    assert.equal(serve.value.secretsCreated, true);
    assert.equal(token.value.config.client.tokenHmacSecret, serve.value.config.client.tokenHmacSecret);
    assert.equal(token.value.config.apiKey, serve.value.config.apiKey);

    const flagged = loadConfig({ overrides: { tokenSecret: 'from-flag', apiKey: 'key-flag' }, secretsDir: dir });
    assert.ok(flagged.ok);
    assert.deepEqual([flagged.value.config.client.tokenHmacSecret, flagged.value.config.apiKey], ['from-flag', 'key-flag']);
  });

  it('are not created when a token is minted with an explicit secret', () => {
    const dir = join(root, 'untouched');
    const token = loadConfig({ overrides: { tokenSecret: 'given' }, secretsDir: dir, tokenOnly: true });
    assert.ok(token.ok);
    assert.equal(token.value.secretsPath, undefined);
    assert.throws(() => statSync(join(dir, 'secrets.json')), /ENOENT/);
  });

  it('answer a dangling secrets.json symlink with an error naming the link and what to do, without recursing', () => {
    const dir = join(root, 'dangling');
    mkdirSync(dir, { recursive: true });
    const link = join(dir, 'secrets.json');
    symlinkSync(join(root, 'nowhere', 'secrets.json'), link);
    const result = loadOrCreateSecrets(dir);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.ok(result.error.includes(link), result.error);
      assert.match(result.error, /symbolic link to .*nowhere.* which does not exist: restore the target, or remove the link/);
    }
    const loaded = loadConfig({ overrides: {}, secretsDir: dir, env: {} });
    assert.equal(loaded.ok, false);
  });

  it('warn with the exact chmod command when the stored file is readable by other users', { skip: process.platform === 'win32' }, () => {
    const dir = join(root, 'open-mode');
    const first = loadOrCreateSecrets(dir);
    assert.ok(first.ok);
    assert.equal(first.value.warning, undefined);
    chmodSync(first.value.path, 0o644);
    const again = loadOrCreateSecrets(dir);
    assert.ok(again.ok);
    assert.deepEqual(again.value.secrets, first.value.secrets);
    assert.equal(again.value.warning?.includes(`chmod 600 '${first.value.path}'`), true, again.value.warning);
    assert.match(again.value.warning ?? '', /readable by other users \(mode 0644\)/);
    const loaded = loadConfig({ overrides: {}, secretsDir: dir, env: {} });
    assert.ok(loaded.ok);
    assert.ok(loaded.value.warnings.some((w) => w.includes('chmod 600')));
  });

  it('come from SWITCHBOARD_TOKEN_SECRET and SWITCHBOARD_API_KEY: a flag beats them, they beat the file', () => {
    const dir = join(root, 'env');
    const env = { SWITCHBOARD_TOKEN_SECRET: 'token-from-env', SWITCHBOARD_API_KEY: 'key-from-env' };
    const fromEnv = loadConfig({ overrides: {}, secretsDir: dir, env });
    assert.ok(fromEnv.ok);
    assert.deepEqual([fromEnv.value.config.client.tokenHmacSecret, fromEnv.value.config.apiKey], ['token-from-env', 'key-from-env']);
    assert.equal(fromEnv.value.secretsPath, undefined, 'nothing stored when the environment gives both');
    assert.throws(() => statSync(join(dir, 'secrets.json')), /ENOENT/);

    const flagged = loadConfig({ overrides: { apiKey: 'key-from-flag' }, secretsDir: dir, env });
    assert.ok(flagged.ok);
    assert.deepEqual([flagged.value.config.client.tokenHmacSecret, flagged.value.config.apiKey], ['token-from-env', 'key-from-flag']);

    const file = join(root, 'env-config.json');
    writeFileSync(file, JSON.stringify({ client: { token: { hmac_secret_key: 'token-from-file' } }, http_api: { key: 'key-from-file' } }));
    const overFile = loadConfig({ configPath: file, overrides: {}, secretsDir: dir, env: { SWITCHBOARD_API_KEY: 'key-from-env' } });
    assert.ok(overFile.ok);
    assert.deepEqual([overFile.value.config.client.tokenHmacSecret, overFile.value.config.apiKey], ['token-from-file', 'key-from-env']);

    const emptyFlag = loadConfig({ overrides: { apiKey: '' }, secretsDir: dir, env });
    assert.equal(emptyFlag.ok, false, 'an empty --api-key is still refused, not replaced by the environment');
  });
});
