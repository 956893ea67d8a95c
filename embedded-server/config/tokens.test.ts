import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errors, jwtVerify } from 'jose';
import { mintConnectionToken, parseTtl } from './tokens.js';

const secret = 'a-test-secret-of-reasonable-length';
const key = new TextEncoder().encode(secret);

describe('mintConnectionToken', () => {
  it('signs an HS256 token that jose verifies with the same secret', async () => {
    const token = await mintConnectionToken({ secret, user: 'alice', info: { name: 'Alice' }, channels: ['personal:#alice'] });
    const { payload, protectedHeader } = await jwtVerify(token, key, { algorithms: ['HS256'] });
    assert.equal(protectedHeader.alg, 'HS256');
    assert.equal(payload.sub, 'alice');
    assert.deepEqual(payload.info, { name: 'Alice' });
    assert.deepEqual(payload.channels, ['personal:#alice']);
    assert.equal(payload.exp, undefined, 'no ttl: the token does not expire');
  });

  it('fails verification with another secret', async () => {
    const token = await mintConnectionToken({ secret, user: 'alice' });
    await assert.rejects(jwtVerify(token, new TextEncoder().encode('other-secret')), errors.JWSSignatureVerificationFailed);
  });

  it('honours the ttl: exp is iat + ttl, and the token is rejected once it passed', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await mintConnectionToken({ secret, user: 'bob', ttlSeconds: 3600, nowSeconds: now });
    const { payload } = await jwtVerify(token, key);
    assert.equal(payload.iat, now);
    assert.equal(payload.exp, now + 3600);
    const old = await mintConnectionToken({ secret, user: 'bob', ttlSeconds: 60, nowSeconds: now - 120 });
    await assert.rejects(jwtVerify(old, key), errors.JWTExpired);
  });

  it('adds aud and iss when the cluster checks them', async () => {
    const token = await mintConnectionToken({ secret, user: 'carol', audience: 'app', issuer: 'switchboard' });
    const { payload } = await jwtVerify(token, key, { audience: 'app', issuer: 'switchboard' });
    assert.equal(payload.sub, 'carol');
  });
});

describe('parseTtl', () => {
  it('reads --ttl durations as whole seconds, 0 meaning no expiry', () => {
    assert.deepEqual(parseTtl('1h'), { ok: true, value: 3600 });
    assert.deepEqual(parseTtl('90m'), { ok: true, value: 5400 });
    assert.deepEqual(parseTtl('1500ms'), { ok: true, value: 2 });
    assert.deepEqual(parseTtl('0'), { ok: true, value: 0 });
    assert.equal(parseTtl('tomorrow').ok, false);
  });
});
