import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SUPERVISOR_V8_FLAGS } from '../shared/v8-flags.js';
import { appPaths } from './paths.js';

describe('app paths', () => {
  it('forks the cluster host with the supervisor V8 flags, as bin/switchboard.js starts it', () => {
    const { hostEntry } = appPaths();
    assert.deepEqual(hostEntry.execArgv.slice(0, SUPERVISOR_V8_FLAGS.length), [...SUPERVISOR_V8_FLAGS]);
    assert.match(hostEntry.path, /embedded-server[\\/]host-entry\.ts$/);
  });
});
