import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { publicationDataProblem, publicationInfoProblem } from './channel-options.js';

function nested(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

describe('publicationDataProblem', () => {
  it('requires data, refuses empty data by default and non-objects under json_object', () => {
    assert.equal(publicationDataProblem('json', undefined), 'data is required');
    assert.equal(publicationDataProblem('', null), 'data must not be empty');
    assert.equal(publicationDataProblem('', ''), 'data must not be empty');
    for (const data of [null, '', 5, [1]]) assert.equal(publicationDataProblem('json_object', data), 'data must be a JSON object');
    assert.equal(publicationDataProblem('json', null), null);
    assert.equal(publicationDataProblem('', { text: 'hi' }), null);
  });

  it('refuses data nested deeper than 64 levels in every format, naming the limit', () => {
    for (const format of ['', 'json', 'json_object'] as const) {
      assert.equal(publicationDataProblem(format, nested(64)), null, format);
      assert.equal(publicationDataProblem(format, nested(65)), 'data is nested deeper than 64 levels', format);
      assert.equal(publicationDataProblem(format, nested(5000)), 'data is nested deeper than 64 levels', format);
    }
  });

  it('refuses data larger than 1 MiB as JSON', () => {
    assert.equal(publicationDataProblem('json', 'x'.repeat(1024 * 1024)), 'data is larger than 1048576 bytes as JSON');
  });
});

describe('publicationInfoProblem', () => {
  it('names the field it checks', () => {
    assert.equal(publicationInfoProblem('conn_info', nested(100)), 'conn_info is nested deeper than 64 levels');
    assert.equal(publicationInfoProblem('info', { name: 'alice' }), null);
  });
});
