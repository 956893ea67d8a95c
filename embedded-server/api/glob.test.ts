import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, globMatcher } from './glob.js';

function matches(pattern: string, name: string): boolean {
  const compiled = compileGlob(pattern);
  assert.ok(compiled.ok, `pattern ${pattern} should compile`);
  return compiled.value.test(name);
}

describe('glob patterns', () => {
  it('matches the whole name, not a part of it', () => {
    assert.equal(matches('chat', 'chat'), true);
    assert.equal(matches('chat', 'chat:1'), false);
    assert.equal(matches('hat', 'chat'), false);
  });

  it('lets * and ** match any run of characters, separators included', () => {
    assert.equal(matches('chat:*', 'chat:room1'), true);
    assert.equal(matches('chat:*', 'chat:'), true);
    assert.equal(matches('chat:*', 'news:1'), false);
    assert.equal(matches('*', ''), true);
    assert.equal(matches('**', 'a:b#c,d'), true);
    assert.equal(matches('*:*#*', 'dialog:x#42,43'), true);
  });

  it('lets ? match exactly one character', () => {
    assert.equal(matches('room?', 'room1'), true);
    assert.equal(matches('room?', 'room'), false);
    assert.equal(matches('room?', 'room12'), false);
  });

  it('matches one character of a [set], a [range] or a [!negated set]', () => {
    assert.equal(matches('[ab]x', 'bx'), true);
    assert.equal(matches('[ab]x', 'cx'), false);
    assert.equal(matches('[a-c]1', 'b1'), true);
    assert.equal(matches('[a-c]1', 'd1'), false);
    assert.equal(matches('[!ab]x', 'ax'), false);
    assert.equal(matches('[!ab]x', 'zx'), true);
    assert.equal(matches('[a-]', '-'), true);
  });

  it('matches any one of {alternatives}, which may hold wildcards and nest', () => {
    assert.equal(matches('{chat,news}:*', 'news:1'), true);
    assert.equal(matches('{chat,news}:*', 'feed:1'), false);
    assert.equal(matches('{a*,b}c', 'axyzc'), true);
    assert.equal(matches('x{a,{b,c}}', 'xc'), true);
    assert.equal(matches('x{a,{b,c}}', 'xd'), false);
  });

  it('treats regex characters, and , } ] outside their groups, as plain text', () => {
    assert.equal(matches('a.b', 'a.b'), true);
    assert.equal(matches('a.b', 'axb'), false);
    assert.equal(matches('$private:(x)+', '$private:(x)+'), true);
    assert.equal(matches('a,b}', 'a,b}'), true);
    assert.equal(matches('a]', 'a]'), true);
  });

  it('takes an escaped special character literally', () => {
    assert.equal(matches('\\*', '*'), true);
    assert.equal(matches('\\*', 'x'), false);
    assert.equal(matches('[\\]]', ']'), true);
  });

  it('places every middle segment correctly, overlapping ones included', () => {
    assert.equal(matches('*a*b*c', 'xaybzc'), true);
    assert.equal(matches('*a*b*c', 'xaybzcd'), false);
    assert.equal(matches('*aa*aa', 'aaa'), false);
    assert.equal(matches('*aa*aa', 'aaaa'), true);
    assert.equal(matches('a*?b', 'ab'), false);
    assert.equal(matches('a*?b', 'axb'), true);
  });

  it('stays fast on patterns that make a backtracking regex explode', () => {
    const started = performance.now();
    assert.equal(matches('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(255)), false);
    assert.ok(performance.now() - started < 200);
  });

  it('refuses unclosed groups, a dangling escape, reversed ranges and too many alternatives', () => {
    for (const pattern of ['[abc', '{a,b', 'a\\', '[z-a]', '{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}']) {
      const compiled = compileGlob(pattern);
      assert.equal(compiled.ok, false, `pattern ${pattern} should be refused`);
    }
  });

  it('matches every name with an empty pattern', () => {
    const matcher = globMatcher('');
    assert.ok(matcher.ok);
    assert.equal(matcher.value('anything:at#all'), true);
  });
});
