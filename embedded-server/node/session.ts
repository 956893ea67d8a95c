/**
 * One client connection on a node: its state, its subscriptions and its outgoing frames.
 * Kept small on purpose (ARCHITECTURE.md "Hot paths"): no timers, no closures per subscription —
 * the node's sweep drives pings and expiry, and subscriptions are bit flags in one Map.
 */
import type { Command, Json } from '../../shared/protocol/client-protocol.js';
import type { CloseCode } from '../../shared/protocol/codes.js';
import type { TagsFilter } from '../../shared/protocol/tags-filter.js';

/** Subscription flags, one number per subscription. */
export const Sub = {
  pending: 1,
  positioned: 2,
  pushJoinLeave: 4,
  serverSide: 8,
  presence: 16,
  emitJoinLeave: 32,
  recoverable: 64,
  /** Negotiated fossil deltas: publication data travels as JSON text or a delta of it (local-hub.ts). */
  delta: 128,
} as const;

/** `rejected`: a connect got an error reply; the next command closes with 3501 (PROTOCOL.md §2.1). */
export type SessionState = 'connecting' | 'rejected' | 'connected' | 'closed';

/** Read by every session without subscriptions; a Map each would cost ~270 B per idle connection. */
const NO_SUBS: ReadonlyMap<string, number> = new Map();

/**
 * What a session writes to: a WebSocket (`ws`), or an emulation stream (http-streams.ts), which has
 * no incoming side to pause — its commands arrive through the supervisor.
 */
export interface ClientSocket {
  send(data: string | Buffer, options?: { binary?: boolean }): void;
  /** Bytes written but not yet handed to the kernel (slow-consumer check). */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
  terminate(): void;
  readonly isPaused: boolean;
  pause(): void;
  resume(): void;
  /** An emulation stream's session id; a WebSocket has none. */
  readonly sessionId?: string;
  /** The transport's name (proxy requests carry it); a WebSocket has none and is `websocket`. */
  readonly transport?: string;
  /**
   * A unidirectional transport (uni_websocket, uni_sse, uni_http_stream): the client reads pushes
   * only — replies other than connect's are dropped, a connect error becomes a disconnect, and its
   * pings expect no pong.
   */
  readonly unidirectional?: boolean;
  /** Sends a transport-level ping (uni_websocket: a ping frame); true when the peer owes a pong for it. */
  framePing?(): boolean;
}

/** What proxy calls pass on about a connection; kept only when some proxy needs it. */
export interface ProxyContext {
  /** The client's HTTP request headers some proxy passes on (`http_headers`), lower-case names. */
  headers?: Record<string, string>;
  /** The connect command's `headers` some proxy passes on (`emulated_headers`). */
  emulated?: Record<string, string>;
  /** Server-only connection data (connect proxy result or token `meta` claim). */
  meta?: Json;
}

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
  /** Subscription token data and tags filters, only for subscriptions that have any (rare). */
  subExtras: Map<string, { expiresAt: number; chanInfo?: Json; tagsFilter?: TagsFilter }> | undefined = undefined;
  /** Client publications per channel in the current second (rate limits), only when limited. */
  publishCounts: Map<string, { second: number; count: number }> | undefined = undefined;
  /** Headers and meta for proxy calls; undefined unless a proxy needs them. */
  proxy: ProxyContext | undefined = undefined;
  /** Frames queued this turn; written as one WebSocket message joined by "\n". */
  outbox: string[] | null = null;
  /** Commands waiting for the one in progress (processed strictly in order). */
  queue: Command[] = [];
  busy = false;
  /** The close the server chose, once it chose one: what the event log records, whatever the socket saw. */
  closedWith: CloseCode | null = null;
  /** The unix second the rate counts below belong to (command-budget.ts). */
  rateSecond = 0;
  commandsThisSecond = 0;
  errorsThisSecond = 0;
  /** Commands of each rate-limited kind this second (command-budget.ts); null until the first. */
  methodCounts: Uint32Array | null = null;
  bytesIn = 0;
  bytesOut = 0;
  messagesIn = 0;
  messagesOut = 0;

  constructor(
    readonly ws: ClientSocket,
    readonly remote: string,
    now: number,
  ) {
    this.openedAt = now;
  }

  /**
   * Session id, as Centrifugo gives one to connections over an emulation or unidirectional
   * transport (the server API's `session` addresses it); '' for a WebSocket connection, which
   * Centrifugo gives none — so a `session` in a server API call never matches it. Read from the
   * socket: no field per connection.
   */
  get session(): string {
    return this.ws.sessionId ?? '';
  }

  get transport(): string {
    return this.ws.transport ?? 'websocket';
  }

  /** Connected over a unidirectional transport (read from the socket, like `session`). */
  get unidirectional(): boolean {
    return this.ws.unidirectional === true;
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

  /** True once the server closed the socket or decided to: no further command runs, no frame is queued. */
  isClosing(): boolean {
    return this.state === 'closed' || this.closedWith !== null;
  }

  /**
   * Closes with a protocol close code; idempotent (the first code wins). Commands still queued are
   * dropped. The peer gets the node's close timeout (1 s, as Centrifugo waits) to answer the close
   * frame before its socket is destroyed — a peer that does not read never holds the node longer.
   */
  close(code: CloseCode): void {
    if (this.isClosing()) return;
    this.closedWith = code;
    this.queue.length = 0;
    // Replies queued this turn go out before the close frame (Go flushes them too).
    if (this.outbox !== null && code.code !== 3008) this.ws.send(this.outbox.join('\n'));
    this.outbox = null;
    // A socket paused for backpressure must read again, or the peer's close frame is never seen.
    if (this.ws.isPaused) this.ws.resume();
    this.ws.close(code.code, code.reason);
  }
}
