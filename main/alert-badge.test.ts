/**
 * The alert badge through the console's IPC channel, on the fake port (no Electron): the count goes
 * to the dock/taskbar badge, or into the window title where the platform has none; a bad count is
 * refused with a clear error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { badgedTitle } from './alert-badge.js';
import { FakePort } from './fake-port.test-helper.js';
import type { FakeWindow } from './fake-port.test-helper.js';
import { IpcRefused, registerPageRequests } from './page-requests.js';
import { secureWebPreferences } from './security.js';

function consolePage(): { port: FakePort; win: FakeWindow } {
  const port = new FakePort('/nonexistent-user-data');
  const win = port.createWindow({
    title: 'Switchboard — local cluster', width: 1200, height: 800, minWidth: 900, minHeight: 600, show: true, backgroundColor: '#fff',
    webPreferences: secureWebPreferences('/preload.cjs', false),
  }, { navigate: () => false, openWindow: () => undefined, boundsChanged: () => undefined, closed: () => undefined });
  registerPageRequests({
    port, window: (host) => (host === 'console' ? win : undefined),
    boot: () => ({ adminUrl: '', adminToken: '', appVersion: port.appVersion }),
    settings: () => { throw new Error('not asked'); },
    saveSettings: () => { throw new Error('not asked'); },
  });
  return { port, win };
}

describe('the alert badge', () => {
  it('sets the dock badge to the number of firing alerts and clears it at 0', async () => {
    const { port, win } = consolePage();
    await port.request('switchboard:set-badge', win.sender(), { count: 2 });
    await port.request('switchboard:set-badge', win.sender(), { count: 0 });
    assert.deepEqual(port.badges, [2, 0]);
    assert.equal(win.title(), 'Switchboard — local cluster', 'the title is left alone where a badge shows');
  });

  it('puts the count in the window title where the platform shows no badge, and takes it out at 0', async () => {
    const { port, win } = consolePage();
    port.badgeSupported = false;
    await port.request('switchboard:set-badge', win.sender(), { count: 3 });
    assert.equal(win.title(), '(3 alerts) Switchboard — local cluster');
    await port.request('switchboard:set-badge', win.sender(), { count: 1 });
    assert.equal(win.title(), '(1 alert) Switchboard — local cluster');
    await port.request('switchboard:set-badge', win.sender(), { count: 0 });
    assert.equal(win.title(), 'Switchboard — local cluster');
  });

  it('refuses a count that is negative, fractional, too large or not a number, naming the channel', async () => {
    const { port, win } = consolePage();
    for (const payload of [{ count: -1 }, { count: 1.5 }, { count: 10_000 }, { count: '2' }, {}, null, { count: 1, extra: true }]) {
      await assert.rejects(port.request('switchboard:set-badge', win.sender(), payload), (e: Error) => e instanceof IpcRefused && /invalid switchboard:set-badge request/.test(e.message), JSON.stringify(payload));
    }
    assert.deepEqual(port.badges, []);
  });

  it('refuses a sender that is not the console page', async () => {
    const { port, win } = consolePage();
    await assert.rejects(port.request('switchboard:set-badge', { ...win.sender(), isMainFrame: false }, { count: 1 }), IpcRefused);
    assert.deepEqual(port.badges, []);
  });

  it('keeps one count prefix in a title however often it changes', () => {
    assert.equal(badgedTitle(badgedTitle('Switchboard', 5), 12), '(12 alerts) Switchboard');
  });
});
