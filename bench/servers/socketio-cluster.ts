/**
 * Socket.IO 4 with 2 worker processes: the documented set-up — `@socket.io/sticky` in the primary
 * (it reads the first bytes of each connection and hands the socket to a worker, least-connection),
 * `@socket.io/cluster-adapter` forwarding broadcasts between workers through the primary.
 * WebSocket transport only. The publish route is served by whichever worker gets the request;
 * `io.to(room).emit` reaches the other worker through the adapter.
 */
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter, setupPrimary } from '@socket.io/cluster-adapter';
import { setupMaster, setupWorker } from '@socket.io/sticky';
import { Server } from 'socket.io';
import { announce, onStop, publishRoute, serverArgs, urlOf } from './common.js';

const { workers: count = 2 } = serverArgs<{ workers?: number }>();

if (cluster.isPrimary) {
  const server = http.createServer();
  setupMaster(server, { loadBalancingMethod: 'least-connection' });
  setupPrimary();
  // As documented: sticky sends the first chunk (a Buffer) with the socket, which needs the advanced serialization.
  // The workers run with the primary's Node/V8 flags (the bench gives every peer the same), said here rather than left to the default.
  cluster.setupPrimary({ serialization: 'advanced', execArgv: process.execArgv });
  const workers: Worker[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const w = cluster.fork();
    workers.push(w);
    ready.push(new Promise((resolve) => w.on('message', (m: unknown) => {
      if ((m as { ready?: boolean } | null)?.ready === true) resolve();
    })));
  }
  void Promise.all(ready).then(() => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    const u = urlOf(port);
    announce({ clientUrl: `${u.ws}/socket.io/?EIO=4&transport=websocket`, publishUrl: `${u.http}/publish`, publishHeaders: {} },
      () => ({ pids: [process.pid, ...workers.map((w) => w.process.pid ?? 0).filter((p) => p > 0)] }));
  }));
  onStop(async () => {
    server.close();
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) return resolve();
      w.once('exit', () => resolve());
      w.process.kill('SIGTERM');
    })));
  });
} else {
  const publish = publishRoute((channel, data) => {
    io.to(channel).emit('pub', { channel, data });
  });
  const server = http.createServer((req, res) => {
    if (!publish(req, res)) res.writeHead(404).end();
  });
  const io = new Server(server, { transports: ['websocket'], serveClient: false, perMessageDeflate: false, adapter: createAdapter() });
  setupWorker(io);
  io.on('connection', (socket) => {
    socket.on('subscribe', (channel: unknown, ack?: (r: unknown) => void) => {
      if (typeof channel !== 'string') return;
      void socket.join(channel);
      ack?.({ subscribed: channel });
    });
  });
  process.send!({ ready: true });
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    void io.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
