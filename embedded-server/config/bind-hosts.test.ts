import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterConfig } from './cluster-config.js';
import type { CliOverrides } from './resolve-config.js';
import { resolveConfig } from './resolve-config.js';
import { exposureWarnings } from '../cli-text.js';

const secrets = { tokenSecret: 'fallback-token-secret', apiKey: 'fallback-api-key' };

function resolve(file: unknown, overrides: CliOverrides = {}): ClusterConfig {
  const result = resolveConfig(file, overrides, secrets);
  assert.ok(result.ok, `expected a valid config, got: ${result.ok ? '' : result.error.join('\n')}`);
  return result.value.config;
}

describe('where the ports bind, and which Host names they answer', () => {
  it('keeps the admin port on 127.0.0.1 when --host asks for every interface', () => {
    const config = resolve(undefined, { host: '0.0.0.0' });
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.adminHost, '127.0.0.1');
  });

  it('binds the admin port elsewhere only when asked by --admin-host or cluster.admin_address', () => {
    assert.equal(resolve(undefined, { adminHost: '10.0.0.5' }).adminHost, '10.0.0.5');
    assert.equal(resolve({ cluster: { admin_address: '10.0.0.6' } }).adminHost, '10.0.0.6');
    assert.equal(resolve({ cluster: { admin_address: '10.0.0.6' } }, { adminHost: '::1' }).adminHost, '::1');
  });

  it('reads allowed hosts from --allowed-hosts or cluster.allowed_hosts, none by default', () => {
    assert.deepEqual(resolve(undefined).allowedHosts, []);
    assert.deepEqual(resolve({ cluster: { allowed_hosts: ['rt.example.com'] } }).allowedHosts, ['rt.example.com']);
    assert.deepEqual(resolve({ cluster: { allowed_hosts: ['a'] } }, { allowedHosts: ['b', '*.c'] }).allowedHosts, ['b', '*.c']);
  });

  it('reads extra admin console origins from cluster.admin_allowed_origins, none by default', () => {
    assert.deepEqual(resolve(undefined).adminAllowedOrigins, []);
    assert.deepEqual(resolve({ cluster: { admin_allowed_origins: ['https://console.example'] } }).adminAllowedOrigins, ['https://console.example']);
  });

  it('refuses an empty admin host or allowed host name, naming the option', () => {
    const flag = resolveConfig(undefined, { adminHost: '' }, secrets);
    assert.ok(!flag.ok && flag.error.some((p) => p.includes('--admin-host')));
    const file = resolveConfig({ cluster: { allowed_hosts: [''] } }, {}, secrets);
    assert.ok(!file.ok && file.error.some((p) => p.includes('allowed_hosts')), JSON.stringify(file));
  });

  it('warns once about a client port bound beyond loopback, and loudly about an exposed admin port', () => {
    assert.deepEqual(exposureWarnings(resolve(undefined)), []);
    const wide = exposureWarnings(resolve(undefined, { host: '0.0.0.0' }));
    assert.equal(wide.length, 1);
    assert.match(wide[0], /client port \(8000\) listens on 0\.0\.0\.0.*\n.*\n.*--allowed-hosts.*admin port stays on 127\.0\.0\.1/);
    const both = exposureWarnings(resolve(undefined, { host: '0.0.0.0', adminHost: '0.0.0.0' }));
    assert.equal(both.length, 2);
    assert.match(both[1], /THE ADMIN PORT \(8001\) LISTENS ON 0\.0\.0\.0/);
  });
});
