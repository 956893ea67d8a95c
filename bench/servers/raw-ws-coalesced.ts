/**
 * The ceiling: raw ws (./raw-ws.ts, the same protocol) with the one technique Switchboard's nodes
 * use on the write path (embedded-server/node/outbox.ts): what is sent to a socket during one
 * event-loop turn is queued and leaves as one frame — the JSON objects joined with "\n" — flushed once
 * per turn (setImmediate). Each publication is stringified once; a flush encodes a frame sequence to
 * bytes once and hands the same Buffer to every following socket with the same sequence (with one
 * channel, every subscriber), as Switchboard's per-turn encode-once does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { announce, onStop, publishRoute, urlOf } from './common.js';

const channels = new Map<string, Set<WebSocket>>();
/** Frames queued this turn, per socket, in the order the sockets got their first one. */
let pending = new Map<WebSocket, string[]>();

function queue(ws: WebSocket, frame: string): void {
  const q = pending.get(ws);
  if (q !== undefined) {
    q.push(frame);
    return;
  }
  if (pending.size === 0) setImmediate(flush);
  pending.set(ws, [frame]);
}

const sameFrames = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((f, i) => f === b[i]);

function flush(): void {
  const turn = pending;
  pending = new Map();
  let last: string[] = [];
  let bytes = Buffer.alloc(0);
  for (const [ws, frames] of turn) {
    if (!sameFrames(frames, last)) bytes = Buffer.from(frames.length === 1 ? frames[0]! : frames.join('\n'));
    last = frames;
    if (ws.readyState === ws.OPEN) ws.send(bytes, { binary: false });
  }
}

const publish = publishRoute((channel, data) => {
  const subs = channels.get(channel);
  if (!subs) return;
  const frame = JSON.stringify({ channel, data });
  for (const ws of subs) queue(ws, frame);
});

const server = http.createServer((req, res) => {
  if (!publish(req, res)) res.writeHead(404).end();
});
const wss = new WebSocketServer({ server, clientTracking: false, perMessageDeflate: false });

wss.on('connection', (ws) => {
  let subscribed: string[] | null = null;
  ws.on('message', (data: Buffer) => {
    let msg: { subscribe?: unknown };
    try {
      msg = JSON.parse(data.toString()) as typeof msg;
    } catch {
      ws.close(1003);
      return;
    }
    if (typeof msg.subscribe !== 'string') return;
    const channel = msg.subscribe;
    let set = channels.get(channel);
    if (!set) channels.set(channel, (set = new Set()));
    set.add(ws);
    (subscribed ??= []).push(channel);
    queue(ws, JSON.stringify({ subscribed: channel }));
  });
  ws.on('close', () => {
    pending.delete(ws);
    for (const channel of subscribed ?? []) {
      const set = channels.get(channel);
      set?.delete(ws);
      if (set?.size === 0) channels.delete(channel);
    }
  });
  ws.on('error', () => undefined);
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const u = urlOf(port);
  announce({ clientUrl: `${u.ws}/`, publishUrl: `${u.http}/publish`, publishHeaders: {} }, () => ({ pids: [process.pid] }));
});

onStop(() => new Promise<void>((resolve) => {
  wss.close();
  server.closeAllConnections();
  server.close(() => resolve());
}));
