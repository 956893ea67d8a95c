/**
 * What an open console costs the cluster: an admin API client that takes the pushes every console
 * gets (a snapshot each second, series, events) and asks for the first page of the connections list
 * once a second, as the Connections view does while it is open.
 */
import WebSocket from 'ws';
import type { AdminParamsInput } from '../shared/admin/admin-api.js';

export class ConsoleWatcher {
  pushes = 0;
  queries = 0;
  answers = 0;
  errors = 0;
  rows = 0;
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { push?: string; id?: number; error?: unknown; result?: { items?: unknown[] } };
      if (frame.push !== undefined) {
        this.pushes++;
        return;
      }
      if (frame.error !== undefined) this.errors++;
      else {
        this.answers++;
        this.rows += frame.result?.items?.length ?? 0;
      }
    });
  }

  static async open(adminUrl: string, token: string): Promise<ConsoleWatcher> {
    const ws = new WebSocket(`${adminUrl}?token=${encodeURIComponent(token)}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('error', () => undefined);
    const w = new ConsoleWatcher(ws);
    w.timer = setInterval(() => w.query(), 1000);
    w.query();
    return w;
  }

  private query(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const params: AdminParamsInput<'connections.query'> = { sort: { by: 'connectedAt', dir: 'desc' }, limit: 100 };
    this.queries++;
    this.ws.send(JSON.stringify({ id: ++this.seq, method: 'connections.query', params }));
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.ws.terminate();
  }
}
