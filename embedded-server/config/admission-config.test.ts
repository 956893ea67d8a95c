import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from './resolve-config.js';

const secrets = { tokenSecret: 'fallback-token-secret', apiKey: 'fallback-api-key' };

describe('config: connection admission and HTTP bounds', () => {
  it('defaults to no connection caps or connect rates, 10 s / 16 KiB heads, 30 s bodies, 5 s idle, 16,384 pending (4,096 per address), 1 MiB API bodies', () => {
    const result = resolveConfig(undefined, {}, secrets);
    assert.ok(result.ok);
    const { admission, http } = result.value.config;
    assert.deepEqual(admission, { connectionLimit: 0, connectionRateLimit: 0, connectionRateLimitPerIp: 0 });
    assert.deepEqual(
      { ...http, adminRequestTimeoutMs: undefined },
      { headTimeoutMs: 10_000, headMaxBytes: 16_384, bodyTimeoutMs: 30_000, idleTimeoutMs: 5_000, maxPendingConnections: 16_384, maxPendingConnectionsPerIp: 4096, adminRequestTimeoutMs: undefined, apiMaxBodyBytes: 1_048_576 },
    );
  });

  it('reads client.connection_limit, connection_rate_limit, connection_rate_limit_per_ip, cluster.http and http_api.max_body_size', () => {
    const result = resolveConfig({
      client: { connection_limit: 5000, connection_rate_limit: 1000, connection_rate_limit_per_ip: 20 },
      cluster: { http: { head_timeout: '3s', head_max_size: 4096, body_timeout: '7s', idle_timeout: '2s', max_pending_connections: 100 } },
      http_api: { max_body_size: 65_536 },
    }, {}, secrets);
    assert.ok(result.ok, result.ok ? '' : result.error.join('\n'));
    const { admission, http } = result.value.config;
    assert.deepEqual(admission, { connectionLimit: 5000, connectionRateLimit: 1000, connectionRateLimitPerIp: 20 });
    assert.deepEqual([http.headTimeoutMs, http.headMaxBytes, http.bodyTimeoutMs, http.idleTimeoutMs, http.maxPendingConnections, http.apiMaxBodyBytes],
      [3000, 4096, 7000, 2000, 100, 65_536]);
  });

  it('takes a quarter of cluster.http.max_pending_connections per address unless max_pending_connections_per_ip says otherwise', () => {
    const share = (http: Record<string, number>): number | string => {
      const result = resolveConfig({ cluster: { http } }, {}, secrets);
      return result.ok ? result.value.config.http.maxPendingConnectionsPerIp : result.error.join('\n');
    };
    assert.equal(share({ max_pending_connections: 100 }), 25);
    assert.equal(share({ max_pending_connections: 3 }), 1);
    assert.equal(share({ max_pending_connections: 100, max_pending_connections_per_ip: 60 }), 60);
    assert.equal(share({ max_pending_connections_per_ip: 10 }), 10);
    assert.match(String(share({ max_pending_connections_per_ip: 0 })), /cluster\.http\.max_pending_connections_per_ip/);
  });

  it('no longer warns that connection_limit and connection_rate_limit are unsupported', () => {
    const result = resolveConfig({ client: { connection_limit: 10, connection_rate_limit: 10 } }, {}, secrets);
    assert.ok(result.ok);
    assert.deepEqual(result.value.warnings.filter((w) => /connection_(rate_)?limit/.test(w)), []);
  });

  it('refuses negative rates, a head bound below 1 KiB, a zero head timeout and an API body bound below 1 KiB, naming each path', () => {
    const result = resolveConfig({
      client: { connection_rate_limit: -1, connection_rate_limit_per_ip: 1.5 },
      cluster: { http: { head_max_size: 100, head_timeout: '0s' } },
      http_api: { max_body_size: 10 },
    }, {}, secrets);
    assert.ok(!result.ok);
    const text = result.error.join('\n');
    for (const path of ['client.connection_rate_limit', 'client.connection_rate_limit_per_ip', 'cluster.http.head_max_size', 'cluster.http.head_timeout', 'http_api.max_body_size']) {
      assert.ok(text.includes(path), `no error names ${path}:\n${text}`);
    }
  });
});
