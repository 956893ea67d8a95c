import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CHANNEL_OPTIONS } from '../../shared/channels/channel-options.js';
import type { ClusterConfig } from './cluster-config.js';
import type { CliOverrides } from './resolve-config.js';
import { defaultClusterConfig } from './resolve-config.js';
import { resolveProblems, resolveValid } from './resolve-config.test-helper.js';

const resolve = resolveValid;
const problems = resolveProblems;

const HOUR = 3_600_000;

describe('resolveConfig', () => {
  it('uses the documented defaults and the default namespaces when there is no config file', () => {
    const { config, warnings } = resolve(undefined);
    assert.deepEqual(warnings, []);
    assert.equal(config.nodes, 3);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8000);
    assert.equal(config.adminPort, 8001);
    assert.equal(config.strategy, 'least-connections');
    assert.equal(config.statsIntervalMs, 1000);
    assert.equal(config.autoRestart, true);
    assert.deepEqual([config.restartBackoffMinMs, config.restartBackoffMaxMs], [250, 10_000]);
    assert.equal(config.standbyNodes, 0);
    assert.deepEqual([config.client.pingIntervalMs, config.client.pongTimeoutMs], [25_000, 8_000]);
    assert.equal(config.client.channelLimit, 128);
    assert.equal(config.client.maxMessageSize, 65_536);
    assert.equal(config.client.queueMaxSize, 1_048_576);
    assert.deepEqual([config.client.staleCloseDelayMs, config.client.expiredCloseDelayMs], [10_000, 25_000]);
    assert.deepEqual([config.client.recoveryMaxPublicationLimit, config.client.historyMaxPublicationLimit], [300, 300]);
    assert.equal(config.client.insecure, false);
    assert.equal(config.apiInsecure, false);
    const { channels } = config;
    assert.deepEqual([channels.privatePrefix, channels.namespaceBoundary, channels.userBoundary, channels.userSeparator], ['$', ':', '#', ',']);
    assert.equal(channels.maxLength, 255);
    assert.deepEqual(Object.keys(channels.namespaces), ['chat', 'typing', 'feed', 'personal']);
    assert.equal(channels.namespaces.chat.historyMetaTtlMs, 720 * HOUR);
    assert.ok(config.adminToken.length >= 32, 'an admin token is generated');
  });

  it('lets flags override the file, and the file override the defaults', () => {
    const file = { cluster: { nodes: 5, port: 9000, admin_port: 9001, address: '0.0.0.0', strategy: 'round-robin', stats_interval: '2s' } };
    const fromFile = resolve(file).config;
    assert.deepEqual([fromFile.nodes, fromFile.port, fromFile.adminPort, fromFile.host, fromFile.strategy], [5, 9000, 9001, '0.0.0.0', 'round-robin']);
    assert.equal(fromFile.statsIntervalMs, 2000);
    const flags: CliOverrides = { nodes: 2, port: 0, adminPort: 0, host: '127.0.0.2', strategy: 'sticky' };
    const fromFlags = resolve(file, flags).config;
    assert.deepEqual([fromFlags.nodes, fromFlags.port, fromFlags.adminPort, fromFlags.host, fromFlags.strategy], [2, 0, 0, '127.0.0.2', 'sticky']);
  });

  it('takes secrets from a flag first, then the file, then the stored fallback', () => {
    const file = { client: { token: { hmac_secret_key: 'file-secret' } }, http_api: { key: 'file-key' }, cluster: { admin_token: 'file-admin' } };
    assert.deepEqual(pick(resolve(undefined).config), ['fallback-token-secret', 'fallback-api-key']);
    assert.deepEqual(pick(resolve(file).config), ['file-secret', 'file-key']);
    assert.deepEqual(pick(resolve(file, { tokenSecret: 'flag-secret', apiKey: 'flag-key' }).config), ['flag-secret', 'flag-key']);
    assert.equal(resolve(file).config.adminToken, 'file-admin');
  });

  it('turns on client.insecure and http_api.insecure with --insecure', () => {
    const { config } = resolve(undefined, { insecure: true });
    assert.equal(config.client.insecure, true);
    assert.equal(config.apiInsecure, true);
  });

  it('carries a Centrifugo v6 channel section over, replacing the default namespaces', () => {
    const file = {
      client: { allowed_origins: ['http://localhost:3000'], ping_interval: '10s', pong_timeout: '4s', token: { audience: 'app', issuer: 'me' } },
      channel: {
        history_meta_ttl: '48h',
        private_prefix: '$',
        without_namespace: { presence: true, allow_subscribe_for_client: true },
        namespaces: [
          { name: 'rooms', history_size: 50, history_ttl: '300s', force_recovery: true, join_leave: true, allow_publish_for_subscriber: true, channel_regex: '^[a-z0-9]+$' },
          { name: 'dm', allow_user_limited_channels: true, history_meta_ttl: '1h', publication_data_format: 'json_object', publish_rate_limit: 2 },
        ],
      },
    };
    const { config } = resolve(file);
    assert.deepEqual(Object.keys(config.channels.namespaces), ['rooms', 'dm']);
    assert.deepEqual(config.channels.namespaces.rooms, {
      ...DEFAULT_CHANNEL_OPTIONS, historySize: 50, historyTtlMs: 300_000, historyMetaTtlMs: 48 * HOUR, forceRecovery: true,
      joinLeave: true, allowPublishForSubscriber: true, channelRegex: '^[a-z0-9]+$',
    });
    assert.equal(config.channels.namespaces.dm.historyMetaTtlMs, HOUR);
    assert.equal(config.channels.namespaces.dm.publicationDataFormat, 'json_object');
    assert.equal(config.channels.namespaces.dm.publishRateLimit, 2);
    assert.equal(config.channels.withoutNamespace.presence, true);
    assert.deepEqual(config.client.allowedOrigins, ['http://localhost:3000']);
    assert.deepEqual([config.client.pingIntervalMs, config.client.pongTimeoutMs], [10_000, 4_000]);
    assert.deepEqual([config.client.tokenAudience, config.client.tokenIssuer], ['app', 'me']);
  });

  it('reads allow_tags_filter per namespace, off by default, without a warning', () => {
    const { config, warnings } = resolve({ channel: { namespaces: [{ name: 'market', allow_tags_filter: true }, { name: 'plain' }] } });
    assert.equal(config.channels.namespaces.market.allowTagsFilter, true);
    assert.equal(config.channels.namespaces.plain.allowTagsFilter, false);
    assert.deepEqual(warnings, []);
    assert.match(problems({ channel: { namespaces: [{ name: 'market', allow_tags_filter: 'yes' }] } })[0] ?? '', /^channel\.namespaces\[0\]\.allow_tags_filter/);
  });

  it('names an unknown option by its full path, with the likely intended name', () => {
    const errors = problems({ channel: { namespaces: [{ name: 'chat', histroy_size: 10 }] } });
    assert.deepEqual(errors, ['channel.namespaces[0].histroy_size: unknown option (did you mean history_size?)']);
    assert.match(problems({ client: { pong_timout: '5s' } })[0] ?? '', /^client\.pong_timout: unknown option/);
  });

  it('names every invalid value by its path', () => {
    const errors = problems({
      client: { ping_interval: 'soon', channel_limit: 0 },
      channel: { namespaces: [{ name: 'chat', history_size: 'ten', presence: 'yes' }] },
      cluster: { nodes: -1, strategy: 'random', port: 70000 },
    });
    const paths = errors.map((line) => line.split(':')[0]);
    assert.deepEqual(paths.sort(), [
      'channel.namespaces[0].history_size', 'channel.namespaces[0].presence', 'client.channel_limit',
      'client.ping_interval', 'cluster.nodes', 'cluster.port', 'cluster.strategy',
    ]);
    assert.ok(errors.some((line) => line.includes('least-connections, round-robin, sticky')));
  });

  it('rejects recovery and positioning in a namespace without history', () => {
    const errors = problems({ channel: { namespaces: [{ name: 'chat', force_recovery: true, allow_positioning: true, history_size: 10 }] } });
    assert.deepEqual(errors, [
      'channel.namespaces[0].force_recovery: needs history: set history_size and history_ttl above 0',
      'channel.namespaces[0].allow_positioning: needs history: set history_size and history_ttl above 0',
    ]);
    assert.equal(problems({ channel: { without_namespace: { allow_recovery: true } } }).length, 1);
  });

  it('rejects bad and duplicate namespace names', () => {
    assert.match(problems({ channel: { namespaces: [{ name: 'a' }] } })[0] ?? '', /^channel\.namespaces\[0\]\.name: /);
    assert.match(problems({ channel: { namespaces: [{ name: 'chat:x' }] } })[0] ?? '', /^channel\.namespaces\[0\]\.name: /);
    assert.deepEqual(problems({ channel: { namespaces: [{ name: 'chat' }, { name: 'chat' }] } }), [
      'channel.namespaces[1].name: duplicate namespace "chat" (also namespaces[0])',
    ]);
  });

  it('rejects the binary data format, since Switchboard is JSON-only, and a channel_regex that does not compile', () => {
    const [binary] = problems({ channel: { namespaces: [{ name: 'bin', publication_data_format: 'binary' }] } });
    assert.match(binary ?? '', /^channel\.namespaces\[0\]\.publication_data_format: "binary" is not supported.*JSON/);
    const [regex] = problems({ channel: { without_namespace: { channel_regex: '([a-z' } } });
    assert.match(regex ?? '', /^channel\.without_namespace\.channel_regex: does not compile/);
  });

  it('rejects a pong timeout that is not shorter than the ping interval, even against a default', () => {
    assert.deepEqual(problems({ client: { pong_timeout: '30s' } }), [
      'client.pong_timeout (30s) must be shorter than client.ping_interval (25s)',
    ]);
  });

  it('rejects flag values out of range, naming the flag', () => {
    assert.deepEqual(problems(undefined, { nodes: 0, port: 65536 }), [
      '--nodes must be a whole number from 1 to 64 (got 0)',
      '--port must be a whole number from 0 to 65535 (got 65536)',
    ]);
  });

  it('warns about Centrifugo sections and options it ignores, but rejects unknown top-level keys', () => {
    const { warnings } = resolve({
      log: { level: 'debug' }, broker: { enabled: true }, prometheus: { enabled: true },
      client: { expired_sub_close_delay: '27s' },
      channel: { namespaces: [{ name: 'chat', subscribe_stream_proxy_enabled: true }] },
    });
    assert.equal(warnings.length, 5);
    assert.ok(warnings.every((w) => w.includes('ignored')));
    assert.ok(warnings.includes('channel.namespaces[0].subscribe_stream_proxy_enabled: ignored (subscription streams are not supported)'));
    assert.match(problems({ shiny: true })[0] ?? '', /^shiny: unknown section/);
  });

  it('reads allowed_delta_types and delta_publish per namespace, and refuses delta types other than fossil', () => {
    const { config, warnings } = resolve({ channel: { namespaces: [
      { name: 'doc', history_size: 10, history_ttl: '60s', force_positioning: true, allowed_delta_types: ['fossil'], delta_publish: true },
      { name: 'other' },
    ] } });
    assert.deepEqual(warnings, []);
    assert.deepEqual([config.channels.namespaces.doc!.allowDelta, config.channels.namespaces.doc!.deltaPublish], [true, true]);
    assert.deepEqual([config.channels.namespaces.other!.allowDelta, config.channels.namespaces.other!.deltaPublish], [false, false]);
    assert.deepEqual(problems({ channel: { without_namespace: { allowed_delta_types: ['xdelta'] } } }), ['channel.without_namespace.allowed_delta_types[0]: only "fossil" deltas exist']);
  });

  it('points Centrifugo v5 flat names to their v6 place', () => {
    assert.deepEqual(problems({ token_hmac_secret_key: 'x', presence: true }), [
      'token_hmac_secret_key: unknown section — this is a Centrifugo v5 name; in the v6 layout it is client.token.hmac_secret_key',
      'presence: unknown section — this is a Centrifugo v5 name; in the v6 layout it is channel.without_namespace.presence',
    ]);
  });
});

describe('defaultClusterConfig', () => {
  it('listens on port 0 with the default namespaces and fresh random secrets each time', () => {
    const a = defaultClusterConfig();
    const b = defaultClusterConfig({ nodes: 1 });
    assert.deepEqual([a.port, a.adminPort, a.nodes, b.nodes], [0, 0, 3, 1]);
    assert.ok(a.channels.namespaces.chat !== undefined);
    assert.notEqual(a.client.tokenHmacSecret, b.client.tokenHmacSecret);
    assert.notEqual(a.apiKey, b.apiKey);
  });
});

function pick(config: ClusterConfig): [string, string] {
  return [config.client.tokenHmacSecret, config.apiKey];
}

describe('resolveConfig: a node that stops answering', () => {
  it('replaces a silent node after 10 s and queues at most 32 MiB for it by default', () => {
    const { config } = resolve(undefined);
    assert.equal(config.nodeUnresponsiveTimeoutMs, 10_000);
    assert.equal(config.nodeQueueMaxSize, 32 * 1024 * 1024);
  });

  it('reads cluster.node_unresponsive_timeout and cluster.node_queue_max_size', () => {
    const { config } = resolve({ cluster: { node_unresponsive_timeout: '30s', node_queue_max_size: 1_048_576 } });
    assert.deepEqual([config.nodeUnresponsiveTimeoutMs, config.nodeQueueMaxSize], [30_000, 1_048_576]);
  });

  it('keeps the default timeout past the unhealthy mark when reports are slow', () => {
    assert.equal(resolve({ cluster: { stats_interval: '5s' } }).config.nodeUnresponsiveTimeoutMs, 20_000);
  });

  it('refuses a timeout a node reaches before it is even unhealthy, naming both options', () => {
    const found = problems({ cluster: { stats_interval: '1s', node_unresponsive_timeout: '3s' } });
    assert.ok(found.some((p) => /cluster\.node_unresponsive_timeout \(3s\) must be longer .*cluster\.stats_interval \(1s\)/.test(p)), found.join('\n'));
  });
});

describe('cluster.standby_nodes', () => {
  it('takes 0 (no standby) up to 8, and refuses a negative or fractional count', () => {
    assert.equal(resolve({ cluster: { standby_nodes: 0 } }).config.standbyNodes, 0);
    assert.equal(resolve({ cluster: { standby_nodes: 2 } }).config.standbyNodes, 2);
    assert.match(resolveProblems({ cluster: { standby_nodes: -1 } }).join('\n'), /standby_nodes/);
    assert.match(resolveProblems({ cluster: { standby_nodes: 1.5 } }).join('\n'), /standby_nodes/);
    assert.match(resolveProblems({ cluster: { standby_nodes: 9 } }).join('\n'), /standby_nodes.*at most 8/);
  });
});
