import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compactJson, parseMessage } from './message-input.js';

describe('a message box in auto mode (publish)', () => {
  it('sends JSON as JSON', () => {
    assert.deepEqual(parseMessage('{"text": "hi"}', 'auto'), { ok: true, data: { text: 'hi' }, kind: 'json', summary: 'Valid JSON (object, 1 key)' });
    const n = parseMessage(' 42 ', 'auto');
    assert.ok(n.ok && n.data === 42);
    const t = parseMessage('true', 'auto');
    assert.ok(t.ok && t.data === true);
  });

  it('sends plain text as a JSON string', () => {
    const r = parseMessage('hello there', 'auto');
    assert.ok(r.ok);
    assert.equal(r.data, 'hello there');
    assert.equal(r.kind, 'text');
  });

  it('requires text that starts like JSON to be JSON, with where it broke', () => {
    const r = parseMessage('{"text": "hi",\n  oops}', 'auto');
    assert.equal(r.ok, false);
    assert.ok(!r.ok && !r.empty);
    assert.match(!r.ok ? r.error : '', /^Invalid JSON: .*line 2 column 3/);
    assert.equal(parseMessage('[1, 2', 'auto').ok, false);
  });

  it('says an empty box is empty, not invalid', () => {
    assert.deepEqual(parseMessage('   ', 'auto'), { ok: false, empty: true, error: 'Type a message first' });
  });
});

describe('a message box with an explicit mode (broadcast)', () => {
  it('json mode refuses anything that is not JSON', () => {
    assert.equal(parseMessage('hello', 'json').ok, false);
    assert.deepEqual(parseMessage('[1,2]', 'json'), { ok: true, data: [1, 2], kind: 'json', summary: 'Valid JSON (array of 2)' });
  });

  it('text mode sends the text as it is, even when it looks like JSON', () => {
    const r = parseMessage('{"a":1}', 'text');
    assert.ok(r.ok);
    assert.equal(r.data, '{"a":1}');
  });
});

describe('compact JSON', () => {
  it('is one line, cut with an ellipsis', () => {
    assert.equal(compactJson({ a: [1, 2] }), '{"a":[1,2]}');
    assert.equal(compactJson('x'.repeat(20), 10), '"xxxxxxxx…');
  });
});
