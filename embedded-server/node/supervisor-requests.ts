/** What the supervisor may ask of a node's sessions: kick, unsubscribe, subscribe, refresh, drain. */
import { withOverride } from '../../shared/channels/subscription-override.js';
import { parseChannel } from '../../shared/channels/channel-name.js';
import type { SessionDetail, SupervisorRequests } from '../../shared/ipc/node-ipc.js';
import type { Json } from '../../shared/protocol/client-protocol.js';
import { encodePush } from '../../shared/protocol/client.codec.js';
import { Disconnects, Errors } from '../../shared/protocol/codes.js';
import type { AppError } from '../../shared/result.js';
import type { NodeRuntime } from './node-runtime.js';
import { Sub } from './session.js';
import type { Session } from './session.js';
import { activateSubscription, setUpSubscription, subscriptionFlags } from './subscription-setup.js';

type Req<K extends keyof SupervisorRequests> = SupervisorRequests[K]['req'];

export function serveSupervisorRequests(rt: NodeRuntime): void {
  rt.link.serve({
    'sessions.disconnect': (req) => {
      const targets = rt.targets(req);
      for (const s of targets) s.close({ code: req.code, reason: req.reason });
      return { count: targets.length };
    },
    'sessions.unsubscribe': (req) => {
      let count = 0;
      for (const s of rt.targets(req)) {
        if (!s.subs.has(req.channel)) continue;
        rt.serverUnsubscribe(s, req.channel, { code: req.code, reason: req.reason });
        count++;
      }
      return { count };
    },
    'sessions.subscribe': (req) => subscribeSessions(rt, req),
    'sessions.refresh': (req) => refreshSessions(rt, req),
    'sessions.message': (req) => {
      const frame = encodePush({ message: { data: req.data } });
      let count = 0;
      for (const s of rt.targets(req)) {
        // A session already closing is not written to (the outbox drops it): not counted as delivered.
        if (s.isClosing()) continue;
        rt.outbox.push(s, frame);
        count++;
      }
      return { count };
    },
    'session.detail': (req) => sessionDetail(rt, req.client),
    'node.drop-sockets': () => {
      const all = [...rt.sessions];
      // A fault: no close frame, the peers see the TCP connection vanish (1006).
      for (const s of all) s.ws.terminate();
      return { count: all.length };
    },
    'node.drain': (req) => {
      // Oldest first (the set keeps insertion order); sessions already closing are not counted again.
      const open = [...rt.sessions].filter((s) => !s.isClosing());
      const batch = req.limit === undefined ? open : open.slice(0, req.limit);
      for (const s of batch) s.close({ code: req.code, reason: req.reason });
      return { count: batch.length, left: open.length - batch.length };
    },
  });
}

/** Server-side subscribe (HTTP API `subscribe`): a subscribe push per session. */
async function subscribeSessions(rt: NodeRuntime, req: Req<'sessions.subscribe'>): Promise<{ count: number; errors: AppError[] }> {
  const name = parseChannel(req.channel, rt.channels);
  if (!name.ok) return { count: 0, errors: [name.error] };
  const errors: AppError[] = [];
  let count = 0;
  await Promise.all(rt.targets(req).map(async (s: Session) => {
    if (s.subs.has(req.channel)) return;
    const ready = await setUpSubscription(rt, s, {
      name: name.value,
      flags: subscriptionFlags({ ...name.value, options: withOverride(name.value.options, req.override) }, {}, { history: false, presence: false }) | Sub.serverSide,
      recover: req.recoverSince,
      chanInfo: req.info,
      data: req.data,
    });
    if (!ready.ok) {
      if (s.state !== 'closed') errors.push(ready.error);
      return;
    }
    rt.outbox.push(s, encodePush({ channel: req.channel, subscribe: ready.value.result }));
    activateSubscription(rt, s, req.channel, ready.value.position);
    count++;
  }));
  return { count, errors: errors.length > 0 ? [errors[0] ?? Errors.internal] : [] };
}

function sessionDetail(rt: NodeRuntime, client: string): SessionDetail | null {
  const s = rt.byId.get(client);
  if (!s) return null;
  const positions = rt.hub.positions();
  return {
    bytesIn: s.bytesIn,
    bytesOut: s.bytesOut,
    messagesIn: s.messagesIn,
    messagesOut: s.messagesOut,
    subscriptions: [...s.subs].map(([channel, flags]) => {
      const positioned = (flags & Sub.positioned) !== 0;
      const pos = positioned ? positions.get(channel) : undefined;
      return {
        channel,
        positioned,
        recoverable: (flags & Sub.recoverable) !== 0,
        serverSide: (flags & Sub.serverSide) !== 0,
        ...(pos ? { offset: pos.offset, epoch: pos.epoch } : {}),
      };
    }),
  };
}

function refreshSessions(rt: NodeRuntime, req: Req<'sessions.refresh'>): { count: number } {
  const targets = rt.targets(req);
  for (const s of targets) {
    if (req.expired) {
      s.close(Disconnects.expired);
      continue;
    }
    if (req.expireAt !== undefined) s.expiresAt = req.expireAt * 1000;
    if (req.info !== undefined) s.connInfo = req.info as Json;
  }
  return { count: targets.length };
}
