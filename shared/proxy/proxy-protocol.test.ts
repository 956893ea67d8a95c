import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readProxyAnswer } from './proxy-protocol.js';

describe('reading a backend\'s proxy answer', () => {
  it('reads a connect result with every field Centrifugo defines', () => {
    const answer = readProxyAnswer('connect', { result: {
      user: '56', expire_at: 1_900_000_000, info: { name: 'Ann' }, data: { hi: 1 }, meta: { plan: 'pro' },
      subs: { 'news:x': { info: { r: 1 }, override: { presence: { value: true }, join_leave: { value: false } } } },
    } });
    assert.deepEqual(answer, { ok: true, value: { kind: 'result', result: {
      user: '56', expire_at: 1_900_000_000, info: { name: 'Ann' }, data: { hi: 1 }, meta: { plan: 'pro' },
      subs: { 'news:x': { info: { r: 1 }, override: { presence: true, joinLeave: false } } },
    } } });
  });

  it('takes an absent result as an empty one, and an absent user as anonymous', () => {
    assert.deepEqual(readProxyAnswer('subscribe', {}), { ok: true, value: { kind: 'result', result: {} } });
    assert.deepEqual(readProxyAnswer('connect', { result: {} }), { ok: true, value: { kind: 'result', result: { user: '' } } });
  });

  it('reads an error with its code, message and temporary flag, and a disconnect with its code and reason', () => {
    assert.deepEqual(readProxyAnswer('rpc', { error: { code: 1402, message: 'payment required', temporary: true } }),
      { ok: true, value: { kind: 'error', error: { code: 1402, message: 'payment required', temporary: true } } });
    assert.deepEqual(readProxyAnswer('publish', { disconnect: { code: 4501, reason: 'banned' } }),
      { ok: true, value: { kind: 'disconnect', code: 4501, reason: 'banned' } });
    assert.deepEqual(readProxyAnswer('publish', { disconnect: { code: 4000 } }),
      { ok: true, value: { kind: 'disconnect', code: 4000, reason: 'disconnect' } }, 'a close needs a non-empty reason');
  });

  it('refuses answers of the wrong shape, naming the field', () => {
    const cases: [unknown, string][] = [
      [[1], 'the answer is not a JSON object'],
      [{ result: [] }, 'result must be a JSON object'],
      [{ result: { user: 5 } }, 'result.user must be a string'],
      [{ result: { expire_at: 'soon' } }, 'result.expire_at must be unix seconds'],
      [{ result: { channels: ['ok', 3] } }, 'result.channels must be a list of channel names'],
      [{ result: { subs: { 'a:b': { override: { presence: true } } } } }, 'result.subs["a:b"].override.presence must be {"value": true|false}'],
      [{ result: { b64info: 'AAAA' } }, 'result.b64info: base64 payloads need the Protobuf protocol, which is not served; answer JSON in info'],
      [{ error: { code: 0 } }, 'error.code must be a positive whole number (400-1999 for an application)'],
      [{ error: { code: 400, message: 7 } }, 'error.message must be a string'],
      [{ disconnect: { code: 1000 } }, 'disconnect.code must be a close code (4000-4999 for an application)'],
      [{ disconnect: { code: 4000, reason: 'x'.repeat(124) } }, 'disconnect.reason must be a string of at most 123 bytes'],
    ];
    for (const [body, why] of cases) assert.deepEqual(readProxyAnswer('connect', body), { ok: false, error: why }, JSON.stringify(body));
  });

  it('refuses publish tags that are not strings and payloads past the publication limits', () => {
    assert.deepEqual(readProxyAnswer('publish', { result: { tags: { a: 1 } } }), { ok: false, error: 'result.tags must map names to strings' });
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    assert.deepEqual(readProxyAnswer('rpc', { result: { data: deep } }), { ok: false, error: 'result.data is nested deeper than 64 levels' });
  });

  it('counts a disconnect reason in UTF-8 bytes, as the WebSocket close frame does', () => {
    assert.equal(readProxyAnswer('rpc', { disconnect: { code: 4000, reason: 'é'.repeat(61) } }).ok, true);
    assert.equal(readProxyAnswer('rpc', { disconnect: { code: 4000, reason: 'é'.repeat(62) } }).ok, false);
  });
});
