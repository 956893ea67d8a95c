import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { verifyHmacJwt } from './hmac-jwt.js';
import type { HmacJwtOptions, HmacJwtOutcome } from './hmac-jwt.js';

const SECRET = new TextEncoder().encode('the-cluster-secret');
const OTHER = new TextEncoder().encode('another-secret');
const NOW = Math.floor(Date.now() / 1000);

/** What the jose path (TokenVerifier before the fast path) answers. */
async function viaJose(token: string, opts: HmacJwtOptions): Promise<HmacJwtOutcome> {
  try {
    const { payload } = await jwtVerify(token, SECRET, { algorithms: ['HS256', 'HS384', 'HS512'], audience: opts.audience, issuer: opts.issuer });
    return { ok: true, claims: payload };
  } catch (e) {
    if (e instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (e instanceof errors.JWTClaimValidationFailed && e.claim === 'nbf') return { ok: false, reason: 'expired' };
    return { ok: false, reason: 'invalid' };
  }
}

const sign = (claims: JWTPayload, alg = 'HS256', key = SECRET, header: Record<string, unknown> = {}): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg, ...header }).sign(key);

/** A token signed by hand, for claims SignJWT would refuse to write (e.g. `exp` as a string). */
function handSigned(header: unknown, payload: unknown, alg = 'sha256'): string {
  const h = Buffer.from(JSON.stringify(header)).toString('base64url');
  const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${h}.${p}.${createHmac(alg, SECRET).update(`${h}.${p}`).digest('base64url')}`;
}

async function cases(): Promise<[string, string, HmacJwtOptions][]> {
  const none: HmacJwtOptions = {};
  const aud: HmacJwtOptions = { audience: 'switchboard' };
  const iss: HmacJwtOptions = { issuer: 'backend' };
  const valid = await sign({ sub: 'ann', iat: NOW });
  return [
    ['a valid HS256 token', valid, none],
    ['a valid HS384 token', await sign({ sub: 'ann' }, 'HS384'), none],
    ['a valid HS512 token with typ', await sign({ sub: 'ann' }, 'HS512', SECRET, { typ: 'JWT' }), none],
    ['another secret', await sign({ sub: 'ann' }, 'HS256', OTHER), none],
    ['a tampered payload', `${valid.split('.')[0]}.${Buffer.from('{"sub":"root"}').toString('base64url')}.${valid.split('.')[2]}`, none],
    ['a truncated signature', valid.slice(0, -4), none],
    ['an expired token', await sign({ sub: 'ann', exp: NOW - 10 }), none],
    ['a token expiring now', await sign({ sub: 'ann', exp: NOW }), none],
    ['a token valid for an hour', await sign({ sub: 'ann', exp: NOW + 3600 }), none],
    ['a token not valid yet', await sign({ sub: 'ann', nbf: NOW + 60 }), none],
    ['a token valid since a minute', await sign({ sub: 'ann', nbf: NOW - 60 }), none],
    ['exp as a string', handSigned({ alg: 'HS256' }, { sub: 'ann', exp: String(NOW + 60) }), none],
    ['nbf as a string', handSigned({ alg: 'HS256' }, { sub: 'ann', nbf: 'soon' }), none],
    ['iat as a string', handSigned({ alg: 'HS256' }, { sub: 'ann', iat: 'now' }), none],
    ['a payload that is an array', handSigned({ alg: 'HS256' }, ['ann']), none],
    ['a payload that is a number', handSigned({ alg: 'HS256' }, 42), none],
    ['the audience asked for, as a string', await sign({ sub: 'ann', aud: 'switchboard' }), aud],
    ['the audience asked for, in a list', await sign({ sub: 'ann', aud: ['other', 'switchboard'] }), aud],
    ['another audience', await sign({ sub: 'ann', aud: 'other' }), aud],
    ['no audience when one is asked for', await sign({ sub: 'ann' }), aud],
    ['an audience nobody asked for', await sign({ sub: 'ann', aud: 'other' }), none],
    ['the issuer asked for', await sign({ sub: 'ann', iss: 'backend' }), iss],
    ['another issuer', await sign({ sub: 'ann', iss: 'elsewhere' }), iss],
    ['no issuer when one is asked for', await sign({ sub: 'ann' }), iss],
    ['another audience and expired', await sign({ sub: 'ann', aud: 'other', exp: NOW - 10 }), aud],
    ['not valid yet and expired', await sign({ sub: 'ann', nbf: NOW + 60, exp: NOW - 10 }), none],
  ];
}

describe('HMAC JWT fast path', () => {
  it('answers as jose does for every token of the matrix', async () => {
    for (const [what, token, opts] of await cases()) {
      const fast = verifyHmacJwt(token, SECRET, opts);
      assert.notEqual(fast, null, `${what}: the fast path takes it`);
      assert.deepEqual(fast, await viaJose(token, opts), what);
    }
  });

  it('leaves what it does not handle to jose', async () => {
    // [what, token, whether jose takes it]
    const leftToJose: [string, string, boolean][] = [
      ['alg none', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"ann"}').toString('base64url')}.`, false],
      ['an RSA algorithm', handSigned({ alg: 'RS256' }, { sub: 'ann' }), false],
      ['a crit header', handSigned({ alg: 'HS256', crit: ['exp'] }, { sub: 'ann' }), false],
      ['a kid header', handSigned({ alg: 'HS256', kid: 'k1' }, { sub: 'ann' }), true],
      ['b64 false', handSigned({ alg: 'HS256', b64: false, crit: ['b64'] }, { sub: 'ann' }), false],
      ['two parts', 'abc.def', false],
      ['four parts', 'a.b.c.d', false],
      ['padding', `${handSigned({ alg: 'HS256' }, { sub: 'ann' })}==`, false],
      ['a header that is not JSON', `${Buffer.from('{alg').toString('base64url')}.e30.sig`, false],
      ['a typ that is not a string', handSigned({ alg: 'HS256', typ: 1 }, { sub: 'ann' }), true],
    ];
    for (const [what, token, joseTakes] of leftToJose) {
      assert.equal(verifyHmacJwt(token, SECRET, {}), null, what);
      assert.equal((await viaJose(token, {})).ok, joseTakes, `${what}: jose's answer stands`);
    }
  });

  it('has nothing to verify against an empty secret', () => {
    assert.equal(verifyHmacJwt(handSigned({ alg: 'HS256' }, {}), new Uint8Array(0), {}), null);
  });
});
