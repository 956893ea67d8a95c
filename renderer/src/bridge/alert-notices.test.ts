import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertInstance } from '../../../shared/admin/alerts-model.js';
import type { SwitchboardBridge } from '../../../shared/desktop/console-bridge.js';
import { alertNotices } from './alert-notices.js';

const alert = (id: string, node?: string): AlertInstance => ({
  id, rule: 'node-unhealthy', severity: 'critical', ...(node ? { node } : {}), state: 'firing', since: 10_000, value: 1, threshold: 0, text: `${node ?? 'cluster'} unhealthy (hung) for 1 s`,
});

describe('alert notifications', () => {
  it('notifies each alert that fires, with its severity and node', () => {
    assert.deepEqual(alertNotices([], [alert('a', 'node-2')], 11_000), [{ title: 'Alert (critical): node-2', body: 'node-2 unhealthy (hung) for 1 s' }]);
  });

  it('notifies each alert that resolves, with how long it lasted', () => {
    assert.deepEqual(alertNotices([alert('a', 'node-2')], [], 75_000), [{ title: 'Resolved: node-2', body: 'node-2 unhealthy (hung) for 1 s — over after 1m 5s' }]);
  });

  it('says nothing when the firing set is the same', () => {
    assert.deepEqual(alertNotices([alert('a')], [alert('a')], 20_000), []);
  });
});

describe('alert notices in the desktop app', () => {
  it('notifies through the bridge and sets the badge, but stays quiet about what fired before the console connected', async () => {
    const { startAlertNotices } = await import('./alert-notices.js');
    const { useAlerts } = await import('../stores/alerts.store.js');
    const calls: string[] = [];
    const host: SwitchboardBridge = {
      adminUrl: '', adminToken: '', appVersion: 'test',
      saveFile: async () => ({ saved: false, reason: 'cancelled' }),
      openExternal: async () => false,
      notify: async (title, body) => void calls.push(`notify ${title} | ${body}`),
      setBadge: async (count) => void calls.push(`badge ${count}`),
    };
    (globalThis as { window?: unknown }).window = { switchboard: host };
    const stop = startAlertNotices();
    try {
      useAlerts.setState({ loaded: true, firing: [alert('old', 'node-1')] });
      assert.deepEqual(calls, ['badge 1'], 'an alert already firing on connect is counted, not announced');
      useAlerts.setState({ firing: [alert('old', 'node-1'), alert('new', 'node-2')] });
      useAlerts.setState({ firing: [alert('new', 'node-2')] });
      assert.deepEqual(calls.slice(1, 3), ['notify Alert (critical): node-2 | node-2 unhealthy (hung) for 1 s', 'badge 2']);
      assert.match(calls[3] ?? '', /^notify Resolved: node-1 \| node-1 unhealthy \(hung\) for 1 s — over after \d+/);
      assert.deepEqual(calls.slice(4), ['badge 1']);
    } finally {
      stop();
      delete (globalThis as { window?: unknown }).window;
    }
  });
});
