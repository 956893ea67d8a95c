/**
 * One admin WebSocket connection: its name, the initial pushes, request dispatch through the
 * admin codec, and the channels it watches. The server owns the set of connections and the fan-out.
 */
import type { RawData, WebSocket } from 'ws';
import type { AdminError, AdminMethod, AdminPushName, AdminPushes, AdminRequestFrame, AdminResults } from '../../shared/admin/admin-api.js';
import { AdminErrors } from '../../shared/admin/admin-api.js';
import { decodeAdminRequest, encodeAdminError, encodeAdminPush, encodeAdminResult } from '../../shared/admin/admin.codec.js';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { AdminBackend } from './admin-backend.js';
import { EngineError } from '../engine/engine.js';

/** Watched channels per admin connection; one more answers 409. */
export const MAX_WATCHED_CHANNELS = 20;

const INTERNAL: AdminError = { code: AdminErrors.internal, message: 'internal error' };

type WatchResult = Result<AdminResults['channel.watch'], AdminError>;
type Answer = Result<AdminResults[AdminMethod], AdminError>;

/** Per-connection state and request handling; `close()` releases everything it holds. */
export class AdminConnection {
  /** channel → dispose of the backend watch. */
  private readonly watches = new Map<string, () => void>();
  private closed = false;

  constructor(
    readonly ws: WebSocket,
    /** `admin-N (remote address)`: how events name this connection (`by`). */
    readonly who: string,
    private readonly backend: AdminBackend,
    private readonly log: (line: string) => void,
  ) {}

  /** Sends hello, series and snapshot, in that order, then handles requests. */
  open(): void {
    this.ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.push('hello', this.backend.hello(this.who));
    this.push('series', this.backend.series());
    this.push('snapshot', this.backend.snapshot());
  }

  /** Sends an already encoded frame while the socket is open. */
  send(frame: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame);
  }

  /** Disposes every watch; safe to call more than once. */
  close(): void {
    this.closed = true;
    for (const [channel, dispose] of this.watches) this.disposeWatch(channel, dispose);
    this.watches.clear();
  }

  private push<P extends AdminPushName>(name: P, data: AdminPushes[P]): void {
    this.send(encodeAdminPush(name, data));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.send(encodeAdminError(null, { code: AdminErrors.badRequest, message: 'binary frames are not accepted: send JSON text' }));
      return;
    }
    const decoded = decodeAdminRequest(textOf(data));
    if (!decoded.ok) {
      this.send(encodeAdminError(decoded.error.id, decoded.error.error));
      return;
    }
    void this.answer(decoded.value);
  }

  /** Answers one request; never rejects (a result that cannot be encoded answers 500 too). */
  private async answer(frame: AdminRequestFrame): Promise<void> {
    let reply: string;
    try {
      const result: Answer = await this.dispatch(frame);
      reply = result.ok ? encodeAdminResult(frame.id, result.value) : encodeAdminError(frame.id, result.error);
    } catch (e) {
      if (e instanceof EngineError) {
        // The engine's server failed (Redis down): the console says so in words.
        this.log(`${frame.method} from ${this.who} failed: ${e.message}`);
        reply = encodeAdminError(frame.id, { code: INTERNAL.code, message: e.message });
      } else {
        this.log(`${frame.method} from ${this.who} failed: ${describe(e)}`);
        reply = encodeAdminError(frame.id, INTERNAL);
      }
    }
    this.send(reply);
  }

  private dispatch(frame: AdminRequestFrame): Promise<Answer> | Answer {
    switch (frame.method) {
      case 'channel.watch': return this.watch(frame.params.channel);
      case 'channel.unwatch': return this.unwatch(frame.params.channel);
      default: return this.backend.call(frame.method, frame.params, this.who);
    }
  }

  /** Idempotent: watching a watched channel answers ok and changes nothing. */
  private watch(channel: string): WatchResult {
    if (this.closed || this.watches.has(channel)) return ok({});
    if (this.watches.size >= MAX_WATCHED_CHANNELS) {
      return err({ code: AdminErrors.conflict, message: `at most ${MAX_WATCHED_CHANNELS} watched channels per admin connection: unwatch one first` });
    }
    const watched = this.backend.watch(channel, (items, sampling) => this.push('channel.activity', sampling ? { channel, items, sampling } : { channel, items }));
    if (!watched.ok) return watched;
    this.watches.set(channel, watched.value);
    return ok({});
  }

  private unwatch(channel: string): WatchResult {
    const dispose = this.watches.get(channel);
    if (dispose) {
      this.watches.delete(channel);
      this.disposeWatch(channel, dispose);
    }
    return ok({});
  }

  private disposeWatch(channel: string, dispose: () => void): void {
    try {
      dispose();
    } catch (e) {
      this.log(`unwatching ${channel} for ${this.who} failed: ${describe(e)}`);
    }
  }
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** For logs only (stacks never go over the wire). */
export function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
