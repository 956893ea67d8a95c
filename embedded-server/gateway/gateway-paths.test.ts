import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createAdmission } from './admission.js';
import { createGateway } from './gateway.js';
import { clientPaths } from '../../shared/protocol/endpoints.js';

describe('gateway: which client endpoints go to a node', () => {
  let gateway: Server;
  let port: number;
  const sockets: Socket[] = [];
  /** The route each request line took, in arrival order. */
  const took: string[] = [];

  before(async () => {
    const line = (head: Buffer): string => head.toString('latin1').split('\r\n')[0]!;
    gateway = createGateway({
      websocket: (socket, head) => {
        took.push(`node ${line(head)}`);
        socket.destroy();
        return null;
      },
      http: (socket, head) => {
        took.push(`http ${line(head)}`);
        socket.destroy();
      },
    }, {
      allowedHosts: [], headTimeoutMs: 60_000, headMaxBytes: 16_384, admission: createAdmission({ connectionRateLimit: 0, connectionRateLimitPerIp: 0 }),
      maxPendingConnections: 100, maxPendingConnectionsPerIp: 100, allowedOrigins: [],
      paths: clientPaths({ websocket: true, sse: true, httpStream: false }),
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    port = (gateway.address() as AddressInfo).port;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => gateway.close(resolve));
  });

  async function send(request: string): Promise<void> {
    const socket = connect({ port, host: '127.0.0.1' });
    sockets.push(socket);
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(request);
    await closed;
  }

  it('hands the enabled unidirectional endpoints to a node and leaves a disabled one to the HTTP server (its 404)', async () => {
    const upgrade = 'Host: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n';
    await send(`GET /connection/uni_websocket HTTP/1.1\r\n${upgrade}`);
    await send('GET /connection/uni_sse?cf_connect=%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await send('POST /connection/uni_http_stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}');
    await send('GET /connection/uni_websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await send(`GET /connection/websocket HTTP/1.1\r\n${upgrade}`);
    assert.deepEqual(took, [
      'node GET /connection/uni_websocket HTTP/1.1',
      'node GET /connection/uni_sse?cf_connect=%7B%7D HTTP/1.1',
      'http POST /connection/uni_http_stream HTTP/1.1',
      'http GET /connection/uni_websocket HTTP/1.1',
      'node GET /connection/websocket HTTP/1.1',
    ]);
  });
});
