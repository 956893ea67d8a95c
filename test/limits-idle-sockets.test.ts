/**
 * Unauthenticated sockets at volume (issue 11 §3): 2,000 WebSockets that never send connect and
 * 1,000 TCP connections that never send a request head, all opened at once, are closed — 3502
 * "stale" after `client.stale_close_delay`, and cut at the head deadline — while a real client
 * connects, subscribes and receives meanwhile, and no node dies.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { connectClient, subscribeTo } from './support/real-clients.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

const IDLE_WEBSOCKETS = 2000;
const HEADLESS = 1000;
const STALE_MS = 3000;

describe('thousands of unauthenticated sockets at once', () => {
  let cluster: TestCluster;
  const sockets: WebSocket[] = [];
  const headless: Socket[] = [];
  before(async () => {
    cluster = await startTestCluster({
      nodes: 2,
      client: { staleCloseDelayMs: STALE_MS },
      http: { headTimeoutMs: STALE_MS, maxPendingConnections: IDLE_WEBSOCKETS + HEADLESS + 500 },
    });
  });
  after(async () => {
    for (const ws of sockets) ws.terminate();
    for (const s of headless) s.destroy();
    await cluster?.stop();
  });

  it(`closes ${IDLE_WEBSOCKETS} idle WebSockets with 3502 and cuts ${HEADLESS} headless connections, while a real client is served and no node dies`, async (t) => {
    const pids = cluster.pids();
    const closes = new Map<number, number>();
    let headlessClosed = 0;
    const start = Date.now();
    for (let i = 0; i < HEADLESS; i++) {
      const s = connect(cluster.handle.port, '127.0.0.1');
      s.on('error', () => undefined);
      s.on('close', () => headlessClosed++);
      headless.push(s);
    }
    let opened = 0;
    await Promise.all(Array.from({ length: IDLE_WEBSOCKETS }, () => new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(cluster.url, { perMessageDeflate: false });
      sockets.push(ws);
      ws.on('open', () => {
        opened++;
        resolve();
      });
      ws.on('close', (code: number) => closes.set(code, (closes.get(code) ?? 0) + 1));
      ws.on('error', reject);
    })));
    const openMs = Date.now() - start;

    // While they all sit there: a real client gets in, subscribes and receives.
    const { client } = await connectClient(cluster, 'authenticated');
    const sub = await subscribeTo(client, 'chat:served');
    const res = await cluster.api('publish', { channel: 'chat:served', data: { hello: 1 } });
    assert.equal(res.status, 200, res.text);
    await waitFor(() => sub.got.length === 1, { what: 'the publication at the real client' });

    await waitFor(() => (closes.get(3502) ?? 0) + (closes.get(1006) ?? 0) >= IDLE_WEBSOCKETS && headlessClosed === HEADLESS, {
      timeoutMs: STALE_MS + 20_000, intervalMs: 100, what: 'every idle socket to be closed',
    });
    const allClosedMs = Date.now() - start;
    t.diagnostic(`${opened} WebSockets open after ${openMs} ms; all ${IDLE_WEBSOCKETS + HEADLESS} closed after ${allClosedMs} ms; close codes ${JSON.stringify([...closes])}`);
    assert.equal(closes.get(3502), IDLE_WEBSOCKETS, `close codes ${JSON.stringify([...closes])}`);
    assert.equal(client.state, 'connected');
    assert.deepEqual(cluster.pids(), pids);
  });
});
