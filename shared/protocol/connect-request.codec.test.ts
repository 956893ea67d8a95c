import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeConnectRequest } from './client.codec.js';
import { Disconnects } from './codes.js';

describe('decodeConnectRequest: the connect request of a unidirectional transport', () => {
  it('reads a ConnectRequest object with token, data, name, version, subs positions and headers', () => {
    const text = JSON.stringify({ token: 't', data: { a: 1 }, name: 'feed', version: '1', subs: { 'feed:a': { recover: true, offset: 4, epoch: 'e' } }, headers: { authorization: 'x' } });
    assert.deepEqual(decodeConnectRequest(text), { ok: true, value: JSON.parse(text) });
    assert.deepEqual(decodeConnectRequest('{}'), { ok: true, value: {} });
  });

  it('refuses anything else with 3501: bad JSON, no object, a wrongly typed field or position', () => {
    for (const text of ['', '{"token":', 'null', '[]', '"x"', '{"token":1}', '{"subs":[]}', '{"subs":{"a":{"offset":-1}}}', '{"subs":{"a":{"recover":"yes"}}}', '{"subs":{"a":null}}']) {
      assert.deepEqual(decodeConnectRequest(text), { ok: false, error: Disconnects.badRequest }, text);
    }
  });

  it('cuts a long name as the bidirectional connect does', () => {
    const decoded = decodeConnectRequest(JSON.stringify({ name: 'n'.repeat(100) }));
    assert.ok(decoded.ok);
    assert.equal(decoded.value.name!.length, 64);
  });
});
