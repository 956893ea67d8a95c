/**
 * A raw WebSocket that speaks the client protocol by hand, for cases the real client never sends:
 * exact frames out, every JSON object of every frame in (a frame may carry several, joined by "\n").
 */
import WebSocket from 'ws';
import type { TestCluster } from './test-cluster.js';
import { waitFor } from './test-cluster.js';

/** One decoded server message: a reply, a push, or the ping `{}`. */
export type ServerMessage = Record<string, unknown>;

export class RawPeer {
  /** Every object received so far, in order. */
  readonly received: ServerMessage[] = [];
  /** Frames that were not JSON lines (none expected from a correct server). */
  readonly garbage: string[] = [];
  closeEvent: { code: number; reason: string } | null = null;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      for (const line of data.toString().split('\n')) {
        if (line.trim() === '') continue;
        try {
          this.received.push(JSON.parse(line) as ServerMessage);
        } catch {
          this.garbage.push(line);
        }
      }
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closeEvent = { code, reason: reason.toString() };
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends the objects as one text frame, joined by "\n" like the real client. */
  send(...objects: object[]): void {
    this.ws.send(objects.map((o) => JSON.stringify(o)).join('\n'));
  }

  /** Sends exact text (or bytes) as one frame. */
  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** The reply carrying `id`, once it arrived. */
  async reply(id: number, timeoutMs = 5000): Promise<ServerMessage> {
    await waitFor(() => this.received.some((m) => m.id === id) || this.closeEvent !== null, {
      timeoutMs, what: `reply ${id}`,
    });
    const found = this.received.find((m) => m.id === id);
    if (!found) throw new Error(`socket closed (${JSON.stringify(this.closeEvent)}) before reply ${id}`);
    return found;
  }

  /** The close code and reason, once the server closed the socket. */
  async closed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    await waitFor(() => this.closeEvent !== null, { timeoutMs, what: 'the socket to close' });
    return this.closeEvent!;
  }

  /** Answers every server ping with the pong `{}` from now on; answers how many were answered so far. */
  autoPong(): () => number {
    let answered = 0;
    this.ws.on('message', (data: Buffer) => {
      for (const line of data.toString().split('\n')) {
        if (line.trim() !== '{}') continue;
        answered++;
        this.send({});
      }
    });
    return () => answered;
  }

  /** Server pings (`{}`) received so far. */
  pings(): number {
    return this.received.filter((m) => Object.keys(m).length === 0).length;
  }
}

/** Opens a raw socket on `path` (the endpoint by default, a query may follow) without sending anything. */
export async function openRaw(cluster: TestCluster, path = '/connection/websocket'): Promise<RawPeer> {
  return new RawPeer(await cluster.raw(path));
}

/** Opens a raw socket and connects it as `user` with command id 1; fails unless the connect succeeds. */
export async function connectRaw(cluster: TestCluster, user: string, path?: string): Promise<RawPeer> {
  const peer = await openRaw(cluster, path);
  peer.send({ id: 1, connect: { token: await cluster.token(user) } });
  const reply = await peer.reply(1);
  if (!('connect' in reply)) throw new Error(`connect failed: ${JSON.stringify(reply)}`);
  return peer;
}
