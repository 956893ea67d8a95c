/**
 * The desktop app's own short admin API sessions (menu commands: add a node, mint a token, export
 * the events, copy the client URL). Same contract and codec as the console (shared/admin); works
 * for the embedded cluster and for a remote one alike.
 */
import WebSocket from 'ws';
import type { AdminMethod, AdminParamsInput, AdminResults } from '../shared/admin/admin-api.js';
import type { AdminEvent, AdminHello } from '../shared/admin/admin-model.js';
import { decodeAdminServerFrame } from '../shared/admin/admin.codec.js';
import type { Result } from '../shared/result.js';
import { err, ok } from '../shared/result.js';

export interface AdminTarget {
  adminUrl: string;
  adminToken: string;
}

const TIMEOUT_MS = 10_000;

/** One admin connection: opened, used for a few requests, closed. */
export class AdminSession {
  private seq = 0;
  private readonly pending = new Map<number, (frame: { result?: unknown; error?: { message: string } }) => void>();

  private constructor(private readonly ws: WebSocket, readonly hello: AdminHello) {}

  /** Connects and waits for the hello push; the error is one line for a dialog. */
  static open(target: AdminTarget): Promise<Result<AdminSession, string>> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`${target.adminUrl}?token=${encodeURIComponent(target.adminToken)}`);
      let session: AdminSession | null = null;
      const fail = (why: string): void => {
        clearTimeout(timer);
        ws.terminate();
        resolve(err(why));
      };
      const timer = setTimeout(() => fail(`no answer from ${target.adminUrl} within ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
      ws.on('unexpected-response', (_req, res) => {
        fail(res.statusCode === 401 ? `the cluster at ${target.adminUrl} refused the admin token` : `${target.adminUrl} answered HTTP ${res.statusCode}`);
      });
      ws.on('error', (e) => fail(`cannot reach the cluster at ${target.adminUrl} (${e.message})`));
      ws.on('message', (data) => {
        const text = data.toString();
        if (session) return session.onFrame(text);
        const frame = decodeAdminServerFrame(text);
        if (!frame.ok || !('push' in frame.value) || frame.value.push !== 'hello') return;
        clearTimeout(timer);
        ws.removeAllListeners('error');
        ws.on('error', () => undefined);
        session = new AdminSession(ws, frame.value.data);
        resolve(ok(session));
      });
    });
  }

  request<M extends AdminMethod>(method: M, params: AdminParamsInput<M>): Promise<Result<AdminResults[M], string>> {
    const id = ++this.seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(err(`${method}: no answer within ${TIMEOUT_MS / 1000} s`));
      }, TIMEOUT_MS);
      this.pending.set(id, (frame) => {
        clearTimeout(timer);
        resolve(frame.error ? err(frame.error.message) : ok(frame.result as AdminResults[M]));
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }

  private onFrame(text: string): void {
    const frame = decodeAdminServerFrame(text);
    if (!frame.ok || 'push' in frame.value || frame.value.id === null) return;
    const settle = this.pending.get(frame.value.id);
    this.pending.delete(frame.value.id);
    settle?.(frame.value as { result?: unknown; error?: { message: string } });
  }
}

/** Opens a session, runs `work`, closes it; any failure is one line. */
export async function withAdmin<T>(target: AdminTarget, work: (session: AdminSession) => Promise<Result<T, string>>): Promise<Result<T, string>> {
  const opened = await AdminSession.open(target);
  if (!opened.ok) return opened;
  try {
    return await work(opened.value);
  } finally {
    opened.value.close();
  }
}

/** Every event the cluster still holds, oldest first (pages of 5,000). */
export async function allEvents(session: AdminSession): Promise<Result<AdminEvent[], string>> {
  const events: AdminEvent[] = [];
  let seq = 0;
  for (;;) {
    const page = await session.request('events.since', { seq, limit: 5000 });
    if (!page.ok) return page;
    events.push(...page.value.events);
    const last = page.value.events.at(-1)?.seq;
    if (last === undefined || page.value.events.length < 5000 || last >= page.value.lastSeq) return ok(events);
    seq = last;
  }
}
