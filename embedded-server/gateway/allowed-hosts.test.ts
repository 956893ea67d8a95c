import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostAllowList, hostAllowed, hostName, isLoopbackHost } from './allowed-hosts.js';

describe('Host check (DNS rebinding)', () => {
  const defaults = hostAllowList(['127.0.0.1', '127.0.0.1'], []);

  it('reads the name of a Host header without port, brackets, case or trailing dot', () => {
    assert.equal(hostName('LocalHost:8000'), 'localhost');
    assert.equal(hostName('[::1]:8001'), '::1');
    assert.equal(hostName('example.com.'), 'example.com');
    assert.equal(hostName(''), null);
  });

  it('accepts localhost, IP literals and a request without Host, and refuses any other name by default', () => {
    for (const host of [undefined, 'localhost', 'localhost:8000', '127.0.0.1:8000', '[::1]:8000', '192.168.1.20:8000']) {
      assert.equal(hostAllowed(host, defaults), true, String(host));
    }
    for (const host of ['evil.example', 'evil.example:8000', 'localhost.evil.example', '127.0.0.1.nip.io', '']) {
      assert.equal(hostAllowed(host, defaults), false, host);
    }
  });

  it('accepts the configured host, exact names and *.suffix patterns from allowed hosts, or any name with *', () => {
    const list = hostAllowList(['myhost.lan'], ['realtime.example.com', '*.internal.example']);
    assert.equal(hostAllowed('myhost.lan:8000', list), true);
    assert.equal(hostAllowed('realtime.example.com', list), true);
    assert.equal(hostAllowed('a.internal.example', list), true);
    assert.equal(hostAllowed('internal.example', list), false);
    assert.equal(hostAllowed('example.com', list), false);
    assert.equal(hostAllowed('anything.example', hostAllowList([], ['*'])), true);
  });

  it('knows loopback names and addresses from the rest', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['0.0.0.0', '::', '192.168.1.2', 'example.com']) assert.equal(isLoopbackHost(h), false, h);
  });
});
