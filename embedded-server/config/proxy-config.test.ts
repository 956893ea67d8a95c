import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveProblems, resolveValid } from './resolve-config.test-helper.js';

const B = 'http://127.0.0.1:3000';

describe('proxy configuration', () => {
  it('reads Centrifugo v6 proxy sections into endpoints by name and the events that use them', () => {
    const { config, warnings } = resolveValid({
      client: { proxy: {
        connect: { enabled: true, endpoint: `${B}/connect`, timeout: '2s', http_headers: ['Cookie', 'X-Real-IP'], emulated_headers: ['Authorization'] },
        refresh: { enabled: false, endpoint: `${B}/refresh` },
      } },
      channel: {
        proxy: { subscribe: { endpoint: `${B}/subscribe` }, publish: { endpoint: `${B}/publish`, http: { static_headers: { 'X-Token': 's3' } } } },
        without_namespace: { subscribe_proxy_enabled: true },
        namespaces: [{ name: 'chat', publish_proxy_enabled: true, subscribe_proxy_enabled: true, subscribe_proxy_name: 'rooms' }],
      },
      rpc: { proxy: { endpoint: `${B}/rpc` }, without_namespace: { proxy_enabled: true }, namespaces: [{ name: 'billing', proxy_enabled: true, proxy_name: 'rooms' }, { name: 'off' }], ping: { enabled: true } },
      proxies: [{ name: 'rooms', endpoint: `${B}/rooms`, include_connection_meta: true }],
    });
    assert.deepEqual(warnings, []);
    const p = config.proxies;
    assert.equal(p.connect, 'client.proxy.connect');
    assert.equal(p.refresh, '', 'enabled: false switches the event off');
    assert.deepEqual(p.endpoints['client.proxy.connect'], {
      name: 'client.proxy.connect', endpoint: `${B}/connect`, timeoutMs: 2000, httpHeaders: ['cookie', 'x-real-ip'], emulatedHeaders: ['authorization'],
      staticHeaders: {}, includeConnectionMeta: false, statusTransforms: [],
    });
    assert.equal(p.endpoints['channel.proxy.publish']!.timeoutMs, 1000, 'Centrifugo\'s default timeout');
    assert.deepEqual(p.endpoints['channel.proxy.publish']!.staticHeaders, { 'x-token': 's3' });
    assert.equal(p.endpoints.rooms!.includeConnectionMeta, true);
    assert.equal(config.channels.withoutNamespace.subscribeProxy, 'channel.proxy.subscribe');
    assert.equal(config.channels.withoutNamespace.publishProxy, '');
    assert.deepEqual([config.channels.namespaces.chat!.subscribeProxy, config.channels.namespaces.chat!.publishProxy], ['rooms', 'channel.proxy.publish']);
    assert.deepEqual(p.rpc, { namespaceBoundary: ':', withoutNamespace: 'rpc.proxy', namespaces: { billing: 'rooms', off: '' }, pingMethod: 'ping' });
  });

  it('has no proxies when the file names none', () => {
    const { config } = resolveValid({});
    assert.deepEqual(config.proxies.endpoints, {});
    assert.deepEqual([config.proxies.connect, config.proxies.refresh, config.proxies.send], ['', '', '']);
  });

  it('refuses GRPC endpoints, non-HTTP URLs, a missing endpoint and base64 mode, each naming what to do', () => {
    assert.deepEqual(resolveProblems({ client: { proxy: { connect: { enabled: true, endpoint: 'grpc://backend:9000' } } } }), [
      'client.proxy.connect.endpoint: GRPC proxies are not supported: give an http:// or https:// endpoint (JSON over HTTP, as Centrifugo\'s HTTP proxy)',
    ]);
    assert.deepEqual(resolveProblems({ rpc: { proxy: { endpoint: 'ftp://x/y' } } }), ['rpc.proxy.endpoint: "ftp://x/y" is not an http:// or https:// URL']);
    assert.deepEqual(resolveProblems({ client: { proxy: { refresh: { enabled: true } } } }), ['client.proxy.refresh.endpoint: is required: the backend URL to POST to']);
    assert.deepEqual(resolveProblems({ channel: { proxy: { publish: { endpoint: `${B}/p`, binary_encoding: true } } } }), [
      'channel.proxy.publish.binary_encoding: base64 payloads need the Protobuf protocol, which is not served; leave binary_encoding off',
    ]);
  });

  it('refuses a namespace that switches on a proxy nobody configured, suggesting the name it probably meant', () => {
    assert.deepEqual(resolveProblems({ channel: { namespaces: [{ name: 'chat', subscribe_proxy_enabled: true }] } }), [
      'channel namespace "chat": subscribe_proxy_enabled is on, but channel.proxy.subscribe names no endpoint: set channel.proxy.subscribe.endpoint, or a proxy from `proxies` by name',
    ]);
    assert.deepEqual(resolveProblems({
      proxies: [{ name: 'rooms', endpoint: `${B}/rooms` }],
      channel: { namespaces: [{ name: 'chat', publish_proxy_enabled: true, publish_proxy_name: 'room' }] },
    }), ['channel namespace "chat": no proxy named "room" in `proxies` (did you mean rooms?)']);
    assert.deepEqual(resolveProblems({ rpc: { without_namespace: { proxy_enabled: true } } }), [
      'rpc.without_namespace: proxy_enabled is on, but rpc.proxy names no endpoint: set rpc.proxy.endpoint, or a proxy from `proxies` by name',
    ]);
  });

  it('refuses duplicate and reserved proxy names and bad status transforms', () => {
    assert.deepEqual(resolveProblems({ proxies: [{ name: 'a1', endpoint: `${B}/a` }, { name: 'a1', endpoint: `${B}/b` }] }), ['proxies[1].name: duplicate proxy name "a1"']);
    assert.deepEqual(resolveProblems({ proxies: [{ name: 'rpc.proxy', endpoint: `${B}/a` }] }), ['proxies[0].name: this name belongs to a default proxy; pick another']);
    assert.deepEqual(resolveProblems({ rpc: { proxy: { endpoint: `${B}/r`, http: { status_to_code_transforms: [{ status_code: 403 }] } } } }), [
      'rpc.proxy.http.status_to_code_transforms[0]: give exactly one of to_error and to_disconnect',
    ]);
    assert.deepEqual(resolveProblems({ rpc: { proxy: { endpoint: `${B}/r`, http: { status_to_code_transforms: [{ status_code: 403, to_disconnect: { code: 1000 } }] } } } }), [
      'rpc.proxy.http.status_to_code_transforms[0].to_disconnect.code: Too small: expected number to be >=3000',
    ]);
  });

  it('warns about the GRPC and TLS options of a proxy and about subscription streams, which it does not use', () => {
    const { warnings } = resolveValid({
      channel: { proxy: { subscribe: { endpoint: `${B}/s`, grpc_metadata: ['x'], http: { tls: {} } }, subscribe_stream: { endpoint: 'grpc://x:1' } } },
    });
    assert.deepEqual(warnings, [
      'channel.proxy.subscribe_stream: ignored (subscription streams are not supported)',
      'channel.proxy.subscribe.grpc_metadata: ignored (proxies are called over HTTP only)',
      'channel.proxy.subscribe.http.tls: ignored (the default TLS settings of Node are used)',
    ]);
  });
});
