import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routePush } from './push-router.js';
import { useActivity } from '../stores/activity.store.js';
import { useCluster } from '../stores/cluster.store.js';
import { useEvents } from '../stores/events.store.js';
import { useSession } from '../stores/session.store.js';
import { useSimulator } from '../stores/simulator.store.js';
import { emptySimulatorCounts } from '../../../shared/admin/simulator-model.js';

describe('the bridge: admin pushes in, store state out', () => {
  it('stores the hello', () => {
    routePush({ push: 'hello', data: { serverVersion: '0.1.0', you: 'admin-1 (127.0.0.1)', clientUrl: 'ws://x', apiUrl: 'http://x/api', namespaces: [], personalNamespace: 'personal', lastEventSeq: 7, eventsStartedAt: 1 } });
    assert.equal(useSession.getState().hello?.you, 'admin-1 (127.0.0.1)');
  });

  it('stores snapshots as the current state and a series point', () => {
    routePush({
      push: 'snapshot',
      data: {
        at: 10_000, nodes: [], strategy: 'sticky', autoRestart: false, proxies: [],
        totals: { nodesUp: 0, nodesTotal: 0, connections: 42, users: 1, channels: 0, subscriptions: 0, messagesInPerSec: 0, messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, publicationsPerSec: 0 },
      },
    });
    assert.equal(useCluster.getState().snapshot?.totals.connections, 42);
    assert.equal(useCluster.getState().series.total.at(-1)?.connections, 42);
  });

  it('appends event batches to the log', () => {
    routePush({ push: 'events', data: [{ seq: 100, at: 1, type: 'node.down', node: 'node-2', code: null, signal: 'SIGKILL' }] });
    assert.equal(useEvents.getState().events.at(-1)?.seq, 100);
  });

  it('files channel activity under its channel', () => {
    routePush({ push: 'channel.activity', data: { channel: 'chat:a', items: [{ kind: 'join', info: { user: 'ann', client: 'c1' }, at: 1 }] } });
    assert.equal(useActivity.getState().byChannel['chat:a']?.[0]?.kind, 'join');
  });

  it('keeps the simulated fleet\'s latest status, final counts included', () => {
    const params = { profile: 'chat' as const, clients: 60, channels: 6, rate: 1, rampSeconds: 1, durationSeconds: 5 };
    const counts = { ...emptySimulatorCounts(), connected: 60, sent: 12 };
    routePush({ push: 'simulator', data: { id: 'sim-1', params, state: 'running', startedAt: 1, elapsedMs: 3000, pids: [10, 11], counts } });
    routePush({ push: 'simulator', data: { id: 'sim-1', params, state: 'finished', startedAt: 1, elapsedMs: 5500, pids: [10, 11], counts: { ...counts, connected: 0 } } });
    assert.equal(useSimulator.getState().status?.state, 'finished');
    assert.equal(useSimulator.getState().status?.counts.sent, 12);
  });

  it('keeps the fleet\'s status before the latest one of the same run only, for per-second figures', () => {
    const params = { profile: 'chat' as const, clients: 4, channels: 1, rate: 1, rampSeconds: 0, durationSeconds: 5 };
    const at = (id: string, elapsedMs: number) => ({ id, params, state: 'running' as const, startedAt: 1, elapsedMs, pids: [10], counts: emptySimulatorCounts() });
    routePush({ push: 'simulator', data: at('sim-2', 1000) });
    routePush({ push: 'simulator', data: at('sim-2', 2000) });
    assert.equal(useSimulator.getState().previous?.elapsedMs, 1000);
    routePush({ push: 'simulator', data: at('sim-3', 500) });
    assert.equal(useSimulator.getState().previous, null, 'a new run starts without one');
  });
});
