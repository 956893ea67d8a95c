import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP_CONSOLE_ORIGIN } from '../../shared/desktop/app-origin.js';
import { adminConnectionName } from './admin-origin.js';

describe('admin connection names', () => {
  it('say whether the connection is the desktop app, a browser page or a tool, beside its address', () => {
    assert.equal(adminConnectionName(1, '127.0.0.1', DESKTOP_CONSOLE_ORIGIN), 'admin-1 (127.0.0.1, desktop app)');
    assert.equal(adminConnectionName(2, '10.0.0.5', 'http://10.0.0.1:8001'), 'admin-2 (10.0.0.5, browser)');
    assert.equal(adminConnectionName(3, '127.0.0.1', undefined), 'admin-3 (127.0.0.1)');
    assert.equal(adminConnectionName(4, undefined, undefined), 'admin-4 (unknown)');
  });
});
