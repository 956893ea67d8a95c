import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectionCapacity, parseOpenFileLimit, RESERVED_FILES } from './open-file-limit.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            20000                20000                files
Max locked memory         8388608              8388608              bytes
`;

describe('open-file limit', () => {
  it('reads the soft limit of open files from /proc/<pid>/limits', () => {
    assert.equal(parseOpenFileLimit(LIMITS), 20000);
    assert.equal(parseOpenFileLimit(LIMITS.replace('20000                20000', '1024                 524288')), 1024);
  });

  it('answers null for an unlimited, missing or garbled limit', () => {
    assert.equal(parseOpenFileLimit(LIMITS.replace('20000                20000', 'unlimited            unlimited')), null);
    assert.equal(parseOpenFileLimit('Limit Soft Hard\nMax cpu time unlimited unlimited seconds\n'), null);
    assert.equal(parseOpenFileLimit('Max open files            lots'), null);
    assert.equal(parseOpenFileLimit(''), null);
  });

  it('keeps descriptors for the process itself out of the connection capacity', () => {
    assert.equal(connectionCapacity(() => LIMITS), 20000 - RESERVED_FILES);
    assert.equal(connectionCapacity(() => 'Max open files 10 10 files'), 1);
  });

  it('has no capacity to report where the limits cannot be read', () => {
    assert.equal(connectionCapacity(() => {
      throw new Error('ENOENT');
    }), undefined);
    assert.equal(connectionCapacity(), connectionCapacity(), 'reads this process on Linux without throwing');
  });
});
