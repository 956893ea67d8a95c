/**
 * One client connection on a node: its state, its subscriptions and its outgoing frames.
 * Kept small on purpose (ARCHITECTURE.md "Hot paths"): no timers, no closures per subscription —
 * the node's sweep drives pings and expiry, and subscriptions are bit flags in one Map.
 */
import type { WebSocket } from 'ws';
import type { Command, Json } from '../../shared/protocol/client-protocol.js';
import type { CloseCode } from '../../shared/protocol/codes.js';

/** Subscription flags, one number per subscription. */
export const Sub = {
  pending: 1,
  positioned: 2,
  pushJoinLeave: 4,
  serverSide: 8,
  presence: 16,
  emitJoinLeave: 32,
  recoverable: 64,
} as const;

/** `rejected`: a connect got an error reply; the next command closes with 3501 (PROTOCOL.md §2.1). */
export type SessionState = 'connecting' | 'rejected' | 'connected' | 'closed';

/** Read by every session without subscriptions; a Map each would cost ~270 B per idle connection. */
const NO_SUBS: ReadonlyMap<string, number> = new Map();

export class Session {
  state: SessionState = 'connecting';
  /** Connection id, assigned by a successful connect. */
  id = '';
  user = '';
  connInfo: Json | undefined = undefined;
  name = '';
  version = '';
  /** Unix ms of the ws open (stale check) and, later, of the connect. */
  openedAt: number;
  /** Connection expiry, unix ms; 0 = never. */
  expiresAt = 0;
  nextPingAt = 0;
  /** When the outstanding ping must be answered; 0 = no ping outstanding. */
  pongDeadline = 0;
  /** channel → Sub flags; null until the first subscription (most idle connections never have one). */
  private subTable: Map<string, number> | null = null;
  /** Subscription token data, only for subscriptions that have any (rare). */
  subExtras: Map<string, { expiresAt: number; chanInfo?: Json }> | undefined = undefined;
  /** Client publications per channel in the current second (rate limits), only when limited. */
  publishCounts: Map<string, { second: number; count: number }> | undefined = undefined;
  /** Frames queued this turn; written as one WebSocket message joined by "\n". */
  outbox: string[] | null = null;
  /** Commands waiting for the one in progress (processed strictly in order). */
  queue: Command[] = [];
  busy = false;
  bytesIn = 0;
  bytesOut = 0;
  messagesIn = 0;
  messagesOut = 0;

  constructor(
    readonly ws: WebSocket,
    readonly remote: string,
    now: number,
  ) {
    this.openedAt = now;
  }

  /** channel → Sub flags (an empty shared map while the session has no subscription). */
  get subs(): ReadonlyMap<string, number> {
    return this.subTable ?? NO_SUBS;
  }

  setSub(channel: string, flags: number): void {
    (this.subTable ??= new Map()).set(channel, flags);
  }

  deleteSub(channel: string): void {
    if (this.subTable === null) return;
    this.subTable.delete(channel);
    if (this.subTable.size === 0) this.subTable = null;
  }

  /** True once the socket closed (a method, so narrowing of `state` does not survive an await). */
  isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Closes with a protocol close code; idempotent. */
  close(code: CloseCode): void {
    if (this.state === 'closed') return;
    // Replies queued this turn go out before the close frame (Go flushes them too).
    if (this.outbox !== null && code.code !== 3008) this.ws.send(this.outbox.join('\n'));
    this.outbox = null;
    this.ws.close(code.code, code.reason);
  }
}
