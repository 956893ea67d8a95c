/**
 * The baseline: a one-process `ws` broadcaster, one frame per subscriber per publication (its
 * coalesced variant, ./raw-ws-coalesced.ts, is the ceiling). A client subscribes with `{"subscribe":"<channel>"}`
 * (answered `{"subscribed":"<channel>"}`); `POST /publish` encodes `{"channel","data"}` once to a
 * Buffer and sends those bytes to every subscriber of the channel.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { announce, onStop, publishRoute, urlOf } from './common.js';

const channels = new Map<string, Set<WebSocket>>();

const publish = publishRoute((channel, data) => {
  const subs = channels.get(channel);
  if (!subs) return;
  const frame = Buffer.from(JSON.stringify({ channel, data }));
  for (const ws of subs) ws.send(frame, { binary: false });
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
    ws.send(JSON.stringify({ subscribed: channel }));
  });
  ws.on('close', () => {
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
