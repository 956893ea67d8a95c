import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLIENT_COMMAND_LIMIT_DEFAULTS } from '../../shared/protocol/client-limits.js';
import { resolveConfig } from './resolve-config.js';

const secrets = { tokenSecret: 'fallback-token-secret', apiKey: 'fallback-api-key' };

describe('config: per-connection command limits', () => {
  it('defaults to 2000 commands/s, 500 errors/s, 1000 commands per frame and per-kind rates', () => {
    const result = resolveConfig(undefined, {}, secrets);
    assert.ok(result.ok);
    const { commandRateLimit, errorRateLimit, frameCommandLimit, methodRateLimit } = result.value.config.client;
    assert.deepEqual({ commandRateLimit, errorRateLimit, frameCommandLimit, methodRateLimit }, CLIENT_COMMAND_LIMIT_DEFAULTS);
    assert.deepEqual(CLIENT_COMMAND_LIMIT_DEFAULTS, {
      commandRateLimit: 2000, errorRateLimit: 500, frameCommandLimit: 1000,
      methodRateLimit: { publish: 0, subscribe: 500, presence: 100, history: 100 },
    });
  });

  it('reads method_rate_limit per kind, keeping the default of the kinds not named', () => {
    const result = resolveConfig({ client: { method_rate_limit: { publish: 50, history: 0 } } }, {}, secrets);
    assert.ok(result.ok, result.ok ? '' : result.error.join('\n'));
    assert.deepEqual(result.value.config.client.methodRateLimit, { publish: 50, subscribe: 500, presence: 100, history: 0 });
  });

  it('refuses an unknown kind and a negative rate in method_rate_limit, naming the path', () => {
    const result = resolveConfig({ client: { method_rate_limit: { rpc: 5, presence: -2 } } }, {}, secrets);
    assert.ok(!result.ok);
    const text = result.error.join('\n');
    assert.match(text, /client\.method_rate_limit/);
    assert.match(text, /rpc/);
    assert.match(text, /presence/);
  });

  it('reads command_rate_limit, error_rate_limit and frame_command_limit from the client section (0 = unlimited rates)', () => {
    const result = resolveConfig({ client: { command_rate_limit: 0, error_rate_limit: 20, frame_command_limit: 200 } }, {}, secrets);
    assert.ok(result.ok, result.ok ? '' : result.error.join('\n'));
    const c = result.value.config.client;
    assert.deepEqual([c.commandRateLimit, c.errorRateLimit, c.frameCommandLimit], [0, 20, 200]);
  });

  it('refuses a frame_command_limit of 0 and a negative rate, naming the option', () => {
    const result = resolveConfig({ client: { frame_command_limit: 0, command_rate_limit: -1 } }, {}, secrets);
    assert.ok(!result.ok);
    const text = result.error.join('\n');
    assert.match(text, /client\.frame_command_limit/);
    assert.match(text, /client\.command_rate_limit/);
  });

  it('refuses a subscribe rate below channel_limit, since a reconnecting client resubscribes every channel at once', () => {
    const result = resolveConfig({ client: { method_rate_limit: { subscribe: 50 }, channel_limit: 128 } }, {}, secrets);
    assert.ok(!result.ok);
    assert.match(result.error.join('\n'), /client\.method_rate_limit\.subscribe \(50\) must be 0 or at least client\.channel_limit \(128\)/);
    assert.ok(resolveConfig({ client: { method_rate_limit: { subscribe: 50 }, channel_limit: 50 } }, {}, secrets).ok);
  });
});
