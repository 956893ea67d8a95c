import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeError, encodePublication, encodePush, encodeReply, PING_FRAME } from '../../shared/protocol/client.codec.js';
import { Errors } from '../../shared/protocol/codes.js';
import { uniPush, uniPushes } from './uni-frames.js';

describe('uni frames: what a unidirectional client reads', () => {
  it('unwraps pushes into bare Push objects', () => {
    assert.equal(uniPush(encodePublication('feed:a', { data: { n: 1 }, offset: 3 })), '{"channel":"feed:a","pub":{"data":{"n":1},"offset":3}}');
    assert.deepEqual(JSON.parse(uniPush(encodePush({ disconnect: { code: 3503, reason: 'force disconnect' } }))!), { disconnect: { code: 3503, reason: 'force disconnect' } });
  });

  it('turns the connect reply into the connect push and keeps the {} ping', () => {
    const reply = encodeReply(1, 'connect', { client: 'c1', version: '1', session: 's1' });
    assert.deepEqual(JSON.parse(uniPush(reply)!), { connect: { client: 'c1', version: '1', session: 's1' } });
    assert.equal(uniPush(PING_FRAME), '{}');
  });

  it('drops every other reply (a uni client sends no command that has one)', () => {
    assert.equal(uniPush(encodeError(1, Errors.tokenExpired)), null);
    assert.equal(uniPush(encodeReply(2, 'subscribe', {})), null);
  });

  it('converts a written message of several frames in order, from a string or the bytes a flush shares', () => {
    const frames = [encodeReply(1, 'connect', { client: 'c', version: 'v' }), encodeError(7, Errors.internal), encodePublication('x', { data: 1 }), PING_FRAME];
    const expected = ['{"connect":{"client":"c","version":"v"}}', '{"channel":"x","pub":{"data":1}}', '{}'];
    assert.deepEqual(uniPushes(frames.join('\n')), expected);
    const shared = Buffer.from(frames.join('\n'));
    assert.deepEqual(uniPushes(shared), expected);
    assert.equal(uniPushes(shared), uniPushes(shared), 'the same bytes twice in a turn are converted once');
  });
});
