import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBrokerMessage, encodeBarePublication, encodeJoin, encodeLeave, encodePublicationBody } from './redis-wire.js';

describe('redis broker wire format', () => {
  it('round-trips a publication with and without an offset, a join and a leave', () => {
    const body = encodePublicationBody({ a: 'x:y' }, { user: 'u', client: 'c' }, { k: 'v' });
    assert.deepEqual(decodeBrokerMessage('ch', `p:7:EpOcH:${body}`), {
      kind: 'pub', channel: 'ch', pub: { data: { a: 'x:y' }, info: { user: 'u', client: 'c' }, tags: { k: 'v' }, offset: 7 }, epoch: 'EpOcH',
    });
    assert.deepEqual(decodeBrokerMessage('ch', encodeBarePublication(encodePublicationBody('hi'))), { kind: 'pub', channel: 'ch', pub: { data: 'hi' } });
    assert.deepEqual(decodeBrokerMessage('ch', encodeJoin({ user: 'u', client: 'c' })), { kind: 'join', channel: 'ch', info: { user: 'u', client: 'c' } });
    assert.deepEqual(decodeBrokerMessage('ch', encodeLeave({ user: 'u', client: 'c' })), { kind: 'leave', channel: 'ch', info: { user: 'u', client: 'c' } });
  });

  it('carries a publication\'s delta mark beside it, never inside the publication clients get', () => {
    const event = decodeBrokerMessage('c', encodeBarePublication(encodePublicationBody({ a: 1 }, undefined, { t: 'x' }, true)));
    assert.deepEqual(event, { kind: 'pub', channel: 'c', pub: { data: { a: 1 }, tags: { t: 'x' } }, delta: true });
    const plain = decodeBrokerMessage('c', encodeBarePublication(encodePublicationBody({ a: 1 })));
    assert.deepEqual(plain, { kind: 'pub', channel: 'c', pub: { data: { a: 1 } } });
  });

  it('answers null, never a throw, for a malformed message', () => {
    for (const text of ['', 'x:1', 'p:', 'p:1', 'p:1:e:{not json', 'j:{', 'l:']) assert.equal(decodeBrokerMessage('ch', text), null, text);
  });
});
