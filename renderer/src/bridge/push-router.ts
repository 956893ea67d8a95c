/** Every admin push, written into its store with `getState()` (STYLE.md §7). */
import type { AdminPushFrame } from '../../../shared/admin/admin-api.js';
import { assertNever } from '../../../shared/result.js';
import { useActivity } from '../stores/activity.store.js';
import { routeTailPush } from '../stores/channel-tail.feed.js';
import { useCluster } from '../stores/cluster.store.js';
import { useEvents } from '../stores/events.store.js';
import { useSession } from '../stores/session.store.js';
import { useSimulator } from '../stores/simulator.store.js';
import { useExternalFleets } from '../stores/external-fleets.store.js';
import { useAlerts } from '../stores/alerts.store.js';

export function routePush(frame: AdminPushFrame): void {
  switch (frame.push) {
    case 'hello': return useSession.getState().setHello(frame.data);
    case 'series': return useCluster.getState().receiveSeries(frame.data);
    case 'snapshot': return useCluster.getState().receiveSnapshot(frame.data);
    case 'events': return useEvents.getState().receive(frame.data);
    case 'channel.activity':
      routeTailPush(frame.data);
      return useActivity.getState().receive(frame.data.channel, frame.data.items);
    case 'simulator': return useSimulator.getState().receive(frame.data);
    case 'simulator.fleets': return useExternalFleets.getState().receive(frame.data.fleets);
    case 'alerts': return useAlerts.getState().receiveFiring(frame.data.firing);
    default: return assertNever(frame);
  }
}
