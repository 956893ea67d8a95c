import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createMemoryBroker } from '../broker/memory-broker.js';
import { defaultChannelSettings } from '../config/default-namespaces.js';
import { checkPublication, clientRefusal, publishToChannel } from './publish-to-channel.js';

const settings = defaultChannelSettings();
settings.namespaces.obj = { ...settings.namespaces.chat!, publicationDataFormat: 'json_object' };
const deep = (levels: number): unknown => JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);

const refusal = (channel: string, data: unknown, info?: unknown) => {
  const r = checkPublication({ channel, data, ...(info === undefined ? {} : { info: info as never }) }, settings);
  assert.equal(r.ok, false, `${channel} ${JSON.stringify(data)} was let through`);
  return !r.ok ? r.error : assert.fail();
};

describe('the one publication check', () => {
  it('refuses "", null, a number, a string and an array on a json_object namespace as data that must be an object', () => {
    for (const data of ['', null, 5, 'text', [1]]) {
      assert.deepEqual(refusal('obj:x', data), {
        about: 'data', error: { code: 107, message: 'bad request: data must be a JSON object' }, why: 'data must be a JSON object',
      }, JSON.stringify(data));
    }
  });

  it('refuses empty data ("" or null) on the default format, and absent data everywhere', () => {
    assert.equal(refusal('chat:x', '').why, 'data must not be empty');
    assert.equal(refusal('chat:x', null).why, 'data must not be empty');
    assert.equal(refusal('typing:x', undefined).why, 'data is required');
    assert.ok(checkPublication({ channel: 'typing:x', data: null }, settings).ok, 'the json format takes null');
  });

  it('refuses data nested 70 deep with 107 naming the limit', () => {
    assert.deepEqual(refusal('chat:x', deep(70)).error, { code: 107, message: 'bad request: data is nested deeper than 64 levels' });
  });

  it('refuses an unknown namespace with 102 and a bad name with 107, as about the channel', () => {
    assert.deepEqual(refusal('nope:x', { a: 1 }), { about: 'channel', error: { code: 102, message: 'unknown channel' }, why: 'unknown channel' });
    assert.deepEqual(refusal('chat:zoë', { a: 1 }).error, { code: 107, message: 'bad request' });
    assert.equal(refusal('chat:a\nb', { a: 1 }).error.code, 107);
  });

  it('refuses publisher info past the limits', () => {
    const r = refusal('chat:x', { a: 1 }, { user: 'u', client: 'c', conn_info: deep(70) });
    assert.equal(r.about, 'info');
    assert.match(r.why, /^info is nested deeper than 64 levels/);
  });

  it('gives clients the protocol fixed messages: 102 unknown channel, 107 bad request', () => {
    assert.deepEqual(clientRefusal(refusal('nope:x', 1)), { code: 102, message: 'unknown channel' });
    assert.deepEqual(clientRefusal(refusal('obj:x', 1)), { code: 107, message: 'bad request' });
  });
});

describe('publishToChannel', () => {
  const broker = createMemoryBroker();
  after(() => broker.stop());

  it('appends to the namespace history and answers offset and epoch', async () => {
    const r = await publishToChannel(broker, settings, { channel: 'chat:p', data: { n: 1 } });
    assert.ok(r.ok && r.value.offset === 1 && typeof r.value.epoch === 'string');
  });

  it('skips history when asked, and publishes nothing it refused', async () => {
    assert.deepEqual(await publishToChannel(broker, settings, { channel: 'chat:p', data: { n: 2 }, skipHistory: true }), { ok: true, value: {} });
    assert.equal((await publishToChannel(broker, settings, { channel: 'chat:p', data: '' })).ok, false);
    const stream = { size: 100, ttlMs: 300_000, metaTtlMs: 3_600_000 };
    assert.equal((await broker.position('chat:p', stream)).offset, 1);
  });
});
