/**
 * Socket.IO 4 in one process, WebSocket transport only. A client joins a room with the acknowledged
 * event `subscribe`; `POST /publish` emits `pub` `{"channel","data"}` to the room (Socket.IO encodes
 * a broadcast packet once and writes it to every socket of the room).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { announce, onStop, publishRoute, urlOf } from './common.js';

const publish = publishRoute((channel, data) => {
  io.to(channel).emit('pub', { channel, data });
});
const server = http.createServer((req, res) => {
  if (!publish(req, res)) res.writeHead(404).end();
});
const io = new Server(server, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });

io.on('connection', (socket) => {
  socket.on('subscribe', (channel: unknown, ack?: (r: unknown) => void) => {
    if (typeof channel !== 'string') return;
    void socket.join(channel);
    ack?.({ subscribed: channel });
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const u = urlOf(port);
  announce({ clientUrl: `${u.ws}/socket.io/?EIO=4&transport=websocket`, publishUrl: `${u.http}/publish`, publishHeaders: {} },
    () => ({ pids: [process.pid] }));
});

onStop(() => new Promise<void>((resolve) => {
  server.closeAllConnections();
  void io.close(() => resolve());
}));
