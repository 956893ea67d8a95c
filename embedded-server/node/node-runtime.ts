/**
 * Everything one node process holds: its settings, sessions (by id and by user), the local channel
 * table, the outbox and the link to the supervisor. Command handlers receive it as their context.
 */
import type { NodeInit, SessionTarget } from '../../shared/ipc/node-ipc.js';
import type { ClientInfo, Json, ReplyMethod, ResultByMethod } from '../../shared/protocol/client-protocol.js';
import type { AppError } from '../../shared/result.js';
import type { CloseCode } from '../../shared/protocol/codes.js';
import { Disconnects, Unsubscribes } from '../../shared/protocol/codes.js';
import { encodeError, encodePush, encodeReply } from '../../shared/protocol/client.codec.js';
import { chargeError } from './command-budget.js';
import { LocalHub } from './local-hub.js';
import { Outbox } from './outbox.js';
import type { NodeCounters } from './node-counters.js';
import { newCounters } from './node-counters.js';
import type { Session } from './session.js';
import { Sub } from './session.js';
import type { SupervisorLink } from './supervisor-link.js';
import { TokenVerifier } from './token-verifier.js';
import { ProxyClient } from './proxy-client.js';
import { passedOnHeaders } from '../../shared/proxy/proxy-settings.js';
import { UserSessions } from './user-sessions.js';

export class NodeRuntime {
  readonly counters: NodeCounters = newCounters();
  readonly outbox: Outbox;
  readonly hub: LocalHub;
  readonly verifier: TokenVerifier;
  readonly proxy: ProxyClient;
  /** Request headers some proxy passes on (lower case); empty: no connection keeps any. */
  readonly keptHeaders: string[];
  /** Every open WebSocket, connected or not. */
  readonly sessions = new Set<Session>();
  /** Emulated sessions by their session id (`POST /emulation` names it). */
  readonly bySession = new Map<string, Session>();
  readonly byId = new Map<string, Session>();
  readonly byUser = new UserSessions<Session>();
  /** When the sweep next sends this node's presence refresh (one per `client.presence_update_interval`). */
  nextPresenceRefreshAt: number;

  constructor(
    readonly init: NodeInit,
    readonly link: SupervisorLink,
  ) {
    this.outbox = new Outbox(this.counters, init.client.queueMaxSize);
    this.nextPresenceRefreshAt = Date.now() + init.client.presenceUpdateIntervalMs;
    this.verifier = new TokenVerifier(init.client);
    this.proxy = new ProxyClient(init.proxies, (line) => process.stderr.write(`switchboard node ${init.nodeId}: ${line}\n`));
    this.keptHeaders = passedOnHeaders(init.proxies);
    this.hub = new LocalHub({
      write: (s, frame) => this.outbox.push(s, frame),
      lost: (channel, sessions) => {
        for (const s of sessions) this.serverUnsubscribe(s, channel, Unsubscribes.insufficientState);
      },
    });
  }

  get client() {
    return this.init.client;
  }

  get channels() {
    return this.init.channels;
  }

  reply<M extends ReplyMethod>(s: Session, id: number, method: M, result: ResultByMethod[M]): void {
    this.outbox.push(s, encodeReply(id, method, result));
  }

  /** An error reply; a connection earning more than `client.error_rate_limit` a second is closed 3509. */
  replyError(s: Session, id: number, error: AppError): void {
    this.outbox.push(s, encodeError(id, error));
    if (!chargeError(s, Date.now(), this.client.errorRateLimit)) s.close(Disconnects.tooManyErrors);
  }

  /** The publisher / presence identity of a session in a channel. */
  clientInfo(s: Session, channel?: string): ClientInfo {
    const info: ClientInfo = { user: s.user, client: s.id };
    if (s.connInfo !== undefined) info.conn_info = s.connInfo;
    const chanInfo = channel === undefined ? undefined : s.subExtras?.get(channel)?.chanInfo;
    if (chanInfo !== undefined) info.chan_info = chanInfo as Json;
    return info;
  }

  /** Marks a session connected and indexes it. */
  register(s: Session): void {
    this.byId.set(s.id, s);
    this.byUser.add(s.user, s);
    this.link.send({
      t: 'session.opened',
      session: { client: s.id, user: s.user, remote: s.remote, connectedAt: s.openedAt, name: s.name, version: s.version },
    });
  }

  /** Ends one subscription: local table, presence and leave in the broker. */
  dropSubscription(s: Session, channel: string): void {
    const flags = s.subs.get(channel);
    if (flags === undefined) return;
    const info = this.clientInfo(s, channel);
    s.deleteSub(channel);
    s.subExtras?.delete(channel);
    s.publishCounts?.delete(channel);
    this.hub.remove(channel, s);
    void this.link.request('broker.unsubscribe', {
      channel,
      info,
      presence: (flags & Sub.presence) !== 0,
      emitLeave: (flags & Sub.emitJoinLeave) !== 0,
    }).catch(() => undefined);
  }

  /** Unsubscribes a session on the server's initiative, telling the client why. */
  serverUnsubscribe(s: Session, channel: string, code: CloseCode): void {
    if (!s.subs.has(channel)) return;
    this.dropSubscription(s, channel);
    this.outbox.push(s, encodePush({ channel, unsubscribe: { code: code.code, reason: code.reason } }));
  }

  /** Forgets a closed session: its subscriptions, presence and index entries. */
  forget(s: Session, code: number, reason: string): void {
    const wasConnected = s.state === 'connected';
    s.state = 'closed';
    this.sessions.delete(s);
    if (s.session !== '') this.bySession.delete(s.session);
    for (const channel of [...s.subs.keys()]) this.dropSubscription(s, channel);
    if (!wasConnected) return;
    this.byId.delete(s.id);
    this.byUser.delete(s.user, s);
    this.link.send({ t: 'session.closed', client: s.id, code, reason });
  }

  /** Sessions a supervisor command addresses. */
  targets(t: SessionTarget): Session[] {
    let found: Iterable<Session>;
    if (t.client !== undefined && t.client !== '') {
      const s = this.byId.get(t.client);
      found = s && (t.user === undefined || s.user === t.user) ? [s] : [];
    } else if (t.user !== undefined) {
      found = this.byUser.of(t.user);
    } else if (t.users !== undefined) {
      found = [...new Set(t.users)].flatMap((u) => this.byUser.of(u));
    } else {
      found = this.byId.values();
    }
    const spared = new Set(t.whitelist ?? []);
    const channel = t.subscribedTo;
    const session = t.session;
    return [...found].filter((s) => s.state === 'connected' && !spared.has(s.id) && (channel === undefined || s.subs.has(channel))
      && (session === undefined || (s.session !== '' && s.session === session)));
  }
}
