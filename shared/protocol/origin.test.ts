import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { corsHeaders, originAllowed } from './origin.js';

describe('origin check', () => {
  it('accepts a request without Origin whatever the list, as Node clients send none', () => {
    assert.equal(originAllowed(undefined, []), true);
    assert.equal(originAllowed(undefined, ['https://app.example.com']), true);
  });

  it('refuses every Origin when the list is empty', () => {
    assert.equal(originAllowed('http://localhost:3000', []), false);
    assert.equal(originAllowed('null', []), false);
  });

  it('accepts every Origin when the list holds "*"', () => {
    assert.equal(originAllowed('https://anything.example', ['*']), true);
    assert.equal(originAllowed('null', ['https://app.example.com', '*']), true);
  });

  it('accepts an exact origin and nothing longer or shorter', () => {
    const allowed = ['https://app.example.com'];
    assert.equal(originAllowed('https://app.example.com', allowed), true);
    assert.equal(originAllowed('https://app.example.com:8443', allowed), false);
    assert.equal(originAllowed('https://app.example.co', allowed), false);
    assert.equal(originAllowed('http://app.example.com', allowed), false);
  });

  it('compares the Origin without regard to case', () => {
    assert.equal(originAllowed('HTTPS://App.Example.COM', ['https://app.example.com']), true);
  });

  it('lets "*" stand for any run of characters, but only where it is written', () => {
    const allowed = ['https://*.example.com', 'http://localhost:*'];
    assert.equal(originAllowed('https://app.example.com', allowed), true);
    assert.equal(originAllowed('https://a.b.example.com', allowed), true);
    assert.equal(originAllowed('http://localhost:5173', allowed), true);
    assert.equal(originAllowed('https://example.com', allowed), false);
    assert.equal(originAllowed('https://app.example.com.evil.net', allowed), false);
    assert.equal(originAllowed('http://localhost.evil.net', allowed), false);
  });

  it('lets "?" stand for exactly one character', () => {
    const allowed = ['http://localhost:300?'];
    assert.equal(originAllowed('http://localhost:3001', allowed), true);
    assert.equal(originAllowed('http://localhost:300', allowed), false);
    assert.equal(originAllowed('http://localhost:30001', allowed), false);
  });

  it('takes regular-expression characters in a pattern literally', () => {
    assert.equal(originAllowed('https://appxexample.com', ['https://app.example.com']), false);
    assert.equal(originAllowed('https://a+b.dev', ['https://a+b.dev']), true);
    assert.equal(originAllowed('https://aab.dev', ['https://a+b.dev']), false);
    assert.equal(originAllowed('https://x.dev', ['https://(x|y).dev']), false);
  });

  it('accepts an Origin that matches any one of several patterns', () => {
    const allowed = ['https://one.dev', 'https://two.dev'];
    assert.equal(originAllowed('https://two.dev', allowed), true);
    assert.equal(originAllowed('https://three.dev', allowed), false);
  });
});

describe('corsHeaders', () => {
  it('answers nothing without an Origin, the origin with credentials otherwise, and methods and asked headers only to a preflight', () => {
    assert.deepEqual(corsHeaders(undefined, 'content-type', 'POST'), {});
    assert.deepEqual(corsHeaders('https://app.example', 'content-type'), {
      'access-control-allow-origin': 'https://app.example', 'access-control-allow-credentials': 'true', vary: 'Origin',
    });
    assert.deepEqual(corsHeaders('https://app.example', 'content-type', 'POST, OPTIONS'), {
      'access-control-allow-origin': 'https://app.example', 'access-control-allow-credentials': 'true', vary: 'Origin',
      'access-control-allow-methods': 'POST, OPTIONS', 'access-control-allow-headers': 'content-type',
    });
  });
});
