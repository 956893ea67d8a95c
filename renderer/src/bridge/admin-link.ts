/**
 * The one owner of the admin WebSocket (STYLE.md §7): connects, reconnects with backoff, answers
 * requests by id, and hands every push to the stores. Components never touch the socket; they call
 * `adminRequest` (through store actions) and read stores.
 */
import type { AdminMethod, AdminParamsInput, AdminResults } from '../../../shared/admin/admin-api.js';
import { decodeAdminServerFrame } from '../../../shared/admin/admin.codec.js';
import type { AdminPushFrame } from '../../../shared/admin/admin-api.js';
import type { LinkTarget } from './link-target.js';

export type LinkState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'token-refused' | 'no-token';

/** An error answer of the admin API (or a request that could not be sent). */
export class AdminCallError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export interface LinkHandlers {
  state(state: LinkState, detail?: string): void;
  push(frame: AdminPushFrame): void;
}

const REQUEST_TIMEOUT_MS = 15_000;

export class AdminLink {
  private ws: WebSocket | null = null;
  private seq = 0;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private opened = false;
  private stopped = false;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(private target: LinkTarget, private readonly handlers: LinkHandlers) {}

  start(): void {
    this.stopped = false;
    if (!this.target.token) return this.handlers.state('no-token');
    this.open();
  }

  /** Starts over with another token (the user pasted one). */
  useToken(token: string): void {
    this.target = { ...this.target, token };
    this.close();
    this.attempt = 0;
    this.start();
  }

  stop(): void {
    this.stopped = true;
    this.close();
  }

  request<M extends AdminMethod>(method: M, params: AdminParamsInput<M>): Promise<AdminResults[M]> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new AdminCallError(0, 'not connected to the cluster'));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AdminCallError(0, `${method}: no answer within ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ id, method, params }));
    });
  }

  private open(): void {
    this.handlers.state(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const url = `${this.target.url}?token=${encodeURIComponent(this.target.token ?? '')}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    this.opened = false;
    ws.onopen = () => {
      this.opened = true;
      this.attempt = 0;
      this.handlers.state('connected');
    };
    ws.onmessage = (e) => this.onFrame(String(e.data));
    ws.onerror = () => undefined; // a close always follows; onClose decides what it meant
    ws.onclose = () => this.onClose(ws);
  }

  private async onClose(ws: WebSocket): Promise<void> {
    if (this.ws !== ws) return;
    this.ws = null;
    this.failPending();
    if (this.stopped) return;
    if (!this.opened && (await this.tokenRefused())) return this.handlers.state('token-refused');
    this.attempt++;
    this.handlers.state('reconnecting');
    const delay = Math.min(5000, 300 * 2 ** Math.min(this.attempt, 5));
    this.timer = setTimeout(() => this.open(), delay);
  }

  /** A browser hides an upgrade's status; one plain request tells a wrong token from a dead server. */
  private async tokenRefused(): Promise<boolean> {
    try {
      const check = new URL(this.target.url.replace(/^ws/, 'http'));
      check.pathname = '/auth-check';
      const res = await fetch(check, { headers: { authorization: `Bearer ${this.target.token ?? ''}` } });
      return res.status === 401;
    } catch {
      return false;
    }
  }

  private onFrame(text: string): void {
    const decoded = decodeAdminServerFrame(text);
    if (!decoded.ok) return;
    const f = decoded.value;
    if ('push' in f) return this.handlers.push(f);
    if (f.id === null) return;
    const p = this.pending.get(f.id);
    if (!p) return;
    this.pending.delete(f.id);
    clearTimeout(p.timer);
    if ('error' in f) p.reject(new AdminCallError(f.error.code, f.error.message));
    else p.resolve(f.result);
  }

  private failPending(): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new AdminCallError(0, 'the connection to the cluster was lost'));
    }
    this.pending.clear();
  }

  private close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    this.failPending();
    ws?.close();
  }
}
